import { Inject, Injectable } from '@nestjs/common';
import type { StoredEffect } from '../webhooks/state-change-feed';
import { DB } from '../database/database.module';
import { pageOf } from '../problems/page-query';
import type { Db, SqlExecutor } from '../database/db';
import { type Lease, LeaseLostError, logLeaseLost, newLeaseToken } from '../database/lease';
import { OrdoMetrics } from '../metrics/ordo-metrics';
import { settleParams, type Settlement } from '../orders/order-rows';
import { SETTLE_IF_LEASED } from '../orders/order-tables';

/** An outbox row the runtime has claimed. */
export interface ClaimedEffect extends Lease {
  orderId: string;
  idempotencyKey: string;
  effect: StoredEffect;
  /** This attempt's number, 1-based. */
  attempt: number;
  /** What earlier attempts achieved (kept by `reschedule`), or null. */
  result: unknown;
}

/** Effect types the runtime carries out (all of them). */
export const RUNNABLE_TYPES = [
  'connector.call',
  'notify',
  'task.open',
  'task.close',
  'timer.start',
  'timer.cancel',
  'emit',
  'state.changed',
] as const;

const view = (r: Record<string, unknown>) => ({
  id: Number(r.id),
  orderId: r.order_id as string,
  idempotencyKey: r.idempotency_key as string,
  type: r.type as string,
  status: r.status as string,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at as string,
  lastError: (r.last_error as string | null) ?? null,
  result: r.result ? JSON.parse(r.result as string) : null,
  settledAt: (r.settled_at as string | null) ?? null,
  createdAt: r.created_at as string,
  effect: JSON.parse(r.effect as string) as StoredEffect,
});
export type EffectView = ReturnType<typeof view>;

const types = RUNNABLE_TYPES.map(() => '?').join(', ');

/**
 * The claim: up to LIMIT due rows, oldest first, leased. It walks `outbox_due` (status,
 * next_attempt_at, id) in its ORDER BY and stops at the LIMIT, so it reads as many rows as it
 * takes however long the queue; each row read checks its order's earlier rows on
 * `outbox_order`. Values: lease until, token, the types, now, the types, limit.
 */
export const claimSql = (kind: 'sqlite' | 'postgres') =>
  `UPDATE outbox SET status = 'running', locked_until = ?, lease_token = ?, attempts = attempts + 1
   WHERE id IN (
     SELECT id FROM outbox AS o
     WHERE status = 'pending' AND type IN (${types}) AND next_attempt_at <= ?
       -- One order's effects run in the order they were written: a row waits while an
       -- earlier one of its order is still to run (dead ones do not hold it up).
       AND NOT EXISTS (
         SELECT 1 FROM outbox AS e
         WHERE e.order_id = o.order_id AND e.id < o.id
           AND e.status IN ('pending', 'running') AND e.type IN (${types}))
     ORDER BY next_attempt_at, id LIMIT ? ${kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : ''})
   RETURNING id, lease_token, order_id, idempotency_key, effect, attempts, result`;

/**
 * The outbox as a work queue. A claim is a lease: the row is `running` until `locked_until`,
 * after which another runner may take it again — so an effect whose runner died is run again
 * (at least once), and the other side's idempotency key makes that harmless. Every claim
 * writes a new `lease_token`, and every write of the holder (settle, reschedule, renew)
 * matches it: a runner that stalled past its lease and comes back changes nothing.
 */
@Injectable()
export class OutboxRepository {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly metrics: OrdoMetrics,
  ) {}

  /** Takes up to `limit` due rows, oldest first, leasing them until `leaseUntil`. */
  async claim(now: string, leaseUntil: string, limit: number): Promise<ClaimedEffect[]> {
    const rows = await this.db.query(claimSql(this.db.kind), [
      leaseUntil,
      newLeaseToken(),
      ...RUNNABLE_TYPES,
      now,
      ...RUNNABLE_TYPES,
      limit,
    ]);
    return rows
      .map((r) => ({
        id: Number(r.id),
        lease: r.lease_token as string,
        orderId: r.order_id as string,
        idempotencyKey: r.idempotency_key as string,
        effect: JSON.parse(r.effect as string) as StoredEffect,
        attempt: Number(r.attempts),
        result: r.result ? JSON.parse(r.result as string) : null,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Rows whose runner stopped renewing its lease (it died) are due again. How many. */
  reclaimExpired(now: string): Promise<number> {
    return this.db.run(
      "UPDATE outbox SET status = 'pending', locked_until = NULL, lease_token = NULL WHERE status = 'running' AND locked_until < ?",
      [now],
    );
  }

  /**
   * Marks a claimed row done (or dead), if the claim still holds it. Inside the caller's
   * transaction (`tx`) a lost lease throws LeaseLostError, so that the work done with it (the
   * answer applied to the order, a task opened) is rolled back; outside, it is logged and the
   * answer is false.
   */
  async settle(
    claimed: ClaimedEffect,
    status: 'done' | 'dead',
    result: unknown,
    error: string | null,
    now: string,
    tx?: SqlExecutor,
  ): Promise<boolean> {
    const changed = await (tx ?? this.db).run(
      SETTLE_IF_LEASED,
      settleParams(this.settlement(claimed, status, result, error, now)),
    );
    return this.counted(this.fenced(changed, claimed, tx), claimed, status);
  }

  /**
   * How a claimed row is to be settled, for a write of its order that settles it together
   * with the outcome it applies (`OrdersService.applyOutcome`); `countSettled` once written.
   */
  settlement(
    claimed: ClaimedEffect,
    status: 'done' | 'dead',
    result: unknown,
    error: string | null,
    now: string,
  ): Settlement {
    return { id: claimed.id, lease: claimed.lease, status, result, error, at: now };
  }

  /** Counts the outcome of a row settled by its order's write (`settlement`). */
  countSettled(claimed: ClaimedEffect, status: 'done' | 'dead'): void {
    this.counted(true, claimed, status);
  }

  /** Extends the leases of rows this process still holds (and only those). */
  async renew(claims: readonly Lease[], until: string): Promise<void> {
    if (!claims.length) return;
    await this.db.run(
      `UPDATE outbox SET locked_until = ? WHERE status = 'running' AND id IN (${claims.map(() => '?').join(', ')}) AND lease_token IN (${claims.map(() => '?').join(', ')})`,
      [until, ...claims.map((c) => c.id), ...claims.map((c) => c.lease)],
    );
  }

  /**
   * Puts a failed attempt back in the queue for `at`, keeping what it achieved (`result`), if
   * the claim still holds the row (else logged, false: a finished effect stays finished).
   */
  async reschedule(
    claimed: ClaimedEffect,
    at: string,
    error: string,
    result: unknown = null,
  ): Promise<boolean> {
    const changed = await this.db.run(
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, result = ?, locked_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ? AND status = 'running'",
      [at, error, JSON.stringify(result), claimed.id, claimed.lease],
    );
    return this.counted(this.fenced(changed, claimed), claimed, 'retried');
  }

  /**
   * Counts an attempt's outcome once its row was written (a lost lease counts nothing). In a
   * caller's transaction it counts at the write: a commit that then fails is not uncounted.
   */
  private counted(written: boolean, claimed: ClaimedEffect, outcome: string): boolean {
    if (written) this.metrics.effects.inc({ type: claimed.effect.type, outcome });
    return written;
  }

  private fenced(changed: number, claimed: Lease, tx?: SqlExecutor): boolean {
    if (changed === 1) return true;
    const what = `Outbox row ${claimed.id}`;
    if (tx) throw new LeaseLostError(what);
    logLeaseLost(what);
    return false;
  }

  /**
   * Embedded mode has one runner: whatever it was running when it stopped is due again now.
   * Returns how many rows it released.
   */
  releaseAll(now: string): Promise<number> {
    return this.db.run(
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?, locked_until = NULL, lease_token = NULL WHERE status = 'running'",
      [now],
    );
  }

  /** When the next pending row falls due, if any. */
  async nextDue(): Promise<string | undefined> {
    const [row] = await this.db.query<{ at: string | null }>(
      `SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND type IN (${types})`,
      [...RUNNABLE_TYPES],
    );
    return row?.at ?? undefined;
  }

  async list(filter: { status?: string; orderId?: string; limit: number; after?: number }) {
    const conditions: [string, unknown][] = [];
    if (filter.status) conditions.push(['status = ?', filter.status]);
    if (filter.orderId) conditions.push(['order_id = ?', filter.orderId]);
    if (filter.after !== undefined) conditions.push(['id > ?', filter.after]);
    const where = conditions.map(([sql]) => sql);
    const params = conditions.map(([, value]) => value);
    const rows = await this.db.query(
      `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`,
      [...params, filter.limit + 1],
    );
    return pageOf(rows, filter.limit, view);
  }

  async get(id: number): Promise<EffectView | undefined> {
    const [row] = await this.db.query('SELECT * FROM outbox WHERE id = ?', [id]);
    return row && view(row);
  }

  /** A dead row back to the queue with fresh attempts. False when the row is not dead. */
  async retry(id: number, now: string): Promise<boolean> {
    return (
      (await this.db.run(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, settled_at = NULL, locked_until = NULL WHERE id = ? AND status = 'dead'",
        [now, id],
      )) === 1
    );
  }

  /** Counts by status, for health and the operations page. */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ status: string; n: number | string }>(
      'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
