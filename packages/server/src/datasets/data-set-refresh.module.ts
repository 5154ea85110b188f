import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { FlowsModule } from '../flows/flows.module';
import { DataSetRefreshController } from './data-set-refresh.controller';
import { DataSetRefreshService } from './data-set-refresh.service';
import { DataSetsModule } from './data-sets.module';

/**
 * Scheduled refresh of data sets from a connected system. Apart from DataSetsModule because it
 * reads flows (FlowCache), and FlowsModule imports DataSetsModule: one module would be a cycle.
 */
@Module({
  imports: [DataSetsModule, FlowsModule, CredentialsModule],
  controllers: [DataSetRefreshController],
  providers: [DataSetRefreshService],
  exports: [DataSetRefreshService],
})
export class DataSetRefreshModule {}
