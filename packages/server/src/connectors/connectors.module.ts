import { type DynamicModule, Global, Module } from '@nestjs/common';
import { SafeHttpClient } from '@ordo/connectors';
import type { OrdoConfig } from '../config/ordo-config';
import { ConnectorRegistry } from './connector-registry';
import { FlowConnectorCheck } from './flow-connector-check';
import { SmtpPool } from './smtp-pool';

/**
 * The installed connectors, for the runtime that runs them and the flows that name them, and
 * the one outbound HTTP client (ORDO_OUTBOUND_ALLOW) every module that calls out uses, and the
 * pooled SMTP connections its e-mail goes through.
 */
@Global()
@Module({})
export class ConnectorsModule {
  static forRoot(config: OrdoConfig): DynamicModule {
    return {
      module: ConnectorsModule,
      providers: [
        { provide: ConnectorRegistry, useValue: new ConnectorRegistry(config.connectors) },
        FlowConnectorCheck,
        SmtpPool,
        {
          provide: SafeHttpClient,
          useFactory: () => new SafeHttpClient({ allow: config.outboundAllow }),
        },
      ],
      exports: [ConnectorRegistry, FlowConnectorCheck, SafeHttpClient, SmtpPool],
    };
  }
}
