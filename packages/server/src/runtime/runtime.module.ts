import { type DynamicModule, Module } from '@nestjs/common';
import { SafeHttpClient } from '@ordo/connectors';
import type { OrdoConfig } from '../config/ordo-config';
import { CredentialsController } from '../credentials/credentials.controller';
import { CredentialsService } from '../credentials/credentials.service';
import { SecretBox } from '../credentials/secret-box';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { StateChangeFeedModule } from '../webhooks/state-change-feed.module';
import { DispatcherOptions, EffectDispatcher } from './effect-dispatcher';
import { EffectRunner } from './effect-runner';
import { NotificationDelivery } from './notification-delivery';
import { NotificationsController } from '../notifications/notifications.controller';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { EffectsController } from './effects.controller';
import { OutboxRepository } from './outbox.repository';
import { integrationControllers, integrationProviders } from './integration.providers';
import { TimerRunner } from '../timers/timer-runner';
import { WebhookSender } from '../webhooks/webhook-sender';
import { ReconciliationService } from '../systems/reconciliation.service';
import { HooksService } from '../hooks/hooks.service';
import { TemplatesService } from '../templates/templates.service';
import { DataSetsModule } from '../datasets/data-sets.module';
import { IntakeService } from '../intake/intake.service';
import { ErpPullService } from '../intake/erp-pull.service';
import { AnalyticsModule } from '../analytics/analytics.module';
import { ReportRunsRepository } from '../analytics/report-runs.repository';
import { ScheduledReports } from '../analytics/scheduled-reports';
import { ScheduledReportsController } from '../analytics/scheduled-reports.controller';

/**
 * Carries out the outbox (connectors, credentials, the dispatcher and its API) and the
 * integration beside it: hooks, webhooks, timers, tasks, exceptions, reconciliation.
 */
@Module({})
export class RuntimeModule {
  static forRoot(
    config: OrdoConfig,
    { runEffects = true }: { runEffects?: boolean } = {},
  ): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [FlowsModule, OrdersModule, StateChangeFeedModule, AnalyticsModule, DataSetsModule],
      controllers: [
        CredentialsController,
        EffectsController,
        NotificationsController,
        ScheduledReportsController,
        ...integrationControllers,
      ],
      providers: [
        { provide: SecretBox, useValue: SecretBox.fromConfig(config.secretKey, config.dataDir) },
        {
          provide: SafeHttpClient,
          useFactory: () => new SafeHttpClient({ allow: config.outboundAllow }),
        },
        {
          provide: DispatcherOptions,
          useValue: new DispatcherOptions({
            concurrency: 32,
            pollMs: 1000,
            shared: config.redisUrl !== undefined,
            leaseMs: config.effectLeaseMs,
            enabled: runEffects,
          }),
        },
        CredentialsService,
        OutboxRepository,
        EffectRunner,
        NotificationDelivery,
        NotificationsRepository,
        EffectDispatcher,
        ReportRunsRepository,
        ScheduledReports,
        ...integrationProviders,
      ],
      exports: [
        CredentialsService,
        TimerRunner,
        WebhookSender,
        ReconciliationService,
        HooksService,
        TemplatesService,
        IntakeService,
        ErpPullService,
        ScheduledReports,
      ],
    };
  }
}
