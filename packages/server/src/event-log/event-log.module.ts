import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { EventLogController } from './event-log.controller';
import { EventLogService } from './event-log.service';

/** Event logs out (CSV, XES, OCEL 2.0) and in (a legacy baseline). */
@Module({
  imports: [FlowsModule, OrdersModule],
  controllers: [EventLogController],
  providers: [EventLogService],
  exports: [EventLogService],
})
export class EventLogModule {}
