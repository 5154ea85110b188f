import type { Analytics } from '@ordo/engine';

export type { Analytics, TimeSummary } from '@ordo/engine';
export { formatDuration, formatShare } from '@ordo/engine';

/**
 * How hot a value is against the hottest (0 cold … 1 hottest), for the heat map; values of
 * nothing measured are cold.
 */
export const heatLevel = (value: number | null | undefined, max: number): number =>
  !value || !max ? 0 : Math.min(1, value / max);

/** Green (cold) to red (hot). */
export const heatColor = (level: number): string => `hsl(${Math.round(120 * (1 - level))} 70% 45%)`;

/** The orders list filtered to the orders behind a figure (the analytics drill-down). */
export function ordersLink(flow: string, filter: Record<string, string | undefined>): string {
  const params = new URLSearchParams({ flow });
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') params.set(k, v);
  return `#/orders?${params}`;
}

/** One row of the before/after table. */
export interface ComparisonRow {
  kind: 'orders' | 'cycle' | 'measure' | 'target' | 'counter' | 'automatic';
  id: string;
  /** `duration` (ms), `share` (0–1) or `count`. */
  unit: 'duration' | 'share' | 'count';
  before: number | null;
  after: number | null;
  /** after − before. */
  change: number | null;
  /** (after − before) / before. */
  relative: number | null;
}

const row = (
  kind: ComparisonRow['kind'],
  id: string,
  unit: ComparisonRow['unit'],
  before: number | null | undefined,
  after: number | null | undefined,
): ComparisonRow => {
  const b = before ?? null;
  const a = after ?? null;
  return {
    kind,
    id,
    unit,
    before: b,
    after: a,
    change: a === null || b === null ? null : a - b,
    relative: a === null || b === null || b === 0 ? null : (a - b) / b,
  };
};

/**
 * The brief's before/after table for the user's own company: a baseline period (an imported
 * legacy log) beside an Ordo period, on every measure (median, and share within target), every
 * counter (as a share of the period's orders, so periods of different length compare), the
 * cycle time and the share of exceptions the system settled.
 */
export function compareAnalytics(before: Analytics, after: Analytics): ComparisonRow[] {
  const perOrder = (n: number | undefined, a: Analytics) =>
    n === undefined || !a.orders.created ? null : n / a.orders.created;
  const rows: ComparisonRow[] = [
    row('orders', 'created', 'count', before.orders.created, after.orders.created),
    row('cycle', 'cycleTime', 'duration', before.cycleTime.p50Ms, after.cycleTime.p50Ms),
  ];
  for (const m of after.measures) {
    const b = before.measures.find((x) => x.id === m.id);
    rows.push(row('measure', m.id, 'duration', b?.time.p50Ms, m.time.p50Ms));
    if (m.target) rows.push(row('target', m.id, 'share', b?.withinTarget, m.withinTarget));
  }
  for (const c of after.counters) {
    const b = before.counters.find((x) => x.id === c.id);
    rows.push(row('counter', c.id, 'share', perOrder(b?.count, before), perOrder(c.count, after)));
  }
  rows.push(
    row(
      'automatic',
      'automaticShare',
      'share',
      before.exceptions.automaticShare,
      after.exceptions.automaticShare,
    ),
  );
  return rows;
}

/** A state of the heat map: orders in it now, its median stay and how hot that is. */
export interface HeatState {
  now: number;
  p50Ms: number | null;
  entered: number;
  level: number;
}

/**
 * The heat map's figures: per state the orders in it now and its median stay (hotter = slower
 * against the slowest state), per canvas edge the moves along it (matched by its states and its
 * event; `null` for an auto transition).
 */
export function heatOf(
  a: Analytics,
  counts: Record<string, number>,
  edges: { id: string; source: string; target: string; event: string | null }[],
): { states: Map<string, HeatState>; edges: Map<string, number>; maxEdge: number } {
  const slowest = Math.max(0, ...a.states.map((s) => s.time.p50Ms ?? 0));
  const states = new Map(
    a.states.map((s) => [
      s.state,
      {
        now: counts[s.state] ?? 0,
        p50Ms: s.time.p50Ms,
        entered: s.entered,
        level: heatLevel(s.time.p50Ms, slowest),
      },
    ]),
  );
  const moves = new Map(a.transitions.map((x) => [`${x.from}>${x.to}>${x.event}`, x.count]));
  const out = new Map(
    edges.map((e) => [e.id, moves.get(`${e.source}>${e.target}>${e.event}`) ?? 0]),
  );
  return { states, edges: out, maxEdge: Math.max(0, ...out.values()) };
}
