import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Effect, HistoryEntry } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';

/** The event a state change is published as to webhook subscribers. */
export const STATE_CHANGED = 'order.state_changed';

/** A state change, written to the outbox by the server (not the engine) for subscribers. */
export interface StateChangedEffect {
  type: 'state.changed';
  version: number;
  from: string | null;
  to: string;
  transition?: string;
  event?: string;
}

/** What the outbox holds: the engine's effects and the server's state changes. */
export type StoredEffect = Effect | StateChangedEffect;

/** How often a process re-reads which events are subscribed to (other processes subscribe too). */
const REFRESH_MS = 1000;

/**
 * What the webhook subscriptions listen to, for the writes of a change: state changes go to
 * the outbox only while someone listens to them, and an `emit` nobody listens to is written
 * already done. This process re-reads the listened events every second, and at once when it
 * changes them itself.
 */
@Injectable()
export class StateChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private listened = new Set<string>();
  private refresher?: NodeJS.Timeout;

  constructor(@Inject(DB) private readonly db: Db) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.refresher.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refresher);
  }

  async refresh(): Promise<void> {
    const rows = await this.db.query<{ events: string }>(
      'SELECT events FROM webhook_subscriptions WHERE active = 1',
    );
    this.listened = new Set(rows.flatMap((r) => JSON.parse(r.events) as string[]));
  }

  private listens(event: string): boolean {
    return this.listened.has(event) || this.listened.has('*');
  }

  /** An `emit` nobody subscribes to: written to the outbox already done (nothing to deliver). */
  idle(effect: StoredEffect): boolean {
    return effect.type === 'emit' && !this.listens(effect.event);
  }

  /** The state changes of a change (creation included), when anyone listens to them. */
  effects(history: readonly HistoryEntry[]): StateChangedEffect[] {
    if (!this.listens(STATE_CHANGED)) return [];
    return history
      .filter((h) => h.kind === 'transition' || h.kind === 'created')
      .map((h) => ({
        type: 'state.changed',
        version: h.version,
        from: h.from,
        to: h.to,
        ...(h.transition !== undefined && { transition: h.transition }),
        ...(h.event !== undefined && { event: h.event }),
      }));
  }
}
