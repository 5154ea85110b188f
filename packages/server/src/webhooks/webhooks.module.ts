import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { StateChangeFeedModule } from './state-change-feed.module';
import { WebhookFanout } from './webhook-fanout';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

/** Outbound webhooks: subscriptions, the fan-out of events into deliveries, and the sender. */
@Module({
  imports: [CredentialsModule, StateChangeFeedModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhookFanout, WebhookSender],
  exports: [WebhookFanout, WebhookSender],
})
export class WebhooksModule {}
