import { Module } from '@nestjs/common';
import { DataSetsModule } from '../datasets/data-sets.module';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { JourneyRollup } from './journey-rollup';
import { ReportsController } from './reports.controller';

/** Analytics of the flows: the journey roll-up and the KPIs, reports and event logs from it. */
@Module({
  imports: [FlowsModule, OrdersModule, DataSetsModule],
  controllers: [AnalyticsController, ReportsController],
  providers: [JourneyRollup, AnalyticsService],
  exports: [JourneyRollup, AnalyticsService],
})
export class AnalyticsModule {}
