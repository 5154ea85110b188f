import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { TasksModule } from '../tasks/tasks.module';
import { ExceptionRouter } from './exception-router';
import { ExceptionsController } from './exceptions.controller';
import { ExceptionsStoreModule } from './exceptions-store.module';

/** Exception routing (raise, route to a task queue, settle) and the exceptions API. */
@Module({
  imports: [ExceptionsStoreModule, TasksModule, OrdersModule, FlowsModule],
  controllers: [ExceptionsController],
  providers: [ExceptionRouter],
  exports: [ExceptionRouter],
})
export class ExceptionsModule {}
