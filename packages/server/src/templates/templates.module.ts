import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { DataSetRefreshModule } from '../datasets/data-set-refresh.module';
import { DataSetsModule } from '../datasets/data-sets.module';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** Deploying a template: its flows, data sets, connector settings and sample orders. */
@Module({
  imports: [FlowsModule, OrdersModule, CredentialsModule, DataSetsModule, DataSetRefreshModule],
  controllers: [TemplatesController],
  providers: [TemplatesService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
