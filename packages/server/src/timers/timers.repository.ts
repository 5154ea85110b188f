import { Inject, Injectable } from '@nestjs/common';
import type { DueTimer, TimerKind, TimerStartEffect } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import { type Lease, logLeaseLost, newLeaseToken } from '../database/lease';

/** A stored timer, leased to the runner that fires it. */
export interface StoredTimer extends DueTimer {
  id: number;
  orderId: string;
}

/** A due timer this runner has claimed, with the claim's token. */
export type ClaimedTimer = StoredTimer & Lease;

const timerFrom = (r: Record<string, unknown>): StoredTimer => ({
  id: Number(r.id),
  orderId: r.order_id as string,
  timer: r.timer as string,
  ...(r.kind !== null && r.kind !== undefined && { kind: r.kind as TimerKind }),
  state: r.state as string,
  at: r.due_at as string,
  ...(r.since !== null && r.since !== undefined && { since: r.since as string }),
});

/**
 * Per-order timers (SLA, polls, blocked auto transitions), one row per order and timer id.
 * A due timer is claimed under a lease and deleted in the transaction that applies it, so a
 * timer fires once even with several processes, and survives restarts. Each claim writes a new
 * `lease_token`, and the holder's delete and release match it: a runner that stalled past its
 * lease changes nothing (its transaction is rolled back, its release is logged and dropped).
 */
@Injectable()
export class TimersRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Starts a timer unless the order already has one with that id (it keeps running). */
  async start(orderId: string, effect: TimerStartEffect, tx: SqlExecutor = this.db) {
    await tx.run(
      `INSERT INTO timers (order_id, timer, kind, state, due_at, since) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (order_id, timer) DO NOTHING`,
      [orderId, effect.timer, effect.kind, effect.state, effect.at, effect.since ?? null],
    );
  }

  async cancel(orderId: string, timer: string, tx: SqlExecutor = this.db) {
    await tx.run('DELETE FROM timers WHERE order_id = ? AND timer = ?', [orderId, timer]);
  }

  /** Takes up to `limit` due timers, earliest first, leasing them until `leaseUntil`. */
  async claim(now: string, leaseUntil: string, limit: number): Promise<ClaimedTimer[]> {
    const skipLocked = this.db.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.db.query(
      `UPDATE timers SET locked_until = ?, lease_token = ? WHERE id IN (
         SELECT id FROM timers WHERE due_at <= ? AND (locked_until IS NULL OR locked_until < ?)
         ORDER BY due_at LIMIT ? ${skipLocked})
       RETURNING *`,
      [leaseUntil, newLeaseToken(), now, now, limit],
    );
    return rows
      .map((r) => ({ ...timerFrom(r), lease: r.lease_token as string }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * Deletes a fired timer if the claim still holds it; 0 when it is gone (cancelled, or fired
   * by another process) or another runner claimed it since (logged).
   */
  async remove(timer: Lease, tx: SqlExecutor = this.db): Promise<number> {
    const removed = await tx.run('DELETE FROM timers WHERE id = ? AND lease_token = ?', [
      timer.id,
      timer.lease,
    ]);
    if (!removed) await this.noteLost(timer, tx);
    return removed;
  }

  /** Frees a timer whose firing failed, to be tried again at `at` (if the claim still holds it). */
  async release(timer: Lease, at: string): Promise<void> {
    const changed = await this.db.run(
      'UPDATE timers SET locked_until = NULL, lease_token = NULL, due_at = ? WHERE id = ? AND lease_token = ?',
      [at, timer.id, timer.lease],
    );
    if (!changed) await this.noteLost(timer, this.db);
  }

  /** A holder's write changed nothing: logged when the timer is still there (held by another). */
  private async noteLost(timer: Lease, tx: SqlExecutor): Promise<void> {
    const [row] = await tx.query('SELECT id FROM timers WHERE id = ?', [timer.id]);
    if (row) logLeaseLost(`Timer ${timer.id}`);
  }

  async nextDue(): Promise<string | undefined> {
    const [row] = await this.db.query<{ at: string | null }>(
      'SELECT MIN(due_at) AS at FROM timers',
    );
    return row?.at ?? undefined;
  }

  async forOrder(orderId: string): Promise<StoredTimer[]> {
    const rows = await this.db.query('SELECT * FROM timers WHERE order_id = ? ORDER BY due_at', [
      orderId,
    ]);
    return rows.map(timerFrom);
  }
}
