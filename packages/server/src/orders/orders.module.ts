import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { FlowMigrationController } from './flow-migration.controller';
import { FlowMigrationService } from './flow-migration.service';
import { FlowReplayController } from './flow-replay.controller';
import { FlowReplayService } from './flow-replay.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { StateChangeFeed } from './state-change-feed';

@Module({
  imports: [FlowsModule],
  controllers: [OrdersController, FlowMigrationController, FlowReplayController],
  providers: [
    OrdersRepository,
    OrdersService,
    FlowMigrationService,
    FlowReplayService,
    StateChangeFeed,
  ],
  exports: [OrdersService, OrdersRepository, StateChangeFeed],
})
export class OrdersModule {}
