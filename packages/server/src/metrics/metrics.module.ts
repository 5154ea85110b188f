import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { LiveGateway } from '../live/live.gateway';
import { RuntimeClock } from '../runtime/runtime-clock';
import { readBacklog } from './backlog-query';
import { MetricsController } from './metrics.controller';
import { OrdoMetrics } from './ordo-metrics';

/**
 * `GET /api/metrics` and the app's {@link OrdoMetrics}, global so the runtime's outcome
 * points (outbox, webhook deliveries, exceptions) count into it without importing this module.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: OrdoMetrics, useFactory: () => new OrdoMetrics() }],
  exports: [OrdoMetrics],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: OrdoMetrics,
    private readonly refs: ModuleRef,
    @Inject(DB) private readonly db: Db,
    private readonly clock: RuntimeClock,
  ) {}

  onModuleInit(): void {
    const gateway = this.refs.get(LiveGateway, { strict: false });
    this.metrics.readFrom({
      backlog: () => readBacklog(this.db, this.clock.now()),
      liveClients: () => gateway.clients(),
    });
  }
}
