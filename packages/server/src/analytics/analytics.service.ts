import { Inject, Injectable } from '@nestjs/common';
import type { Analytics, Flow } from '@ordo/engine';
import { ORDO_CONFIG } from '../config/config.module';
import { ANALYTICS_EXACT_UP_TO, type OrdoConfig } from '../config/ordo-config';
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
import { EMPTY_TIME } from './time-summary';
import { periodFigures, periodsAnswer, rowFigures, type WindowFigures } from './window-figures';

const share = (part: number, whole: number) => (whole ? part / whole : null);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
    @Inject(ORDO_CONFIG) config: OrdoConfig,
  ) {
    this.exactUpTo = config.analyticsExactUpTo ?? ANALYTICS_EXACT_UP_TO;
  }

  private readonly exactUpTo: number;

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
    if (measure === undefined)
      return analyticsSeries(this.db, flowKey, f, bucket, undefined, this.exactUpTo);
    const m = (doc.measures ?? []).find((x) => x.id === measure);
    if (!m)
      throw problems.invalidQuery(
        '/measure',
        `The flow has no measure "${String(measure)}" — one of: ${(doc.measures ?? []).map((x) => x.id).join(', ') || 'none declared'}`,
      );
    return analyticsSeries(this.db, flowKey, f, bucket, m, this.exactUpTo);
  }

  async analytics(flowKey: string, f: AnalyticsFilter): Promise<Analytics> {
    const doc = await this.prepare(flowKey);
    const scope = scopeOf(flowKey, f);
    const figures = periodsAnswer(f)
      ? await periodFigures(this.db, flowKey, f, this.exactUpTo)
      : await rowFigures(this.db, flowKey, f);

    const states = doc.states.map((s) => ({
      state: s.id,
      entered: figures.entered.get(s.id) ?? 0,
      time: figures.stayTimes.get(s.id) ?? EMPTY_TIME,
    }));
    const measures = (doc.measures ?? []).map((m) => {
      const time = figures.measureTimes.get(m.id) ?? EMPTY_TIME;
      return {
        id: m.id,
        count: time.count,
        time,
        ...(m.target && { target: m.target, withinTarget: figures.withinTarget.get(m.id) ?? null }),
      } as Analytics['measures'][number];
    });
    const counters = (doc.counters ?? []).map((c) => ({
      id: c.id,
      count: figures.counters.get(c.id) ?? 0,
    }));

    // Stays still open past their due time are breached already (few rows: open stays only).
    const overdue = await this.db.query(
      `SELECT state, count(*) AS n FROM journey_stays
       WHERE ${scope.sql} AND left_at IS NULL AND due_at >= ? AND due_at < ? AND due_at < ? GROUP BY state`,
      [...scope.params, f.from, f.to, f.now],
    );
    const overdueBy = new Map(overdue.map((r) => [r.state as string, Number(r.n)]));
    const sla = doc.states
      .filter((s) => s.sla)
      .map((s) => {
        const attained = figures.sla.get(s.id)?.attained ?? 0;
        const breached = (figures.sla.get(s.id)?.breached ?? 0) + (overdueBy.get(s.id) ?? 0);
        return {
          state: s.id,
          attained,
          breached,
          attainment: share(attained, attained + breached),
        };
      });

    return {
      flow: flowKey,
      from: f.from,
      to: f.to,
      orders: { created: figures.created, completed: figures.completed, open: figures.open },
      cycleTime: figures.cycle ?? EMPTY_TIME,
      states,
      transitions: figures.transitions.sort(
        (a, b) => b.count - a.count || cmp(a.from, b.from) || cmp(a.to, b.to),
      ),
      measures,
      counters,
      sla,
      exceptions: await this.exceptions(flowKey, scope, f, figures),
      channels: figures.channels.sort((a, b) => b.orders - a.orders || cmp(a.channel, b.channel)),
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
    figures: WindowFigures,
  ): Promise<Analytics['exceptions']> {
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
    for (const [state, n] of figures.exceptionsOpened) kind(state, 'state').opened += n;
    for (const [state, { auto, person }] of figures.exceptionsSettled) {
      kind(state, 'state').settledAutomatically += auto;
      kind(state, 'state').settledByPerson += person;
    }
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
