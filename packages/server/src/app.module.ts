import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { EventLogModule } from './event-log/event-log.module';
import { ConfigModule } from './config/config.module';
import { ConnectorsModule } from './connectors/connectors.module';
import type { OrdoConfig } from './config/ordo-config';
import { DatabaseModule } from './database/database.module';
import { DataSetsModule } from './datasets/data-sets.module';
import type { Db } from './database/db';
import { FlowsModule } from './flows/flows.module';
import { HealthController } from './health/health.controller';
import { LiveModule } from './live/live.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrdersModule } from './orders/orders.module';
import { ProblemFilter } from './problems/problem.filter';
import type { RuntimeClock } from './runtime/runtime-clock';
import { RuntimeModule } from './runtime/runtime.module';
import { ClockModule } from './runtime/clock.module';
import { ViewsModule } from './views/views.module';
import { SimulationsModule } from './simulations/simulations.module';

/** The whole server, for one configuration and one opened database. */
@Module({})
export class AppModule {
  static forRoot(
    config: OrdoConfig,
    db: Db,
    runtime: { clock?: RuntimeClock; runEffects?: boolean } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(runtime.clock),
        DatabaseModule.forRoot(db),
        AuditModule,
        ConnectorsModule.forRoot(config),
        AuthModule.forRoot(config.jwtSecret),
        FlowsModule,
        DataSetsModule,
        OrdersModule,
        LiveModule,
        MetricsModule,
        ViewsModule,
        SimulationsModule,
        AnalyticsModule,
        EventLogModule,
        RuntimeModule.forRoot(config, { runEffects: runtime.runEffects }),
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
