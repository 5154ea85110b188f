import type { Db, SqlExecutor } from '../database/db';
import { LeaseLostError, logLeaseLost, newLeaseToken } from '../database/lease';

/** A schedule run this process holds: the schedule's key and the claim's token. */
export interface ScheduleLease {
  key: string;
  lease: string;
}

/**
 * Flow-level schedules (reconciliations): the next run of each, taken by one process under a
 * lease. A claim moves the next run on and writes a new `lease_token`; the run's own write (its
 * report) is committed with the end of the lease, only while the claim still holds it — a run
 * that stalled past its lease while another process ran the schedule again writes nothing.
 */
export class FlowSchedules {
  constructor(private readonly db: Db) {}

  /** The schedule's next run: `firstRun` for a schedule seen for the first time. */
  async next(key: string, firstRun: string): Promise<string> {
    await this.db.run(
      'INSERT INTO flow_schedules (key, next_run_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
      [key, firstRun],
    );
    const [row] = await this.db.query<{ next_run_at: string }>(
      'SELECT next_run_at FROM flow_schedules WHERE key = ?',
      [key],
    );
    return row.next_run_at;
  }

  /** Makes an unleased schedule due at `now` (a run asked for now). */
  async moveUp(key: string, now: string): Promise<void> {
    await this.db.run(
      'UPDATE flow_schedules SET next_run_at = ? WHERE key = ? AND lease_token IS NULL',
      [now, key],
    );
  }

  /**
   * Takes the run due now, if it is due and no live run holds the schedule: the next run moves
   * to `following`, the lease lasts until `leaseUntil`. Undefined when another process has it.
   */
  async claim(
    key: string,
    now: string,
    following: string,
    leaseUntil: string,
  ): Promise<ScheduleLease | undefined> {
    const lease = newLeaseToken();
    const won = await this.db.run(
      `UPDATE flow_schedules SET next_run_at = ?, lease_token = ?, locked_until = ?
       WHERE key = ? AND next_run_at <= ? AND (locked_until IS NULL OR locked_until < ?)`,
      [following, lease, leaseUntil, key, now, now],
    );
    return won === 1 ? { key, lease } : undefined;
  }

  /** Extends a run's lease while it works; false when it was lost. */
  async renew(held: ScheduleLease, until: string): Promise<boolean> {
    return (
      (await this.db.run(
        'UPDATE flow_schedules SET locked_until = ? WHERE key = ? AND lease_token = ?',
        [until, held.key, held.lease],
      )) === 1
    );
  }

  /**
   * Ends the run: frees the schedule and commits the run's write (`write`) in one transaction
   * — only while the claim still holds it. A lost lease writes nothing: logged, undefined.
   */
  async finish<T>(
    held: ScheduleLease,
    write: (tx: SqlExecutor) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.db.transaction(async (tx) => {
        const freed = await tx.run(
          'UPDATE flow_schedules SET lease_token = NULL, locked_until = NULL WHERE key = ? AND lease_token = ?',
          [held.key, held.lease],
        );
        if (freed !== 1) throw new LeaseLostError(`Schedule ${held.key}`);
        return write(tx);
      });
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      logLeaseLost(error.what);
      return undefined;
    }
  }
}
