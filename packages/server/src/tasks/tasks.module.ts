import { Module } from '@nestjs/common';
import { ExceptionsStoreModule } from '../exceptions/exceptions-store.module';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { TaskEscalator } from './task-escalator';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

/** People's tasks: the queues, their API and the escalation of overdue ones. */
@Module({
  imports: [ExceptionsStoreModule, OrdersModule, FlowsModule],
  controllers: [TasksController],
  providers: [TasksRepository, TasksService, TaskEscalator],
  exports: [TasksService, TaskEscalator],
})
export class TasksModule {}
