import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { OrdoConfig } from '../config/ordo-config';
import { ConnectorRegistry } from './connector-registry';
import { FlowConnectorCheck } from './flow-connector-check';

/** The installed connectors, for the runtime that runs them and the flows that name them. */
@Global()
@Module({})
export class ConnectorsModule {
  static forRoot(config: OrdoConfig): DynamicModule {
    return {
      module: ConnectorsModule,
      providers: [
        { provide: ConnectorRegistry, useValue: new ConnectorRegistry(config.connectors) },
        FlowConnectorCheck,
      ],
      exports: [ConnectorRegistry, FlowConnectorCheck],
    };
  }
}
