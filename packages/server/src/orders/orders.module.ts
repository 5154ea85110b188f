import { Module } from '@nestjs/common';
import { DataSetsModule } from '../datasets/data-sets.module';
import { FlowsModule } from '../flows/flows.module';
import { FlowMigrationController } from './flow-migration.controller';
import { FlowMigrationService } from './flow-migration.service';
import { FlowReplayController } from './flow-replay.controller';
import { FlowReplayService } from './flow-replay.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { StateChangeFeedModule } from '../webhooks/state-change-feed.module';

@Module({
  imports: [FlowsModule, StateChangeFeedModule, DataSetsModule],
  controllers: [OrdersController, FlowMigrationController, FlowReplayController],
  providers: [OrdersRepository, OrdersService, FlowMigrationService, FlowReplayService],
  // The one way into orders: every other module creates, changes and reads them through it.
  exports: [OrdersService],
})
export class OrdersModule {}
