import type { TimeSummary } from '@ordo/engine';
import type { Db } from '../database/db';

export const EMPTY_TIME: TimeSummary = {
  count: 0,
  meanMs: null,
  p50Ms: null,
  p90Ms: null,
  p95Ms: null,
};

/**
 * The continuous percentile of sorted values (linear interpolation between closest ranks, as
 * PostgreSQL's `percentile_cont` and numpy's default): rank h = (n − 1)·p.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The summary of sorted durations. */
export function summarize(sorted: readonly number[]): TimeSummary {
  if (!sorted.length) return EMPTY_TIME;
  return {
    count: sorted.length,
    meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p95Ms: percentile(sorted, 0.95),
  };
}

/**
 * Time summaries per group of `source`, a statement selecting `g` (the group) and `d` (a
 * duration in ms). PostgreSQL aggregates in the database (`percentile_cont`); SQLite, which
 * has no percentile function, streams the sorted durations to the same formula here.
 */
export async function timeSummaries(
  db: Db,
  source: string,
  params: unknown[],
): Promise<Map<string, TimeSummary>> {
  const out = new Map<string, TimeSummary>();
  if (db.kind === 'postgres') {
    const rows = await db.query(
      `SELECT g, count(*) AS n, avg(d) AS mean,
         percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY d) AS p
       FROM (${source}) s GROUP BY g`,
      params,
    );
    for (const r of rows) {
      const p = r.p as number[];
      out.set(String(r.g), {
        count: Number(r.n),
        meanMs: Number(r.mean),
        p50Ms: p[0],
        p90Ms: p[1],
        p95Ms: p[2],
      });
    }
    return out;
  }
  const rows = await db.query(`SELECT g, d FROM (${source}) s ORDER BY g, d`, params);
  let group: string | undefined;
  let values: number[] = [];
  const flush = () => group !== undefined && out.set(group, summarize(values));
  for (const r of rows) {
    const g = String(r.g);
    if (g !== group) {
      flush();
      group = g;
      values = [];
    }
    values.push(Number(r.d));
  }
  flush();
  return out;
}
