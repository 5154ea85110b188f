import { Module } from '@nestjs/common';
import { ExceptionsModule } from '../exceptions/exceptions.module';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { TimerRunner } from './timer-runner';
import { TimersController } from './timers.controller';
import { TimersRepository } from './timers.repository';

/** Order timers: the table (the runtime's internal effects arm them), the runner and the API. */
@Module({
  imports: [OrdersModule, FlowsModule, ExceptionsModule],
  controllers: [TimersController],
  providers: [TimersRepository, TimerRunner],
  exports: [TimersRepository, TimerRunner],
})
export class TimersModule {}
