import { Module } from '@nestjs/common';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { SecretBox } from './secret-box';

/** Stored connector credentials and the key that seals them (webhook secrets use it too). */
@Module({
  controllers: [CredentialsController],
  providers: [
    {
      provide: SecretBox,
      inject: [ORDO_CONFIG],
      useFactory: (config: OrdoConfig) => SecretBox.fromConfig(config.secretKey, config.dataDir),
    },
    CredentialsService,
  ],
  exports: [CredentialsService, SecretBox],
})
export class CredentialsModule {}
