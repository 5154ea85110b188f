import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { OrdoConfig } from '../config/ordo-config';
import { DispatcherOptions } from './effect-dispatcher';

/**
 * How this process runs background work (the dispatcher and every poller: timers, webhooks,
 * mail, schedules). Global because each feature module's loop reads it, and only
 * RuntimeModule.forRoot knows whether this process runs effects (CLI commands do not).
 */
@Global()
@Module({})
export class RuntimeOptionsModule {
  static forRoot(config: OrdoConfig, runEffects: boolean): DynamicModule {
    return {
      module: RuntimeOptionsModule,
      providers: [
        {
          provide: DispatcherOptions,
          useValue: new DispatcherOptions({
            concurrency: 32,
            pollMs: config.pollMs ?? 1000,
            shared: config.redisUrl !== undefined,
            leaseMs: config.effectLeaseMs,
            enabled: runEffects,
          }),
        },
      ],
      exports: [DispatcherOptions],
    };
  }
}
