import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DomainEvents } from '../events/domain-events';
import type { OrdoConfig } from './ordo-config';

/** Injection token of the validated {@link OrdoConfig}. */
export const ORDO_CONFIG = Symbol('ORDO_CONFIG');

/** Provides the configuration and the committed-change bus to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: OrdoConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: ORDO_CONFIG, useValue: config }, DomainEvents],
      exports: [ORDO_CONFIG, DomainEvents],
    };
  }
}
