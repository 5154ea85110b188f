import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';

/** One scheduled report of a month: sent, being sent (under a lease), failed or skipped. */
export interface ReportRun {
  flow: string;
  report: string;
  month: string;
  status: 'sending' | 'sent' | 'failed' | 'skipped';
  delivered: string[];
  attempts: number;
  nextAt: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

const runFrom = (r: Record<string, unknown>): ReportRun => ({
  flow: r.flow_key as string,
  report: r.report_id as string,
  month: r.month as string,
  status: r.status as ReportRun['status'],
  delivered: JSON.parse(r.delivered as string) as string[],
  attempts: Number(r.attempts),
  nextAt: (r.next_at as string | null) ?? null,
  error: (r.error as string | null) ?? null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

/**
 * The report runs. A run is sent by the process that claims it: by inserting it, or by taking
 * over a failed one that is due or one whose sender's lease ran out. Every write of a sender is
 * fenced by the lease it holds, so a sender that stalled past its lease changes nothing.
 */
@Injectable()
export class ReportRunsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Whether the report was ever seen (a first sight skips the month before: no surprise send). */
  async seen(flow: string, report: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 AS x FROM report_runs WHERE flow_key = ? AND report_id = ? LIMIT 1',
      [flow, report],
    );
    return rows.length > 0;
  }

  /** Inserts the run as `status`; false when it exists already. */
  async insert(
    key: { flow: string; report: string; month: string },
    status: 'sending' | 'skipped',
    lease: string | null,
    now: string,
  ): Promise<boolean> {
    const n = await this.db.run(
      `INSERT INTO report_runs (flow_key, report_id, month, status, delivered, attempts, lease_until, created_at, updated_at)
       VALUES (?, ?, ?, ?, '[]', 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [key.flow, key.report, key.month, status, lease, now, now],
    );
    return n === 1;
  }

  /**
   * Takes over a run: a failed one that is due, one whose sender's lease ran out, or — when
   * `again` (a person asked) — any run not being sent, whose channels are then all sent again.
   */
  async takeOver(
    key: { flow: string; report: string; month: string },
    lease: string,
    now: string,
    again = false,
  ): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE report_runs SET status = 'sending', lease_until = ?, updated_at = ?
         ${again ? ", delivered = '[]'" : ''}
       WHERE flow_key = ? AND report_id = ? AND month = ? AND (
         (status = 'failed' AND next_at <= ?) OR (status = 'sending' AND lease_until < ?)
         ${again ? "OR status IN ('sent', 'failed', 'skipped')" : ''})`,
      [lease, now, key.flow, key.report, key.month, now, now],
    );
    return n === 1;
  }

  /** Failed runs due again, and runs whose sender's lease ran out. */
  async due(now: string): Promise<{ flow: string; report: string; month: string }[]> {
    const rows = await this.db.query(
      `SELECT flow_key, report_id, month FROM report_runs
       WHERE (status = 'failed' AND next_at <= ?) OR (status = 'sending' AND lease_until < ?)`,
      [now, now],
    );
    return rows.map((r) => ({
      flow: r.flow_key as string,
      report: r.report_id as string,
      month: r.month as string,
    }));
  }

  async get(flow: string, report: string, month: string): Promise<ReportRun | undefined> {
    const [row] = await this.db.query(
      'SELECT * FROM report_runs WHERE flow_key = ? AND report_id = ? AND month = ?',
      [flow, report, month],
    );
    return row && runFrom(row);
  }

  /** When the next failed run is due again. */
  async nextDue(): Promise<string | undefined> {
    const [row] = await this.db.query(
      "SELECT min(next_at) AS at FROM report_runs WHERE status = 'failed'",
    );
    return (row?.at as string | null) ?? undefined;
  }

  async list(flow: string, limit = 100): Promise<ReportRun[]> {
    return (
      await this.db.query(
        'SELECT * FROM report_runs WHERE flow_key = ? ORDER BY month DESC, report_id LIMIT ?',
        [flow, limit],
      )
    ).map(runFrom);
  }

  /** Records the outcome, if the lease still holds; false when another sender took over. */
  async finish(
    key: { flow: string; report: string; month: string },
    lease: string,
    outcome: {
      status: 'sent' | 'failed';
      delivered: string[];
      error: string | null;
      nextAt: string | null;
    },
    now: string,
  ): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE report_runs SET status = ?, delivered = ?, error = ?, next_at = ?, attempts = attempts + 1,
         lease_until = NULL, updated_at = ?
       WHERE flow_key = ? AND report_id = ? AND month = ? AND status = 'sending' AND lease_until = ?`,
      [
        outcome.status,
        JSON.stringify(outcome.delivered),
        outcome.error,
        outcome.nextAt,
        now,
        key.flow,
        key.report,
        key.month,
        lease,
      ],
    );
    return n === 1;
  }
}
