import { Injectable } from '@nestjs/common';
import type { EmitEffect } from '@ordo/engine';
import { STATE_CHANGED, type StateChangedEffect } from './state-change-feed';
import type { SqlExecutor } from '../database/db';
import type { StoredOrder } from '../orders/orders.repository';
import type { ClaimedEffect } from '../runtime/outbox.repository';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Feeds the webhook subscriptions: `emit` effects and state changes become one delivery per
 * subscription that listens to the event.
 */
@Injectable()
export class WebhookFanout {
  constructor(private readonly webhooks: WebhooksRepository) {}

  /** One delivery per listening subscription, keyed by the effect (so a re-run adds none). */
  async fanOut(
    claimed: ClaimedEffect,
    order: StoredOrder | undefined,
    now: string,
    tx: SqlExecutor,
  ): Promise<number> {
    const effect = claimed.effect as unknown as EmitEffect | StateChangedEffect;
    const event = effect.type === 'emit' ? effect.event : STATE_CHANGED;
    const data =
      effect.type === 'emit'
        ? effect.payload
        : { from: effect.from, to: effect.to, transition: effect.transition, event: effect.event };
    const payload = {
      id: claimed.idempotencyKey,
      event,
      at: now,
      order: order && {
        id: order.id,
        flow: order.flow,
        flowVersion: order.flowVersion,
        state: order.state,
        version: order.version,
        externalRef: order.externalRef,
      },
      data,
    };
    return this.webhooks.fanOut(claimed.idempotencyKey, event, payload, now, tx);
  }
}
