import { Inject, Injectable } from '@nestjs/common';
import type { Analytics, Flow } from '@ordo/engine';
import { DB } from '../database/database.module';
import { problems } from '../problems/api-problem';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { type AnalyticsFilter, narrowsOrders, scopeOf } from './analytics-filter';
import { analyticsSeries, type Bucket } from './analytics-series';
import { customerHealth } from './customer-health';
import { customerHealthPdf, type ReportLanguage } from './customer-health-pdf';
import { RuntimeClock } from '../runtime/runtime-clock';
import { JourneyRollup } from './journey-rollup';
import { EMPTY_TIME, timeSummaries } from './time-summary';

const share = (part: number, whole: number) => (whole ? part / whole : null);

/**
 * KPIs of a flow from its journey roll-up: orders, cycle time, time per state, transitions,
 * measures against targets, counters, SLA attainment, exceptions settled by the system or by a
 * person, channels. Every statement reads an index range of the window.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly flows: FlowCache,
    private readonly rollup: JourneyRollup,
    private readonly clock: RuntimeClock,
  ) {}

  /** The flow's latest published document (measures' targets, SLAs) after a catch-up. */
  async prepare(flowKey: string): Promise<Flow> {
    const flow = await this.flows.latest(flowKey);
    await this.rollup.catchUp(flowKey);
    return flow.doc;
  }

  /** The month's fulfilment health of the top customers (see `customerHealth`). */
  async customerHealth(flowKey: string, month: string, top: number) {
    return customerHealth(this.db, await this.prepare(flowKey), month, top);
  }

  /** The month's report as a PDF in a language. */
  async customerHealthPdf(flowKey: string, month: string, top: number, lang: ReportLanguage) {
    const doc = await this.prepare(flowKey);
    const report = await customerHealth(this.db, doc, month, top);
    return customerHealthPdf(report, doc, lang, new Date(this.clock.now()).toISOString(), top);
  }

  /** The figures over time (see `analyticsSeries`); an unknown measure is a 400 naming it. */
  async series(flowKey: string, f: AnalyticsFilter, bucket: Bucket, measure: unknown) {
    const doc = await this.prepare(flowKey);
    if (measure === undefined) return analyticsSeries(this.db, flowKey, f, bucket);
    const m = (doc.measures ?? []).find((x) => x.id === measure);
    if (!m)
      throw problems.invalidQuery(
        '/measure',
        `The flow has no measure "${String(measure)}" — one of: ${(doc.measures ?? []).map((x) => x.id).join(', ') || 'none declared'}`,
      );
    return analyticsSeries(this.db, flowKey, f, bucket, m);
  }

  async analytics(flowKey: string, f: AnalyticsFilter): Promise<Analytics> {
    const doc = await this.prepare(flowKey);
    const scope = scopeOf(flowKey, f);
    const w = [...scope.params, f.from, f.to];
    const q = (sql: string, params: unknown[] = w) => this.db.query(sql, params);
    const count = async (sql: string, params?: unknown[]) =>
      Number((await q(sql, params))[0]?.n ?? 0);
    const inWindow = (column: string) => `${scope.sql} AND ${column} >= ? AND ${column} < ?`;

    const [created, completed, open] = await Promise.all([
      count(`SELECT count(*) AS n FROM journey_orders WHERE ${inWindow('created_at')}`),
      count(`SELECT count(*) AS n FROM journey_orders WHERE ${inWindow('completed_at')}`),
      count(
        `SELECT count(*) AS n FROM journey_orders WHERE ${inWindow('created_at')} AND completed_at IS NULL`,
      ),
    ]);
    const cycle = await timeSummaries(
      this.db,
      `SELECT 'all' AS g, cycle_ms AS d FROM journey_orders WHERE ${inWindow('completed_at')}`,
      w,
    );

    const entered = await q(
      `SELECT state, count(*) AS n FROM journey_stays WHERE ${inWindow('entered_at')} GROUP BY state`,
    );
    const stayTimes = await timeSummaries(
      this.db,
      `SELECT state AS g, duration_ms AS d FROM journey_stays WHERE ${inWindow('left_at')}`,
      w,
    );
    const enteredBy = new Map(entered.map((r) => [r.state as string, Number(r.n)]));
    const states = doc.states.map((s) => ({
      state: s.id,
      entered: enteredBy.get(s.id) ?? 0,
      time: stayTimes.get(s.id) ?? EMPTY_TIME,
    }));

    const transitions = (
      await q(
        `SELECT from_state, state, event, count(*) AS n FROM journey_stays
         WHERE ${inWindow('entered_at')} AND from_state IS NOT NULL
         GROUP BY from_state, state, event ORDER BY count(*) DESC, from_state, state`,
      )
    ).map((r) => ({
      from: r.from_state as string,
      to: r.state as string,
      event: (r.event as string | null) ?? null,
      count: Number(r.n),
    }));

    const measureTimes = await timeSummaries(
      this.db,
      `SELECT measure AS g, duration_ms AS d FROM journey_measures WHERE ${inWindow('ended_at')}`,
      w,
    );
    const lateness = await q(
      `SELECT measure, count(*) AS n, sum(CASE WHEN late = 0 THEN 1 ELSE 0 END) AS ok
       FROM journey_measures WHERE ${inWindow('ended_at')} AND late IS NOT NULL GROUP BY measure`,
    );
    const within = new Map(lateness.map((r) => [r.measure as string, Number(r.ok) / Number(r.n)]));
    const measures = (doc.measures ?? []).map((m) => {
      const time = measureTimes.get(m.id) ?? EMPTY_TIME;
      return {
        id: m.id,
        count: time.count,
        time,
        ...(m.target && { target: m.target, withinTarget: within.get(m.id) ?? null }),
      } as Analytics['measures'][number];
    });

    const counted = await q(
      `SELECT counter, count(*) AS n FROM journey_counters WHERE ${inWindow('at')} GROUP BY counter`,
    );
    const counterBy = new Map(counted.map((r) => [r.counter as string, Number(r.n)]));
    const counters = (doc.counters ?? []).map((c) => ({
      id: c.id,
      count: counterBy.get(c.id) ?? 0,
    }));

    const slaRows = await q(
      `SELECT state,
         sum(CASE WHEN left_at <= due_at THEN 1 ELSE 0 END) AS attained,
         sum(CASE WHEN left_at > due_at THEN 1 ELSE 0 END) AS breached
       FROM journey_stays WHERE ${inWindow('left_at')} AND due_at IS NOT NULL GROUP BY state`,
    );
    // Stays still open past their due time are breached already.
    const overdue = await q(
      `SELECT state, count(*) AS n FROM journey_stays
       WHERE ${scope.sql} AND left_at IS NULL AND due_at >= ? AND due_at < ? AND due_at < ? GROUP BY state`,
      [...scope.params, f.from, f.to, f.now],
    );
    const slaBy = new Map(slaRows.map((r) => [r.state as string, r]));
    const overdueBy = new Map(overdue.map((r) => [r.state as string, Number(r.n)]));
    const sla = doc.states
      .filter((s) => s.sla)
      .map((s) => {
        const attained = Number(slaBy.get(s.id)?.attained ?? 0);
        const breached = Number(slaBy.get(s.id)?.breached ?? 0) + (overdueBy.get(s.id) ?? 0);
        return {
          state: s.id,
          attained,
          breached,
          attainment: share(attained, attained + breached),
        };
      });

    const exceptions = await this.exceptions(flowKey, scope, f);
    const channels = (
      await q(
        `SELECT channel, count(*) AS n FROM journey_orders WHERE ${inWindow('created_at')}
         GROUP BY channel ORDER BY count(*) DESC, channel`,
      )
    ).map((r) => ({ channel: r.channel as string, orders: Number(r.n) }));

    return {
      flow: flowKey,
      from: f.from,
      to: f.to,
      orders: { created, completed, open },
      cycleTime: cycle.get('all') ?? EMPTY_TIME,
      states,
      transitions,
      measures,
      counters,
      sla,
      exceptions,
      channels,
      baseline: await this.baseline(flowKey),
    };
  }

  private async baseline(flowKey: string): Promise<Analytics['baseline']> {
    const [r] = await this.db.query(
      `SELECT count(*) AS n, min(created_at) AS first, max(created_at) AS last
       FROM journey_orders WHERE flow_key = ? AND imported = 1`,
      [flowKey],
    );
    return Number(r?.n ?? 0)
      ? { orders: Number(r.n), from: r.first as string, to: r.last as string }
      : null;
  }

  /**
   * Exceptions the flow routes by design (stays in `exception` states) and those the runtime
   * raised (failed calls, refused deliveries): opened in the window, settled in it by the
   * system or by a person, and open now.
   */
  private async exceptions(
    flowKey: string,
    scope: { sql: string; params: unknown[] },
    f: AnalyticsFilter,
  ): Promise<Analytics['exceptions']> {
    const w = [...scope.params, f.from, f.to];
    const opened = await this.db.query(
      `SELECT state AS kind, count(*) AS n FROM journey_stays
       WHERE ${scope.sql} AND exception = 1 AND entered_at >= ? AND entered_at < ? GROUP BY state`,
      w,
    );
    const settled = await this.db.query(
      `SELECT state AS kind, left_by, count(*) AS n FROM journey_stays
       WHERE ${scope.sql} AND exception = 1 AND left_at >= ? AND left_at < ? GROUP BY state, left_by`,
      w,
    );
    const open = await this.db.query(
      `SELECT state AS kind, count(*) AS n FROM journey_stays
       WHERE ${scope.sql} AND exception = 1 AND left_at IS NULL AND entered_at < ? GROUP BY state`,
      [...scope.params, f.to],
    );
    const runtime = await this.runtimeExceptions(flowKey, f);
    const kinds = new Map<string, Analytics['exceptions']['byKind'][number]>();
    const kind = (k: string, source: 'state' | 'runtime') => {
      let entry = kinds.get(`${source}:${k}`);
      if (!entry)
        kinds.set(
          `${source}:${k}`,
          (entry = {
            kind: k,
            source,
            opened: 0,
            settledAutomatically: 0,
            settledByPerson: 0,
            open: 0,
          }),
        );
      return entry;
    };
    for (const r of opened) kind(r.kind as string, 'state').opened += Number(r.n);
    for (const r of settled)
      kind(r.kind as string, 'state')[
        r.left_by === 'system' ? 'settledAutomatically' : 'settledByPerson'
      ] += Number(r.n);
    for (const r of open) kind(r.kind as string, 'state').open += Number(r.n);
    for (const r of runtime.opened) kind(r.kind as string, 'runtime').opened += Number(r.n);
    for (const r of runtime.settled)
      kind(r.kind as string, 'runtime')[
        r.settled_by === 'system' ? 'settledAutomatically' : 'settledByPerson'
      ] += Number(r.n);
    for (const r of runtime.open) kind(r.kind as string, 'runtime').open += Number(r.n);
    const byKind = [...kinds.values()];
    const sum = (key: 'opened' | 'settledAutomatically' | 'settledByPerson' | 'open') =>
      byKind.reduce((a, k) => a + k[key], 0);
    const auto = sum('settledAutomatically');
    const person = sum('settledByPerson');
    return {
      opened: sum('opened'),
      settledAutomatically: auto,
      settledByPerson: person,
      open: sum('open'),
      automaticShare: share(auto, auto + person),
      byKind,
    };
  }

  /**
   * The runtime's exceptions (failed calls, refused deliveries, …) of the flow: opened in the
   * window, settled in it, and open; filtered through the order's journey when the filter
   * narrows the orders (an exception without an order then does not count).
   */
  private async runtimeExceptions(flowKey: string, f: AnalyticsFilter) {
    const narrow = narrowsOrders(f);
    const scope = narrow ? scopeOf(flowKey, f, 'j') : { sql: 'e.flow_key = ?', params: [flowKey] };
    const from = narrow
      ? 'exceptions e JOIN journey_orders j ON j.order_id = e.order_id'
      : 'exceptions e';
    const q = (where: string, params: unknown[], group = '') =>
      this.db.query(
        `SELECT e.kind AS kind${group ? `, ${group}` : ''}, count(*) AS n FROM ${from}
         WHERE ${scope.sql} AND ${where} GROUP BY e.kind${group ? `, ${group}` : ''}`,
        [...scope.params, ...params],
      );
    const [opened, settled, open] = await Promise.all([
      q('e.created_at >= ? AND e.created_at < ?', [f.from, f.to]),
      q(
        "e.status = 'settled' AND e.settled_at >= ? AND e.settled_at < ?",
        [f.from, f.to],
        'e.settled_by',
      ),
      q("e.status <> 'settled' AND e.created_at < ?", [f.to]),
    ]);
    return { opened, settled, open };
  }
}
