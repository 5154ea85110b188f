import { Inject, Injectable } from '@nestjs/common';
import type { ExceptionKind } from '@ordo/engine';
import { DB } from '../database/database.module';
import { pageOf } from '../problems/page-query';
import type { Db, SqlExecutor } from '../database/db';

/** How an exception is being settled: by the system (retry, event, patch), a person (task), or not yet routed. */
export type Resolution = 'retry' | 'event' | 'patch' | 'task' | 'none';

export interface ExceptionRecord {
  id: number;
  flow: string;
  orderId: string | null;
  kind: ExceptionKind;
  detail: Record<string, unknown>;
  /** Index of the routing rule that applied, if any. */
  rule: number | null;
  resolution: Resolution;
  status: 'open' | 'settled';
  settledBy: 'system' | 'person' | null;
  note: string | null;
  createdAt: string;
  settledAt: string | null;
}

const recordFrom = (r: Record<string, unknown>): ExceptionRecord => ({
  id: Number(r.id),
  flow: r.flow_key as string,
  orderId: (r.order_id as string | null) ?? null,
  kind: r.kind as ExceptionKind,
  detail: JSON.parse(r.detail as string),
  rule: r.rule_index === null ? null : Number(r.rule_index),
  resolution: r.resolution as Resolution,
  status: r.status as 'open' | 'settled',
  settledBy: (r.settled_by as 'system' | 'person' | null) ?? null,
  note: (r.note as string | null) ?? null,
  createdAt: r.created_at as string,
  settledAt: (r.settled_at as string | null) ?? null,
});

/** Every exception, with its kind and how it was settled: the figures behind "settled without a person". */
@Injectable()
export class ExceptionsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Records an exception once per source key; undefined when it was recorded before. */
  async insertOnce(
    e: {
      sourceKey: string;
      flow: string;
      orderId?: string;
      kind: ExceptionKind;
      detail: Record<string, unknown>;
      rule?: number;
      resolution: Resolution;
    },
    now: string,
    tx: SqlExecutor = this.db,
  ): Promise<ExceptionRecord | undefined> {
    const rows = await tx.query(
      `INSERT INTO exceptions (source_key, flow_key, order_id, kind, detail, rule_index, resolution, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (source_key) DO NOTHING RETURNING *`,
      [
        e.sourceKey,
        e.flow,
        e.orderId ?? null,
        e.kind,
        JSON.stringify(e.detail),
        e.rule ?? null,
        e.resolution,
        now,
      ],
    );
    return rows[0] && recordFrom(rows[0]);
  }

  async bySourceKey(key: string, tx: SqlExecutor = this.db) {
    const [row] = await tx.query('SELECT * FROM exceptions WHERE source_key = ?', [key]);
    return row && recordFrom(row);
  }

  /** Settles an open exception (or notes why it stays open). */
  async settle(
    id: number,
    by: 'system' | 'person' | null,
    note: string | null,
    now: string,
    tx: SqlExecutor = this.db,
  ): Promise<void> {
    await tx.run(
      `UPDATE exceptions SET status = ?, settled_by = ?, note = COALESCE(?, note), settled_at = ?
       WHERE id = ? AND status = 'open'`,
      [by ? 'settled' : 'open', by, note, by ? now : null, id],
    );
  }

  /**
   * Settles, by the system and with the note, the open exceptions whose source key starts
   * with `prefix`; the settled records after.
   */
  async settleOpenByPrefix(prefix: string, note: string, now: string): Promise<ExceptionRecord[]> {
    const rows = await this.db.query(
      `UPDATE exceptions SET status = 'settled', settled_by = 'system', note = ?, settled_at = ?
       WHERE source_key LIKE ? ESCAPE '!' AND status = 'open' RETURNING *`,
      [note, now, `${prefix.replace(/[!%_]/g, '!$&')}%`],
    );
    return rows.map(recordFrom);
  }

  /** Order ids with an open exception of the flow and kind whose source key starts with `prefix`. */
  async openOrdersByPrefix(
    flow: string,
    kind: ExceptionKind,
    prefix: string,
  ): Promise<Set<string>> {
    const rows = await this.db.query<{ order_id: string }>(
      `SELECT DISTINCT order_id FROM exceptions WHERE flow_key = ? AND kind = ? AND source_key LIKE ? ESCAPE '!'
       AND status = 'open' AND order_id IS NOT NULL`,
      [flow, kind, `${prefix.replace(/[!%_]/g, '!$&')}%`],
    );
    return new Set(rows.map((r) => String(r.order_id)));
  }

  /**
   * Settles the exception a task opened by an effect stands for (SLA breaches): by the person
   * who resolved the task, or by the system when the task closed by itself (the order left the
   * state it waited in, so the breach is over).
   */
  async settleByTaskKey(
    key: string,
    note: string,
    now: string,
    tx: SqlExecutor = this.db,
    by: 'person' | 'system' = 'person',
  ): Promise<void> {
    await tx.run(
      `UPDATE exceptions SET status = 'settled', settled_by = ?, note = ?, settled_at = ?
       WHERE source_key = ? AND status = 'open'`,
      [by, note, now, `task:${key}`],
    );
  }

  async get(id: number) {
    const [row] = await this.db.query('SELECT * FROM exceptions WHERE id = ?', [id]);
    return row && recordFrom(row);
  }

  async list(filter: {
    flow?: string;
    kind?: string;
    status?: string;
    orderId?: string;
    limit: number;
    cursor?: number;
  }) {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['flow_key', filter.flow],
      ['kind', filter.kind],
      ['status', filter.status],
      ['order_id', filter.orderId],
    ] as const)
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    if (filter.cursor !== undefined) {
      where.push('id < ?');
      params.push(filter.cursor);
    }
    const rows = await this.db.query(
      `SELECT * FROM exceptions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit + 1],
    );
    return pageOf(rows, filter.limit, recordFrom);
  }

  /** Counts by kind and by who settled them, for one flow or all. */
  async stats(flow?: string) {
    const rows = await this.db.query<{
      kind: string;
      status: string;
      settled_by: string | null;
      n: number | string;
    }>(
      `SELECT kind, status, settled_by, COUNT(*) AS n FROM exceptions ${flow ? 'WHERE flow_key = ?' : ''}
       GROUP BY kind, status, settled_by`,
      flow ? [flow] : [],
    );
    const byKind: Record<
      string,
      { total: number; automatic: number; byPerson: number; open: number }
    > = {};
    for (const r of rows) {
      const k = (byKind[r.kind] ??= { total: 0, automatic: 0, byPerson: 0, open: 0 });
      const n = Number(r.n);
      k.total += n;
      if (r.status === 'open') k.open += n;
      else if (r.settled_by === 'system') k.automatic += n;
      else k.byPerson += n;
    }
    const sum = (key: 'total' | 'automatic' | 'byPerson' | 'open') =>
      Object.values(byKind).reduce((acc, k) => acc + k[key], 0);
    const total = sum('total');
    return {
      total,
      settledAutomatically: sum('automatic'),
      settledByPerson: sum('byPerson'),
      open: sum('open'),
      /** The share of all exceptions settled without a person (0 when there are none). */
      automaticShare: total ? sum('automatic') / total : 0,
      byKind,
    };
  }
}
