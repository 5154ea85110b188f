import type { Db } from '../database/db';
import { problems } from '../problems/api-problem';
import { type AnalyticsFilter, scopeOf } from './analytics-filter';
import type { TimeSummary } from '@ordo/engine';
import { periodSeries } from './period-series';
import { EMPTY_TIME, timeSummaries } from './time-summary';
import { periodsAnswer } from './window-figures';

export const BUCKETS = ['day', 'week', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The first day (`YYYY-MM-DD`, UTC) of the bucket an ISO time column falls in; weeks start on Monday. */
export function bucketOf(db: Db, column: string, bucket: Bucket): string {
  if (bucket === 'day') return `substr(${column}, 1, 10)`;
  if (bucket === 'month') return `substr(${column}, 1, 7) || '-01'`;
  return db.kind === 'postgres'
    ? `to_char(date_trunc('week', (${column})::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`
    : `date(substr(${column}, 1, 10), '-6 days', 'weekday 1')`;
}

/** One bucket of a measure's series. */
export interface MeasurePoint {
  bucket: string;
  time: TimeSummary;
  withinTarget?: number | null;
}

/** One bucket of the orders' series. */
export interface OrdersPoint {
  bucket: string;
  created: number;
  completed: number;
  cycleTime: TimeSummary;
}

/**
 * The figures over time: a measure's time summary (by when it ended) and its share within
 * target per bucket; without a measure, orders created and completed and the cycle time.
 */
export async function analyticsSeries(
  db: Db,
  flowKey: string,
  f: AnalyticsFilter,
  bucket: Bucket,
  measure?: { id: string; target?: string },
  exactUpTo = Infinity,
): Promise<{ bucket: Bucket; measure?: string; items: (MeasurePoint | OrdersPoint)[] }> {
  const summed = periodsAnswer(f)
    ? await periodSeries(db, flowKey, f, bucket, exactUpTo, measure)
    : undefined;
  if (summed) return { bucket, ...(measure && { measure: measure.id }), items: summed };
  const scope = scopeOf(flowKey, f);
  const w = [...scope.params, f.from, f.to];
  const inWindow = (column: string) => `${scope.sql} AND ${column} >= ? AND ${column} < ?`;
  if (measure) {
    const b = bucketOf(db, 'ended_at', bucket);
    const times = await timeSummaries(
      db,
      `SELECT ${b} AS g, duration_ms AS d FROM journey_measures WHERE ${inWindow('ended_at')} AND measure = ?`,
      [...w, measure.id],
    );
    const late = await db.query(
      `SELECT ${b} AS g, count(*) AS n, sum(CASE WHEN late = 0 THEN 1 ELSE 0 END) AS ok
       FROM journey_measures WHERE ${inWindow('ended_at')} AND measure = ? AND late IS NOT NULL GROUP BY ${b}`,
      [...w, measure.id],
    );
    const within = new Map(late.map((r) => [String(r.g), Number(r.ok) / Number(r.n)]));
    const items = [...times.keys()].sort().map((g) => ({
      bucket: g,
      time: times.get(g)!,
      ...(measure.target && { withinTarget: within.get(g) ?? null }),
    }));
    return { bucket, measure: measure.id, items };
  }
  const created = await db.query(
    `SELECT ${bucketOf(db, 'created_at', bucket)} AS g, count(*) AS n FROM journey_orders
     WHERE ${inWindow('created_at')} GROUP BY ${bucketOf(db, 'created_at', bucket)}`,
    w,
  );
  const cycle = await timeSummaries(
    db,
    `SELECT ${bucketOf(db, 'completed_at', bucket)} AS g, cycle_ms AS d FROM journey_orders WHERE ${inWindow('completed_at')}`,
    w,
  );
  const createdBy = new Map(created.map((r) => [String(r.g), Number(r.n)]));
  const buckets = [...new Set([...createdBy.keys(), ...cycle.keys()])].sort();
  return {
    bucket,
    items: buckets.map((g) => ({
      bucket: g,
      created: createdBy.get(g) ?? 0,
      completed: cycle.get(g)?.count ?? 0,
      cycleTime: cycle.get(g) ?? EMPTY_TIME,
    })),
  };
}

/** The `bucket` of a query, or a 400 naming it. */
export function bucketParam(raw: unknown): Bucket {
  if (raw === undefined) return 'day';
  if (!BUCKETS.includes(raw as Bucket))
    throw problems.invalidQuery('/bucket', `must be one of ${BUCKETS.join(', ')}`);
  return raw as Bucket;
}
