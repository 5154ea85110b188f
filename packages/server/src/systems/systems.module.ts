import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { ExceptionsModule } from '../exceptions/exceptions.module';
import { FlowsModule } from '../flows/flows.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

/** Reconciliation with the connected systems: scheduled drift checks and their repair. */
@Module({
  imports: [FlowsModule, CredentialsModule, ExceptionsModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService],
  exports: [ReconciliationService],
})
export class SystemsModule {}
