import { type DynamicModule, Global, Module } from '@nestjs/common';
import { RuntimeClock } from './runtime-clock';

/** The one clock of the server (orders, timers, retries), injectable so tests can move time. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock = new RuntimeClock()): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: RuntimeClock, useValue: clock }],
      exports: [RuntimeClock],
    };
  }
}
