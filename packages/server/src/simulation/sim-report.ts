import type { Analytics } from '@ordo/engine';
import type { Db } from '../database/db';
import type { PlannedOrder } from './order-maker';
import type { ScenarioCalendar } from './sim-calendar';
import { type HolidayFigures, holidayFigures, type PendingMeasures } from './sim-peaks';
import type { Scenario } from './scenario.schema';
import type { Api } from './sim-api';
import { DAY_MS } from './sim-clock';
import type { Run } from './sim-run';

const HOUR_MS = 3_600_000;
const round = (n: number | null | undefined, digits = 2): number | null =>
  n === null || n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits));
const percent = (part: number, whole: number) => (whole ? round((100 * part) / whole) : null);

/** One row of the before/after table. */
export interface TableRow {
  id: string;
  label: string;
  unit: string;
  before: number;
  after: number | null;
  /** Which simulated figure `after` is. */
  measuredBy?: string;
  source?: string;
  /** The label and unit in other languages (the scenario's `translations`). */
  translations?: Record<string, { label: string; unit?: string }>;
}

/** What a simulation found; the same scenario and seed give the same object. */
export interface SimulationResult {
  flow: string;
  seed: number;
  days: number;
  stepMinutes: number;
  /** The first simulated day (local), as the scenario names it. */
  start: string;
  from: string;
  to: string;
  orders: { planned: number; created: number; refused: number; shipped: number; open: number };
  table: TableRow[];
  figures: Record<string, number | null>;
  counters: { id: string; count: number }[];
  measures: {
    id: string;
    count: number;
    p50Hours: number | null;
    p90Hours: number | null;
    withinTarget?: number | null;
  }[];
  sla: { state: string; attained: number; breached: number }[];
  exceptions: {
    opened: number;
    settledAutomatically: number;
    settledByPerson: number;
    open: number;
    /** Per kind (`source`: a flow's exception state, or the runtime's), as the analytics. */
    byKind: Analytics['exceptions']['byKind'];
  };
  errors: Record<string, { lines: number; blocked: number; shipped: number }>;
  people: Record<
    string,
    {
      count: number;
      handled: number;
      busyHours: number;
      shiftHours: number;
      utilisationPercent: number | null;
    }
  >;
  queues: Record<string, { mean: number | null; max: number }>;
  failedActions: Record<string, number>;
  /** With a calendar in the scenario: its holidays and the orders of their peaks. */
  holidays?: HolidayFigures;
}

/** The run's figures: the analytics over the simulated window, and what the simulator saw. */
export async function summarise(args: {
  api: Api;
  scenario: Scenario;
  flow: string;
  /** The flow's systems whose status it reconciles. */
  systems: string[];
  start: number;
  end: number;
  days: number;
  seed: number;
  planned: PlannedOrder[];
  run: Run;
  /** The server's database: the holiday figures read the journey rows of peak orders. */
  db: Db;
  calendar?: ScenarioCalendar;
  /** The measures orders started and did not end (judged for the holiday peak). */
  pending: PendingMeasures;
}): Promise<SimulationResult> {
  const { api, scenario: s, run } = args;
  const from = new Date(args.start).toISOString();
  const to = new Date(args.end).toISOString();
  const analytics = (await api('GET', `/api/flows/${args.flow}/analytics?from=${from}&to=${to}`))
    .body;
  const shippedStates = new Set(s.shipped);
  const shippedOrders = new Set<string>();
  let shippedLines = 0;
  const errors: SimulationResult['errors'] = {};
  for (const e of s.errors ?? []) errors[e.id] = { lines: 0, blocked: 0, shipped: 0 };
  // Every order's end: which shipped, and whether a mistaken line left as it was entered.
  for (const order of args.planned) {
    const id = run.ids.get(order.externalRef);
    if (!id) {
      // Refused at the door: its mistakes never shipped.
      if (run.refusedRefs.has(order.externalRef))
        for (const e of s.errors ?? [])
          for (const _ of order.mistakes[e.id] ?? []) {
            errors[e.id].lines++;
            errors[e.id].blocked++;
          }
      continue;
    }
    const mistaken = Object.keys(order.mistakes).length > 0;
    const history = (await api('GET', `/api/orders/${id}/history?limit=200`)).body.items as {
      to?: string;
    }[];
    const shipped = history.some((h) => h.to && shippedStates.has(h.to));
    if (shipped) {
      shippedOrders.add(id);
      shippedLines += order.intended?.length ?? 0;
    }
    if (!mistaken) continue;
    const now = (await api('GET', `/api/orders/${id}`)).body.data[s.lines!.path] as Record<
      string,
      unknown
    >[];
    for (const e of s.errors ?? [])
      for (const i of order.mistakes[e.id] ?? []) {
        errors[e.id].lines++;
        const stillWrong = now[i]?.[e.field] !== order.intended![i][e.field];
        if (shipped && stillWrong) errors[e.id].shipped++;
        else errors[e.id].blocked++;
      }
  }
  const wrongLines = Object.values(errors).reduce((a, e) => a + e.lines, 0);
  const wrongShipped = Object.values(errors).reduce((a, e) => a + e.shipped, 0);
  const touchMs = run.people
    .filter((p) => s.people[p.role].touch !== false)
    .reduce((a, p) => a + p.busyMs, 0);
  const created = run.ids.size;
  const exceptions = analytics.exceptions;
  const robot = run.notifications;
  const figures: Record<string, number | null> = {
    'lines.wrongShipped.percent': percent(wrongShipped, shippedLines),
    'lines.wrongBlocked.percent': percent(wrongLines - wrongShipped, wrongLines),
    'touch.minutesPerOrder': created ? round(touchMs / 60_000 / created) : null,
    // Of the run's exceptions, settled or still open: one that nobody settled is not "settled
    // automatically" (of the settled only, a flow whose exceptions pile up would look perfect).
    'exceptions.automaticPercent': percent(
      exceptions.settledAutomatically,
      exceptions.settledAutomatically + exceptions.settledByPerson + exceptions.open,
    ),
    'notifications.perOrder': created ? round((await robot()) / created) : null,
    'orders.shippedPercent': percent(shippedOrders.size, created),
    'orders.refusedPercent': percent(run.refused, created + run.refused),
    ...(args.systems.length && (await disagreement(api, { ...args, created }))),
  };
  for (const c of analytics.counters as { id: string; count: number }[]) {
    figures[`counter:${c.id}`] = c.count;
    figures[`counter:${c.id}/day`] = round(c.count / args.days);
  }
  const measures = (
    analytics.measures as {
      id: string;
      count: number;
      time: { p50Ms: number | null; p90Ms: number | null };
      withinTarget?: number | null;
    }[]
  ).map((m) => ({
    id: m.id,
    count: m.count,
    p50Hours: round(m.time.p50Ms === null ? null : m.time.p50Ms / HOUR_MS),
    p90Hours: round(m.time.p90Ms === null ? null : m.time.p90Ms / HOUR_MS),
    ...(m.withinTarget !== undefined && { withinTarget: m.withinTarget }),
  }));
  for (const m of measures) {
    figures[`measure:${m.id}.p50Hours`] = m.p50Hours;
    if (m.withinTarget === undefined) continue;
    figures[`measure:${m.id}.withinTargetPercent`] = round(
      m.withinTarget === null ? null : 100 * m.withinTarget,
    );
    figures[`measure:${m.id}.lateTargetPercent`] = round(
      m.withinTarget === null ? null : 100 - 100 * m.withinTarget,
    );
  }
  const holidays =
    args.calendar &&
    (await holidayFigures(args.db, args.flow, args.calendar, args.start, args.days, args.pending));
  if (holidays) {
    figures['orders.peak'] = holidays.orders;
    for (const m of holidays.measures) {
      figures[`measure:${m.id}.peakWithinTargetPercent`] = round(
        m.withinTarget === null ? null : 100 * m.withinTarget,
      );
      figures[`measure:${m.id}.peakLateTargetPercent`] = round(
        m.withinTarget === null ? null : 100 - 100 * m.withinTarget,
      );
    }
  }
  const people: SimulationResult['people'] = {};
  for (const p of run.people) {
    const r = (people[p.role] ??= {
      count: 0,
      handled: 0,
      busyHours: 0,
      shiftHours: 0,
      utilisationPercent: null,
    });
    r.count++;
    r.handled += p.handled;
    r.busyHours += p.busyMs / HOUR_MS;
    r.shiftHours += p.shiftMs / HOUR_MS;
  }
  for (const r of Object.values(people)) {
    r.utilisationPercent = percent(r.busyHours, r.shiftHours);
    r.busyHours = round(r.busyHours)!;
    r.shiftHours = round(r.shiftHours)!;
  }
  const queues: SimulationResult['queues'] = {};
  for (const [name, samples] of [...run.queueSamples].sort(([a], [b]) => a.localeCompare(b)))
    queues[name] = {
      mean: samples.length ? round(samples.reduce((a, b) => a + b, 0) / samples.length) : null,
      max: Math.max(0, ...samples),
    };
  return {
    flow: args.flow,
    seed: args.seed,
    days: args.days,
    stepMinutes: s.stepMinutes,
    start: s.start,
    from,
    to,
    orders: {
      planned: args.planned.length,
      created,
      refused: run.refused,
      shipped: shippedOrders.size,
      open: analytics.orders.open,
    },
    table: Object.entries(s.before.figures).map(([id, f]) => ({
      id,
      label: f.label,
      unit: f.unit,
      before: f.value,
      after: f.after ? (figures[f.after] ?? null) : null,
      ...(f.after && { measuredBy: f.after }),
      ...(f.source && { source: f.source }),
      ...(f.translations && { translations: f.translations }),
    })),
    figures,
    counters: analytics.counters,
    measures,
    sla: (analytics.sla as SimulationResult['sla']).map(({ state, attained, breached }) => ({
      state,
      attained,
      breached,
    })),
    exceptions: {
      opened: exceptions.opened,
      settledAutomatically: exceptions.settledAutomatically,
      settledByPerson: exceptions.settledByPerson,
      open: exceptions.open,
      byKind: exceptions.byKind,
    },
    errors,
    people,
    queues,
    failedActions: Object.fromEntries(
      [...run.failedActions].sort(([a], [b]) => a.localeCompare(b)),
    ),
    ...(holidays && { holidays }),
  };
}

/**
 * How often the flow's systems disagreed with it, from its own hourly reconciliations: the
 * share of checked orders found drifted, and the share left drifted after the repair.
 */
async function disagreement(
  api: Api,
  {
    flow,
    systems,
    start,
    end,
    db,
    created,
  }: { flow: string; systems: string[]; start: number; end: number; db: Db; created: number },
): Promise<Record<string, number | null>> {
  let [checked, drifted, repaired] = [0, 0, 0];
  for (const system of [...systems].sort())
    // A day at a time: the rates answer at most 500 runs (24 a day when hourly).
    for (let day = start; day < end; day += DAY_MS) {
      const since = new Date(day).toISOString();
      const until = new Date(Math.min(day + DAY_MS, end)).toISOString();
      const answer = await api(
        'GET',
        `/api/flows/${flow}/reconciliations/rates?system=${system}&since=${since}&until=${until}&limit=500`,
      );
      if (answer.status !== 200)
        throw new Error(`reconciliation rates: ${JSON.stringify(answer.body)}`);
      const rates = answer.body.items as {
        checked: number;
        drifted: number;
        repaired: number;
        finishedAt: string;
      }[];
      for (const r of rates) {
        checked += r.checked;
        drifted += r.drifted;
        repaired += r.repaired;
      }
    }
  // The orders found disagreeing in some system at some check: the brief's "orders disagreed
  // between systems" (the checks' share above counts every hourly look at every open order).
  const drifts = await db.query<{ drift: string }>(
    'SELECT drift FROM reconciliations WHERE flow_key = ?',
    [flow],
  );
  const orders = new Set(
    drifts.flatMap((r) => (JSON.parse(r.drift) as { orderId: string }[]).map((d) => d.orderId)),
  );
  return {
    'status.ordersDisagreedPercent': percent(orders.size, created),
    'status.disagreePercent': percent(drifted, checked),
    'status.unrepairedPercent': percent(drifted - repaired, checked),
  };
}

/** The result as the terminal shows it. */
export function formatResult(r: SimulationResult): string[] {
  const cell = (v: number | null) => (v === null ? '—' : String(v));
  const lines = [
    `${r.flow}: ${r.days} simulated day(s) from ${r.start}, seed ${r.seed}, step ${r.stepMinutes} min`,
    `orders: ${r.orders.created} created (${r.orders.refused} refused), ${r.orders.shipped} shipped, ${r.orders.open} open`,
    '',
    'figure | before | after | unit',
  ];
  for (const row of r.table)
    lines.push(`${row.label} | ${row.before} | ${cell(row.after)} | ${row.unit}`);
  lines.push('', 'measure | orders | median h | p90 h');
  for (const m of r.measures)
    lines.push(`${m.id} | ${m.count} | ${cell(m.p50Hours)} | ${cell(m.p90Hours)}`);
  lines.push('', `counters: ${r.counters.map((c) => `${c.id} ${c.count}`).join(', ') || '—'}`);
  lines.push(
    `exceptions: ${r.exceptions.opened} opened, ${r.exceptions.settledAutomatically} settled automatically, ${r.exceptions.settledByPerson} by a person, ${r.exceptions.open} open`,
  );
  if (r.holidays)
    lines.push(
      `holidays: ${r.holidays.holidays.join(', ') || '—'}; ${r.holidays.orders} order(s) on the ${r.holidays.peakDays.length} peak day(s) around them`,
    );
  for (const [id, e] of Object.entries(r.errors))
    lines.push(`mistake ${id}: ${e.lines} line(s), ${e.blocked} stopped, ${e.shipped} shipped`);
  lines.push('', 'role | people | handled | busy h | on shift h | utilisation %');
  for (const [role, p] of Object.entries(r.people))
    lines.push(
      `${role} | ${p.count} | ${p.handled} | ${p.busyHours} | ${p.shiftHours} | ${cell(p.utilisationPercent)}`,
    );
  lines.push('', 'waiting (hourly samples) | mean | max');
  for (const [name, q] of Object.entries(r.queues))
    lines.push(`${name} | ${cell(q.mean)} | ${q.max}`);
  return lines;
}
