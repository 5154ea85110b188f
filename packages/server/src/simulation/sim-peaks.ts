import type { Db } from '../database/db';
import type { ScenarioCalendar } from './sim-calendar';
import { DAY_MS } from './sim-clock';

/** The holidays of a run and how the orders that arrived in their peaks fared. */
export interface HolidayFigures {
  /** The holidays inside the run (local dates). */
  holidays: string[];
  /** The run's days with a holiday's orders: the holidays and the working days around them. */
  peakDays: string[];
  /** Orders created on those days. */
  orders: number;
  /**
   * Per measure with a target, of the peak's orders: how many it judged — ended, or still
   * running when the run ended but already past the target (late) — the share of those within
   * the target, and how many still run within the target (`open`: not judged).
   */
  measures: { id: string; judged: number; withinTarget: number | null; open: number }[];
}

/** The measures with a target that orders started and did not end, by order. */
export type PendingMeasures = (
  orderIds: string[],
) => Promise<Map<string, { id: string; dueAt: string }[]>>;

/**
 * The figures of the orders that arrived on peak days, from the journey rows the analytics
 * rolled up (run after the analytics were read): the brief's "holiday-peak orders" are those
 * orders, not every measure that happened to end in those days.
 */
export async function holidayFigures(
  db: Db,
  flow: string,
  calendar: ScenarioCalendar,
  start: number,
  days: number,
  pending: PendingMeasures,
): Promise<HolidayFigures> {
  const end = new Date(start + days * DAY_MS).toISOString();
  const dateOf = (d: number) => calendar.dateOf(d);
  const holidays: string[] = [];
  for (let d = 0; d < days; d++) if (calendar.kind(d) === 'holiday') holidays.push(dateOf(d));
  const peak = [...calendar.peakDays].sort((a, b) => a - b);
  // Consecutive peak days make one window of creation times.
  const windows: [string, string][] = [];
  for (const d of peak) {
    const from = new Date(start + d * DAY_MS).toISOString();
    const to = new Date(start + (d + 1) * DAY_MS).toISOString();
    const last = windows[windows.length - 1];
    if (last && last[1] === from) last[1] = to;
    else windows.push([from, to]);
  }
  let orders = 0;
  const judged = new Map<string, { n: number; ok: number; open: number }>();
  const tally = (measure: string) => {
    let j = judged.get(measure);
    if (!j) judged.set(measure, (j = { n: 0, ok: 0, open: 0 }));
    return j;
  };
  for (const [from, to] of windows) {
    const [count] = await db.query<{ n: number | string }>(
      'SELECT count(*) AS n FROM journey_orders WHERE flow_key = ? AND created_at >= ? AND created_at < ?',
      [flow, from, to],
    );
    orders += Number(count.n);
    const rows = await db.query<{ measure: string; n: number | string; ok: number | string }>(
      `SELECT m.measure, count(*) AS n, sum(CASE WHEN m.late = 0 THEN 1 ELSE 0 END) AS ok
       FROM journey_measures m JOIN journey_orders o ON o.order_id = m.order_id
       WHERE o.flow_key = ? AND o.created_at >= ? AND o.created_at < ? AND m.late IS NOT NULL
       GROUP BY m.measure`,
      [flow, from, to],
    );
    for (const r of rows) {
      const j = tally(r.measure);
      j.n += Number(r.n);
      j.ok += Number(r.ok);
    }
    // A measure still running at the end: late if its target has passed, else open.
    const ids = await db.query<{ order_id: string }>(
      'SELECT order_id FROM journey_orders WHERE flow_key = ? AND created_at >= ? AND created_at < ?',
      [flow, from, to],
    );
    for (const measures of (await pending(ids.map((r) => r.order_id))).values())
      for (const m of measures) {
        const j = tally(m.id);
        if (m.dueAt < end) j.n++;
        else j.open++;
      }
  }
  return {
    holidays,
    peakDays: peak.map(dateOf),
    orders,
    measures: [...judged]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, j]) => ({
        id,
        judged: j.n,
        withinTarget: j.n ? j.ok / j.n : null,
        open: j.open,
      })),
  };
}
