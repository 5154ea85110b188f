import type { EngineResult, HistoryEntry, Order } from '@ordo/engine';
import type { DomainEvents } from '../events/domain-events';
import type { StateChangeFeed, StoredEffect } from '../webhooks/state-change-feed';

type Success = Extract<EngineResult, { ok: true }>;

/**
 * What a committed change tells the rest of the process, once it is committed: the order
 * created or changed, each transition, its warnings, and a wake-up for the effect dispatcher
 * when it wrote effects that are to run.
 */
export class OrderAnnouncer {
  constructor(
    private readonly events: DomainEvents,
    private readonly feed: StateChangeFeed,
  ) {}

  created(result: Success, effects: readonly StoredEffect[]): void {
    this.pending(effects);
    this.events.emit('order.created', { order: result.order });
    this.transitions(result.order, result.history);
    this.warnings(result.order, result);
  }

  /** A change to `order`, announced as `event` (an update, say) besides its transitions. */
  changed(
    order: Order,
    result: Success,
    effects: readonly StoredEffect[],
    event?: 'order.updated',
  ): void {
    this.pending(effects);
    if (event) this.events.emit(event, { order });
    this.transitions(order, result.history);
    this.warnings(order, result);
  }

  /** Wakes the effect dispatcher when effects were written that are to run. */
  pending(effects: readonly StoredEffect[]): void {
    if (effects.some((e) => !this.feed.idle(e))) this.events.emit('outbox.pending', {});
  }

  private transitions(order: Order, history: HistoryEntry[]): void {
    for (const h of history)
      if (h.kind === 'transition')
        this.events.emit('order.transitioned', {
          order: { ...order },
          from: h.from!,
          to: h.to,
          transition: h.transition!,
          event: h.event,
        });
  }

  private warnings(order: Order, result: Success): void {
    if (result.warnings.length)
      this.events.emit('order.warned', { order, warnings: result.warnings });
  }
}
