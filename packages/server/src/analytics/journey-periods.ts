import type { Db, SqlExecutor } from '../database/db';
import { bucketOf } from './duration-sketch';

/**
 * The journey roll-up summed per UTC day and per UTC month (`period`: YYYY-MM-DD or YYYY-MM):
 * for each flow, period, channel, version and origin, the count (and duration total) of every
 * figure the analytics show, with durations kept per sketch bucket. The roll-up keeps it in step
 * in the same transaction as the journey rows (the replaced rows' contributions subtracted, the
 * new ones added), so a window reads its whole months and its remaining days instead of every
 * stay.
 *
 * Figures (`metric`, the group in `grp`, the period of which timestamp):
 * - created, open (not completed yet) by channel: `created_at`; cycle (bucketed): `completed_at`
 * - entered (state) and transition (JSON [from, to, event]): `entered_at`; stay (state,
 *   bucketed), sla_ok / sla_late (state), exc_auto / exc_person (state): `left_at`; exc_opened
 *   (state): `entered_at`
 * - measure (bucketed), measure_judged, measure_ok (measure id): `ended_at`
 * - counter (counter id): `at`
 */
export const PERIOD_KEY = [
  'flow_key',
  'period',
  'channel',
  'flow_version',
  'imported',
  'metric',
  'grp',
  'bucket',
] as const;

/** One row's contribution: its key values (PERIOD_KEY's order) and the duration it adds. */
type Add = (metric: string, grp: string, at: string, bucket?: number, ms?: number) => void;

/** The journey tables' rows as the roll-up writes them (arrays in their RowTable's order). */
export type JourneyRows = Record<'orders' | 'stays' | 'measures' | 'counters', unknown[][]>;

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Calls `add` for every figure the rows count, each under its dimensions (`common`). */
function contribute(rows: JourneyRows, add: (common: unknown[]) => Add): void {
  for (const r of rows.orders) {
    const a = add(r.slice(1, 6));
    const [createdAt, completedAt, cycleMs] = [s(r[6])!, s(r[7]), r[8]];
    a('created', '', createdAt);
    if (!completedAt) a('open', '', createdAt);
    else a('cycle', 'all', completedAt, bucketOf(Number(cycleMs)), Number(cycleMs));
  }
  for (const r of rows.stays) {
    const a = add(r.slice(2, 7));
    const [state, from, event, enteredAt, leftAt] = [
      s(r[7])!,
      s(r[8]),
      s(r[9]),
      s(r[10])!,
      s(r[11]),
    ];
    const [durationMs, leftBy, exception, dueAt] = [
      Number(r[12]),
      s(r[13]),
      Number(r[14]),
      s(r[15]),
    ];
    a('entered', state, enteredAt);
    if (from !== null) a('transition', JSON.stringify([from, state, event]), enteredAt);
    if (exception) a('exc_opened', state, enteredAt);
    if (leftAt === null) continue;
    a('stay', state, leftAt, bucketOf(durationMs), durationMs);
    if (dueAt !== null) a(leftAt <= dueAt ? 'sla_ok' : 'sla_late', state, leftAt);
    if (exception) a(leftBy === 'system' ? 'exc_auto' : 'exc_person', state, leftAt);
  }
  for (const r of rows.measures) {
    const a = add(r.slice(2, 7));
    const [id, endedAt, durationMs, late] = [s(r[1])!, s(r[8])!, Number(r[9]), r[11]];
    a('measure', id, endedAt, bucketOf(durationMs), durationMs);
    if (late !== null && late !== undefined) {
      a('measure_judged', id, endedAt);
      if (Number(late) === 0) a('measure_ok', id, endedAt);
    }
  }
  for (const r of rows.counters) add(r.slice(2, 7))('counter', s(r[1])!, s(r[7])!);
}

/** The change to the period rows when `before` is replaced by `after`: net counts per key. */
export function periodDeltas(before: JourneyRows, after: JourneyRows): unknown[][] {
  const deltas = new Map<string, { key: unknown[]; n: number; total: number }>();
  const side =
    (sign: 1 | -1) =>
    ([flowKey, version, , channel, imported]: unknown[]): Add =>
    (metric, grp, at, bucket = -1, ms = 0) => {
      for (const period of [at.slice(0, 10), at.slice(0, 7)]) {
        const key = [flowKey, period, channel ?? '', Number(version), Number(imported)];
        key.push(metric, grp, bucket);
        const id = key.join('\u0001');
        let d = deltas.get(id);
        if (!d) deltas.set(id, (d = { key, n: 0, total: 0 }));
        d.n += sign;
        d.total += sign * ms;
      }
    };
  contribute(before, side(-1));
  contribute(after, side(1));
  return [...deltas.values()].filter((d) => d.n !== 0).map((d) => [...d.key, d.n, d.total]);
}

const COLUMNS = [...PERIOD_KEY, 'n', 'total'];
const TYPES = [
  'varchar',
  'varchar',
  'varchar',
  'int',
  'int',
  'varchar',
  'varchar',
  'int',
  'bigint',
  'bigint',
];
const UPSERT = `ON CONFLICT (${PERIOD_KEY.join(', ')}) DO UPDATE
  SET n = journey_periods.n + excluded.n, total = journey_periods.total + excluded.total`;

/** Adds the deltas to the period rows inside `tx`, then drops the rows they brought to zero. */
export async function applyPeriodDeltas(
  db: Db,
  tx: SqlExecutor,
  deltas: unknown[][],
): Promise<void> {
  if (!deltas.length) return;
  const names = COLUMNS.join(', ');
  if (db.kind === 'postgres')
    await tx.run(
      `INSERT INTO journey_periods (${names})
       SELECT * FROM unnest(${TYPES.map((t) => `?::${t}[]`).join(', ')}) ${UPSERT}`,
      COLUMNS.map((_, c) => deltas.map((d) => d[c])),
    );
  else
    for (const d of deltas)
      await tx.run(
        `INSERT INTO journey_periods (${names}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ${UPSERT}`,
        d,
      );
  const periods = new Map<string, Set<string>>();
  for (const d of deltas) {
    const flow = String(d[0]);
    if (!periods.has(flow)) periods.set(flow, new Set());
    periods.get(flow)!.add(String(d[1]));
  }
  for (const [flow, set] of periods)
    await tx.run(
      `DELETE FROM journey_periods WHERE flow_key = ? AND period IN (${[...set].map(() => '?').join(', ')}) AND n = 0`,
      [flow, ...set],
    );
}

/**
 * The periods that cover whole UTC days [from, to) (YYYY-MM-DD): the whole months inside, and
 * the days before and after them.
 */
export function periodsCovering(
  from: string,
  to: string,
): { months: string[]; days: [from: string, to: string][] } {
  const monthAfter = (month: string) => {
    const [y, m] = month.split('-').map(Number);
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  };
  let first = from.slice(0, 7);
  if (from.slice(8) !== '01') first = monthAfter(first);
  const months: string[] = [];
  for (let m = first; `${monthAfter(m)}-01` <= to; m = monthAfter(m)) months.push(m);
  if (!months.length) return { months, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < `${months[0]}-01`) days.push([from, `${months[0]}-01`]);
  const end = `${monthAfter(months[months.length - 1])}-01`;
  if (end < to) days.push([end, to]);
  return { months, days };
}

/** The WHERE condition (and its parameters) selecting the rows of these periods. */
export function periodsWhere({ months, days }: ReturnType<typeof periodsCovering>): {
  sql: string;
  params: string[];
} {
  const parts = [
    ...(months.length ? [`period IN (${months.map(() => '?').join(', ')})`] : []),
    // A month (YYYY-MM) sorts between the days of the month before and its own: days only.
    ...days.map(() => '(period >= ? AND period < ? AND length(period) = 10)'),
  ];
  return { sql: `(${parts.join(' OR ')})`, params: [...months, ...days.flat()] };
}
