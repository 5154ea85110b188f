import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduledReportsModule } from '../analytics/scheduled-reports.module';
import type { OrdoConfig } from '../config/ordo-config';
import { CredentialsModule } from '../credentials/credentials.module';
import { DataSetRefreshModule } from '../datasets/data-set-refresh.module';
import { ExceptionsModule } from '../exceptions/exceptions.module';
import { FlowsModule } from '../flows/flows.module';
import { HooksModule } from '../hooks/hooks.module';
import { IntakeModule } from '../intake/intake.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { SystemsModule } from '../systems/systems.module';
import { TasksModule } from '../tasks/tasks.module';
import { TemplatesModule } from '../templates/templates.module';
import { TimersModule } from '../timers/timers.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ClusterWake } from './cluster-wake';
import { EffectDispatcher } from './effect-dispatcher';
import { EffectRunner } from './effect-runner';
import { EffectsController } from './effects.controller';
import { InternalEffects } from './internal-effects';
import { NotificationDelivery } from './notification-delivery';
import { OutboxRepository } from './outbox.repository';
import { RuntimeOptionsModule } from './runtime-options.module';

/** The feature modules that run beside the outbox; none of them imports the runtime. */
const featureModules = [
  CredentialsModule,
  NotificationsModule,
  TasksModule,
  ExceptionsModule,
  TimersModule,
  WebhooksModule,
  HooksModule,
  SystemsModule,
  DataSetRefreshModule,
  TemplatesModule,
  IntakeModule,
  ScheduledReportsModule,
];

/**
 * Carries out the outbox (the dispatcher, the effect runner and the effects API) and brings in
 * the feature modules that run beside it: credentials, notifications, tasks, exceptions,
 * timers, webhooks, hooks, reconciliation, data-set refresh, templates, intake and scheduled
 * reports. `runEffects: false` (CLI commands) loads them all but runs no background loop.
 */
@Module({})
export class RuntimeModule {
  static forRoot(
    config: OrdoConfig,
    { runEffects = true }: { runEffects?: boolean } = {},
  ): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [
        RuntimeOptionsModule.forRoot(config, runEffects),
        FlowsModule,
        OrdersModule,
        ...featureModules,
      ],
      controllers: [EffectsController],
      providers: [
        OutboxRepository,
        EffectRunner,
        NotificationDelivery,
        InternalEffects,
        EffectDispatcher,
        ClusterWake,
      ],
      // Exports nothing: only AppModule imports it and injects none of it (the CLI and the
      // simulator reach the dispatcher and the pollers with app.get).
    };
  }
}
