import type { Db } from '../database/db';
import { type AnalyticsFilter, scopeOf } from './analytics-filter';
import type { Bucket, MeasurePoint, OrdersPoint } from './analytics-series';
import { addToSketch, emptySketch, type Sketch, summarizeSketch } from './duration-sketch';
import { periodsCovering, periodsWhere } from './journey-periods';
import { EMPTY_TIME } from './time-summary';

/** The series bucket (its first day) of a period row: a day, or a month for monthly series. */
function bucketKey(period: string, bucket: Bucket): string {
  if (bucket === 'month') return `${period.slice(0, 7)}-01`;
  if (bucket === 'day') return period;
  const day = new Date(`${period}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/**
 * A series from the period sums (whole-day windows without a customer filter): monthly series
 * read month rows, daily and weekly ones day rows. `undefined` when its durations are few
 * (`exactUpTo` or fewer): the journey rows then answer exactly, and cheaply.
 */
export async function periodSeries(
  db: Db,
  flowKey: string,
  f: AnalyticsFilter,
  bucket: Bucket,
  exactUpTo: number,
  measure?: { id: string; target?: string },
): Promise<(MeasurePoint | OrdersPoint)[] | undefined> {
  const scope = scopeOf(flowKey, f);
  const [from, to] = [f.from.slice(0, 10), f.to.slice(0, 10)];
  const periods = periodsWhere(
    bucket === 'month' ? periodsCovering(from, to) : { months: [], days: [[from, to]] },
  );
  const metrics = measure
    ? {
        sql: "metric IN ('measure', 'measure_judged', 'measure_ok') AND grp = ?",
        params: [measure.id],
      }
    : { sql: "metric IN ('created', 'cycle')", params: [] };
  const rows = await db.query(
    `SELECT period, metric, bucket, sum(n) AS n, sum(total) AS total FROM journey_periods
     WHERE ${scope.sql} AND ${periods.sql} AND ${metrics.sql}
     GROUP BY period, metric, bucket`,
    [...scope.params, ...periods.params, ...metrics.params],
  );
  const points = new Map<string, { sketch: Sketch; counts: Map<string, number> }>();
  let values = 0;
  for (const r of rows) {
    const key = bucketKey(r.period as string, bucket);
    let point = points.get(key);
    if (!point) points.set(key, (point = { sketch: emptySketch(), counts: new Map() }));
    const [metric, n] = [r.metric as string, Number(r.n)];
    if (metric === 'measure' || metric === 'cycle') {
      addToSketch(point.sketch, Number(r.bucket), n, Number(r.total));
      values += n;
    } else point.counts.set(metric, (point.counts.get(metric) ?? 0) + n);
  }
  if (values <= exactUpTo) return undefined;
  return [...points.keys()].sort().map((key) => {
    const { sketch, counts } = points.get(key)!;
    const time = summarizeSketch(sketch);
    if (measure) {
      const judged = counts.get('measure_judged') ?? 0;
      return {
        bucket: key,
        time,
        ...(measure.target && {
          withinTarget: judged ? (counts.get('measure_ok') ?? 0) / judged : null,
        }),
      };
    }
    return {
      bucket: key,
      created: counts.get('created') ?? 0,
      completed: sketch.count,
      cycleTime: sketch.count ? time : EMPTY_TIME,
    };
  });
}
