import { Injectable } from '@nestjs/common';
import { SmtpPool } from '../connectors/smtp-pool';
import { connectorLog } from '../logging/connector-log';
import { backoffDelay, ConnectorError, runAction, SafeHttpClient } from '@ordo/connectors';
import type { Label, NotifyEffect } from '@ordo/engine';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { CredentialsService } from '../credentials/credentials.service';
import { DomainEvents } from '../events/domain-events';
import { FlowCache } from '../flows/flow-cache';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { OrdersService } from '../orders/orders.service';
import { describeError, durationMs, policyOf } from './effect-support';
import { type ClaimedEffect, OutboxRepository } from './outbox.repository';
import { RuntimeClock } from './runtime-clock';

/** One text for a channel: a plain message, or the first locale of a translated one. */
const textOf = (message: Label): string =>
  typeof message === 'string' ? message : (Object.values(message)[0] ?? '');

/**
 * Carries out a `notify`: the notification is stored once in the list and sent live to its
 * audience, then sent out through each channel the action names (connector instances of type
 * wecom, dingtalk, slack or email). A channel that fails is tried again later — the channels
 * already reached are remembered on the effect and not sent twice.
 */
@Injectable()
export class NotificationDelivery {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly orders: OrdersService,
    private readonly flows: FlowCache,
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
    private readonly smtp: SmtpPool,
    private readonly clock: RuntimeClock,
    private readonly notifications: NotificationsRepository,
    private readonly events: DomainEvents,
  ) {}

  async deliver(claimed: ClaimedEffect): Promise<void> {
    const effect = claimed.effect as NotifyEffect;
    const now = new Date(this.clock.now()).toISOString();
    const order = await this.orders.find(claimed.orderId);
    if (!order) {
      await this.outbox.settle(
        claimed,
        'dead',
        null,
        `Order ${claimed.orderId} no longer exists`,
        now,
      );
      return;
    }
    const channels = effect.channels ?? [];
    const stored = await this.notifications.insertOnce(
      claimed.idempotencyKey,
      { orderId: order.id, flow: order.flow, to: effect.to, message: effect.message, channels },
      now,
    );
    if (stored) this.events.emit('notification.created', { notification: stored });

    const flow = await this.flows.get(order.flow, order.flowVersion);
    const previous = claimed.result as { delivered?: string[] } | null;
    const delivered = new Set(previous?.delivered ?? []);
    const failures: { channel: string; error: ConnectorError }[] = [];
    for (const channel of channels) {
      if (delivered.has(channel)) continue;
      try {
        await this.send(channel, flow.doc.connectors?.[channel], textOf(effect.message), claimed);
        delivered.add(channel);
      } catch (error) {
        failures.push({
          channel,
          error:
            error instanceof ConnectorError
              ? error
              : new ConnectorError(describeError(error), { retryable: true, code: 'failed' }),
        });
      }
    }
    const result = { delivered: [...delivered] };
    if (!failures.length) {
      await this.outbox.settle(claimed, 'done', result, null, now);
      return;
    }
    const message = failures.map((f) => `${f.channel}: ${f.error.message}`).join('; ');
    const policy = policyOf(flow.doc.connectors?.[failures[0].channel]);
    if (failures.some((f) => f.error.retryable) && claimed.attempt < policy.attempts) {
      const asked = Math.max(0, ...failures.map((f) => f.error.retryAfterMs ?? 0));
      const at = this.clock.now() + backoffDelay(claimed.attempt, policy, this.clock.random, asked);
      await this.outbox.reschedule(claimed, new Date(at).toISOString(), message, result);
      return;
    }
    await this.outbox.settle(
      claimed,
      'dead',
      { ...result, failed: failures.map((f) => ({ channel: f.channel, code: f.error.code })) },
      message,
      now,
    );
  }

  private async send(
    channel: string,
    instance:
      | { type: string; settings?: Record<string, unknown>; credential?: string; timeout?: string }
      | undefined,
    text: string,
    claimed: ClaimedEffect,
  ): Promise<void> {
    const connector = instance && this.registry.get(instance.type);
    if (!instance || !connector?.actions.send)
      throw new ConnectorError(
        `"${channel}" is not a notification channel of this flow (declare it under "connectors" with type wecom, dingtalk, slack or email)`,
        { retryable: false, code: 'unknown_channel' },
      );
    await runAction(connector, 'send', {
      input: { text },
      settings: instance.settings,
      ...(await this.credentials.forCall(instance.credential)),
      http: this.http,
      smtp: this.smtp,
      // One key per channel: each receiver sees each message once.
      idempotencyKey: `${claimed.idempotencyKey}:${channel}`,
      timeoutMs: durationMs(instance.timeout),
      log: connectorLog(connector.id, 'send', `${claimed.idempotencyKey}:${channel}`),
    });
  }
}
