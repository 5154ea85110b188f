import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import { pageOf } from '../problems/page-query';
import type { Db, SqlExecutor } from '../database/db';
import { type Lease, logLeaseLost, newLeaseToken } from '../database/lease';
import { OrdoMetrics } from '../metrics/ordo-metrics';

/** An outbound webhook subscription (its secret never leaves the server). */
export interface Subscription {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

export interface Delivery {
  id: number;
  subscriptionId: number;
  event: string;
  payload: unknown;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** A delivery the sender has claimed, with the claim's token. */
export type ClaimedDelivery = Delivery & Lease;

const subscriptionFrom = (r: Record<string, unknown>): Subscription => ({
  id: Number(r.id),
  url: r.url as string,
  events: JSON.parse(r.events as string),
  active: Number(r.active) === 1,
  createdAt: r.created_at as string,
});

const deliveryFrom = (r: Record<string, unknown>): Delivery => ({
  id: Number(r.id),
  subscriptionId: Number(r.subscription_id),
  event: r.event as string,
  payload: JSON.parse(r.payload as string),
  status: r.status as Delivery['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at as string,
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: (r.last_error as string | null) ?? null,
  createdAt: r.created_at as string,
  deliveredAt: (r.delivered_at as string | null) ?? null,
});

/** Subscriptions and their delivery log. */
@Injectable()
export class WebhooksRepository {
  constructor(
    @Inject(DB) readonly db: Db,
    private readonly metrics: OrdoMetrics,
  ) {}

  async create(url: string, events: string[], sealedSecret: string, by: string, now: string) {
    const [row] = await this.db.query(
      `INSERT INTO webhook_subscriptions (url, events, secret, active, created_at, created_by)
       VALUES (?, ?, ?, 1, ?, ?) RETURNING *`,
      [url, JSON.stringify(events), sealedSecret, now, by],
    );
    return subscriptionFrom(row);
  }

  async list(): Promise<Subscription[]> {
    const rows = await this.db.query(
      'SELECT * FROM webhook_subscriptions WHERE active = 1 ORDER BY id',
    );
    return rows.map(subscriptionFrom);
  }

  async get(id: number) {
    const [row] = await this.db.query('SELECT * FROM webhook_subscriptions WHERE id = ?', [id]);
    return row && { ...subscriptionFrom(row), sealedSecret: row.secret as string };
  }

  /** Changes an active subscription; undefined when there is none. */
  async update(
    id: number,
    change: { url?: string; events?: string[]; sealedSecret?: string },
  ): Promise<Subscription | undefined> {
    const [row] = await this.db.query(
      `UPDATE webhook_subscriptions SET url = COALESCE(?, url), events = COALESCE(?, events),
         secret = COALESCE(?, secret) WHERE id = ? AND active = 1 RETURNING *`,
      [
        change.url ?? null,
        change.events ? JSON.stringify(change.events) : null,
        change.sealedSecret ?? null,
        id,
      ],
    );
    return row && subscriptionFrom(row);
  }

  /** Ends a subscription; its log stays. False when there is no such active subscription. */
  async deactivate(id: number): Promise<boolean> {
    return (
      (await this.db.run(
        'UPDATE webhook_subscriptions SET active = 0 WHERE id = ? AND active = 1',
        [id],
      )) === 1
    );
  }

  /** One delivery per active subscription to the event, once per source. */
  async fanOut(
    sourceKey: string,
    event: string,
    payload: unknown,
    now: string,
    tx: SqlExecutor,
  ): Promise<number> {
    return tx.run(
      `INSERT INTO webhook_deliveries (subscription_id, source_key, event, payload, status, attempts, next_attempt_at, created_at)
       SELECT id, ?, ?, ?, 'pending', 0, ?, ? FROM webhook_subscriptions
       WHERE active = 1 AND (events LIKE ? OR events LIKE '%"*"%')
       ON CONFLICT (subscription_id, source_key) DO NOTHING`,
      [sourceKey, event, JSON.stringify(payload), now, now, `%${JSON.stringify(event)}%`],
    );
  }

  /**
   * Takes up to `limit` due deliveries under a lease until `leaseUntil`; the claim's token
   * fences the sender's `attempted`.
   */
  async claim(now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
    const skipLocked = this.db.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.db.query(
      `UPDATE webhook_deliveries SET locked_until = ?, lease_token = ?, attempts = attempts + 1 WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
         ORDER BY next_attempt_at, id LIMIT ? ${skipLocked})
       RETURNING *`,
      [leaseUntil, newLeaseToken(), now, now, limit],
    );
    return rows
      .map((r) => ({ ...deliveryFrom(r), lease: r.lease_token as string }))
      .sort((a, b) => a.id - b.id);
  }

  /**
   * Records one attempt — delivered, failed for good, or due again at `retryAt` — if the claim
   * still holds the delivery: a sender that stalled past its lease changes nothing (logged,
   * false), so a delivery another sender finished stays finished.
   */
  async attempted(
    delivery: Lease,
    outcome: { status: number | null; error: string | null; delivered: boolean; retryAt?: string },
    now: string,
  ): Promise<boolean> {
    const status = outcome.delivered ? 'delivered' : outcome.retryAt ? 'pending' : 'failed';
    const changed = await this.db.run(
      `UPDATE webhook_deliveries SET status = ?, last_status = ?, last_error = ?, locked_until = NULL,
         lease_token = NULL, next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ?
       WHERE id = ? AND lease_token = ? AND status = 'pending'`,
      [
        status,
        outcome.status,
        outcome.error,
        outcome.retryAt ?? null,
        outcome.delivered ? now : null,
        delivery.id,
        delivery.lease,
      ],
    );
    if (!changed) logLeaseLost(`Webhook delivery ${delivery.id}`);
    else this.metrics.webhookDeliveries.inc({ outcome: status === 'pending' ? 'retried' : status });
    return changed === 1;
  }

  async nextDue(): Promise<string | undefined> {
    const [row] = await this.db.query<{ at: string | null }>(
      "SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'pending'",
    );
    return row?.at ?? undefined;
  }

  async deliveries(
    subscriptionId: number,
    filter: { status?: string; limit: number; cursor?: number },
  ) {
    const rows = await this.db.query(
      `SELECT * FROM webhook_deliveries WHERE subscription_id = ?
       ${filter.status ? 'AND status = ?' : ''} ${filter.cursor !== undefined ? 'AND id < ?' : ''}
       ORDER BY id DESC LIMIT ?`,
      [
        subscriptionId,
        ...(filter.status ? [filter.status] : []),
        ...(filter.cursor !== undefined ? [filter.cursor] : []),
        filter.limit + 1,
      ],
    );
    return pageOf(rows, filter.limit, deliveryFrom);
  }

  /** Sends a delivery again now (whatever its status). False when there is no such delivery. */
  async redeliver(subscriptionId: number, id: number, now: string): Promise<boolean> {
    return (
      (await this.db.run(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, created_at = ?, locked_until = NULL,
           lease_token = NULL WHERE id = ? AND subscription_id = ?`,
        [now, now, id, subscriptionId],
      )) === 1
    );
  }

  async delivery(id: number) {
    const [row] = await this.db.query('SELECT * FROM webhook_deliveries WHERE id = ?', [id]);
    return row && deliveryFrom(row);
  }
}
