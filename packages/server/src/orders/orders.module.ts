import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { FlowMigrationController } from './flow-migration.controller';
import { FlowMigrationService } from './flow-migration.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  imports: [FlowsModule],
  controllers: [OrdersController, FlowMigrationController],
  providers: [OrdersRepository, OrdersService, FlowMigrationService],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
