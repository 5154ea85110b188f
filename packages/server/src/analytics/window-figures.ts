import type { TimeSummary } from '@ordo/engine';
import type { Db } from '../database/db';
import { type AnalyticsFilter, scopeOf } from './analytics-filter';
import { addToSketch, emptySketch, type Sketch, summarizeSketch } from './duration-sketch';
import { periodsCovering, periodsWhere } from './journey-periods';
import { timeSummaries } from './time-summary';

/**
 * The counted figures of a window, by whichever source reads them: the journey rows (any
 * window, any filter) or their sums per month and day (whole UTC days, no customer filter —
 * what dashboards and reports ask for).
 */
export interface WindowFigures {
  created: number;
  completed: number;
  open: number;
  cycle: TimeSummary | undefined;
  entered: Map<string, number>;
  stayTimes: Map<string, TimeSummary>;
  transitions: { from: string; to: string; event: string | null; count: number }[];
  measureTimes: Map<string, TimeSummary>;
  /** Per measure: the share of those with a due time that ended within it. */
  withinTarget: Map<string, number>;
  counters: Map<string, number>;
  sla: Map<string, { attained: number; breached: number }>;
  exceptionsOpened: Map<string, number>;
  exceptionsSettled: Map<string, { auto: number; person: number }>;
  channels: { channel: string; orders: number }[];
}

/** Whether the period sums can answer the filter exactly. */
export const periodsAnswer = (f: AnalyticsFilter): boolean =>
  f.customer === undefined && isMidnight(f.from) && isMidnight(f.to);

const isMidnight = (iso: string) => iso.endsWith('T00:00:00.000Z');

const bump = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** The same statements over the journey rows: exact, for any window and filter. */
export async function rowFigures(
  db: Db,
  flowKey: string,
  f: AnalyticsFilter,
): Promise<WindowFigures> {
  const scope = scopeOf(flowKey, f);
  const w = [...scope.params, f.from, f.to];
  const q = (sql: string) => db.query(sql, w);
  const inWindow = (column: string) => `${scope.sql} AND ${column} >= ? AND ${column} < ?`;
  const count = async (sql: string) => Number((await q(sql))[0]?.n ?? 0);
  const byKey = (rows: Record<string, unknown>[], key: string) =>
    new Map(rows.map((r) => [r[key] as string, Number(r.n)]));

  const figures: WindowFigures = {
    created: await count(
      `SELECT count(*) AS n FROM journey_orders WHERE ${inWindow('created_at')}`,
    ),
    completed: await count(
      `SELECT count(*) AS n FROM journey_orders WHERE ${inWindow('completed_at')}`,
    ),
    open: await count(
      `SELECT count(*) AS n FROM journey_orders WHERE ${inWindow('created_at')} AND completed_at IS NULL`,
    ),
    cycle: (await timeSummaries(db, durationsOf('cycle', inWindow), w)).get('all'),
    entered: byKey(
      await q(
        `SELECT state, count(*) AS n FROM journey_stays WHERE ${inWindow('entered_at')} GROUP BY state`,
      ),
      'state',
    ),
    stayTimes: await timeSummaries(db, durationsOf('stay', inWindow), w),
    transitions: (
      await q(
        `SELECT from_state, state, event, count(*) AS n FROM journey_stays
         WHERE ${inWindow('entered_at')} AND from_state IS NOT NULL
         GROUP BY from_state, state, event`,
      )
    ).map((r) => ({
      from: r.from_state as string,
      to: r.state as string,
      event: (r.event as string | null) ?? null,
      count: Number(r.n),
    })),
    measureTimes: await timeSummaries(db, durationsOf('measure', inWindow), w),
    withinTarget: new Map(
      (
        await q(
          `SELECT measure, count(*) AS n, sum(CASE WHEN late = 0 THEN 1 ELSE 0 END) AS ok
           FROM journey_measures WHERE ${inWindow('ended_at')} AND late IS NOT NULL GROUP BY measure`,
        )
      ).map((r) => [r.measure as string, Number(r.ok) / Number(r.n)]),
    ),
    counters: byKey(
      await q(
        `SELECT counter, count(*) AS n FROM journey_counters WHERE ${inWindow('at')} GROUP BY counter`,
      ),
      'counter',
    ),
    sla: new Map(
      (
        await q(
          `SELECT state,
             sum(CASE WHEN left_at <= due_at THEN 1 ELSE 0 END) AS attained,
             sum(CASE WHEN left_at > due_at THEN 1 ELSE 0 END) AS breached
           FROM journey_stays WHERE ${inWindow('left_at')} AND due_at IS NOT NULL GROUP BY state`,
        )
      ).map((r) => [
        r.state as string,
        { attained: Number(r.attained), breached: Number(r.breached) },
      ]),
    ),
    exceptionsOpened: byKey(
      await q(
        `SELECT state, count(*) AS n FROM journey_stays
         WHERE ${inWindow('entered_at')} AND exception = 1 GROUP BY state`,
      ),
      'state',
    ),
    exceptionsSettled: new Map(),
    channels: (
      await q(
        `SELECT channel, count(*) AS n FROM journey_orders WHERE ${inWindow('created_at')}
         GROUP BY channel`,
      )
    ).map((r) => ({ channel: r.channel as string, orders: Number(r.n) })),
  };
  for (const r of await q(
    `SELECT state, left_by, count(*) AS n FROM journey_stays
     WHERE ${inWindow('left_at')} AND exception = 1 GROUP BY state, left_by`,
  )) {
    const settled = figures.exceptionsSettled.get(r.state as string) ?? { auto: 0, person: 0 };
    settled[r.left_by === 'system' ? 'auto' : 'person'] += Number(r.n);
    figures.exceptionsSettled.set(r.state as string, settled);
  }
  return figures;
}

type Durations = 'cycle' | 'stay' | 'measure';

/** The statement selecting one kind of duration (`g`: its group, `d`: ms) in the window. */
const durationsOf = (kind: Durations, inWindow: (column: string) => string) =>
  kind === 'cycle'
    ? `SELECT 'all' AS g, cycle_ms AS d FROM journey_orders WHERE ${inWindow('completed_at')}`
    : kind === 'stay'
      ? `SELECT state AS g, duration_ms AS d FROM journey_stays WHERE ${inWindow('left_at')}`
      : `SELECT measure AS g, duration_ms AS d FROM journey_measures WHERE ${inWindow('ended_at')}`;

/**
 * The figures from the period sums: one statement over the window's months and days (a year
 * reads twelve months). Counts and means are
 * exact; a kind of duration with more than `exactUpTo` values takes its percentiles from the
 * buckets (within 1%), fewer are read exactly from the journey rows (a cheap read then).
 */
export async function periodFigures(
  db: Db,
  flowKey: string,
  f: AnalyticsFilter,
  exactUpTo: number,
): Promise<WindowFigures> {
  const scope = scopeOf(flowKey, f);
  const periods = periodsWhere(periodsCovering(f.from.slice(0, 10), f.to.slice(0, 10)));
  const rows = await db.query(
    `SELECT metric, grp, bucket, CASE WHEN metric = 'created' THEN channel ELSE '' END AS channel,
       sum(n) AS n, sum(total) AS total
     FROM journey_periods WHERE ${scope.sql} AND ${periods.sql}
     GROUP BY metric, grp, bucket, CASE WHEN metric = 'created' THEN channel ELSE '' END`,
    [...scope.params, ...periods.params],
  );
  const count = new Map<string, Map<string, number>>();
  const sketches: Record<Durations, Map<string, Sketch>> = {
    cycle: new Map(),
    stay: new Map(),
    measure: new Map(),
  };
  const channels = new Map<string, number>();
  for (const r of rows) {
    const [metric, grp, n] = [r.metric as string, r.grp as string, Number(r.n)];
    if (metric === 'cycle' || metric === 'stay' || metric === 'measure') {
      let sketch = sketches[metric].get(grp);
      if (!sketch) sketches[metric].set(grp, (sketch = emptySketch()));
      addToSketch(sketch, Number(r.bucket), n, Number(r.total));
    } else {
      if (!count.has(metric)) count.set(metric, new Map());
      bump(count.get(metric)!, grp, n);
    }
    if (metric === 'created') bump(channels, r.channel as string, n);
  }
  const of = (metric: string) => count.get(metric) ?? new Map<string, number>();
  const total = (metric: string) => [...of(metric).values()].reduce((a, b) => a + b, 0);

  const inWindow = (column: string) => `${scope.sql} AND ${column} >= ? AND ${column} < ?`;
  const times = async (kind: Durations): Promise<Map<string, TimeSummary>> => {
    const values = [...sketches[kind].values()].reduce((a, s) => a + s.count, 0);
    if (values <= exactUpTo)
      return timeSummaries(db, durationsOf(kind, inWindow), [...scope.params, f.from, f.to]);
    return new Map([...sketches[kind]].map(([g, s]) => [g, summarizeSketch(s)]));
  };

  const cycle = await times('cycle');
  const judged = of('measure_judged');
  const sla = new Map<string, { attained: number; breached: number }>();
  for (const state of new Set([...of('sla_ok').keys(), ...of('sla_late').keys()]))
    sla.set(state, {
      attained: of('sla_ok').get(state) ?? 0,
      breached: of('sla_late').get(state) ?? 0,
    });
  const settled = new Map<string, { auto: number; person: number }>();
  for (const state of new Set([...of('exc_auto').keys(), ...of('exc_person').keys()]))
    settled.set(state, {
      auto: of('exc_auto').get(state) ?? 0,
      person: of('exc_person').get(state) ?? 0,
    });
  return {
    created: total('created'),
    completed: [...sketches.cycle.values()].reduce((a, s) => a + s.count, 0),
    open: total('open'),
    cycle: cycle.get('all'),
    entered: of('entered'),
    stayTimes: await times('stay'),
    transitions: [...of('transition')].map(([grp, n]) => {
      const [from, to, event] = JSON.parse(grp) as [string, string, string | null];
      return { from, to, event, count: n };
    }),
    measureTimes: await times('measure'),
    withinTarget: new Map([...judged].map(([id, n]) => [id, (of('measure_ok').get(id) ?? 0) / n])),
    counters: of('counter'),
    sla,
    exceptionsOpened: of('exc_opened'),
    exceptionsSettled: settled,
    channels: [...channels].map(([channel, orders]) => ({ channel, orders })),
  };
}
