import { Inject, Injectable } from '@nestjs/common';
import {
  compileJourney,
  dataAlong,
  type CompiledFlow,
  type HistoryEntry,
  type Journey,
  type JourneyOf,
  type PendingMeasure,
} from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import { RowTable } from '../database/row-table';
import { DataSetHistory } from '../datasets/data-set-history';
import { DataSetStore } from '../datasets/data-set-store';
import { DataSetsRepository } from '../datasets/data-sets.repository';
import { FlowCache } from '../flows/flow-cache';
import { RuntimeClock } from '../runtime/runtime-clock';
import { orderFrom, type StoredHistoryEntry } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { applyPeriodDeltas, periodDeltas, type JourneyRows } from './journey-periods';

/** Orders rolled up per batch. */
const BATCH = 500;
/**
 * How far back of its mark a catch-up looks again: processes stamp `updated_at` with their own
 * clocks, so a change committed late with an earlier stamp is still seen. Rolling an order up
 * twice is harmless (its rows are replaced).
 */
const SKEW_MS = 10_000;

const COMMON = [
  ['flow_key', 'varchar'],
  ['flow_version', 'int'],
  ['customer', 'varchar'],
  ['channel', 'varchar'],
  ['imported', 'int'],
] as const;
const ORDERS = new RowTable('journey_orders', [
  ['order_id', 'varchar'],
  ...COMMON,
  ['created_at', 'varchar'],
  ['completed_at', 'varchar'],
  ['cycle_ms', 'bigint'],
]);
const STAYS = new RowTable('journey_stays', [
  ['order_id', 'varchar'],
  ['step', 'int'],
  ...COMMON,
  ['state', 'varchar'],
  ['from_state', 'varchar'],
  ['event', 'varchar'],
  ['entered_at', 'varchar'],
  ['left_at', 'varchar'],
  ['duration_ms', 'bigint'],
  ['left_by', 'varchar'],
  ['exception', 'int'],
  ['due_at', 'varchar'],
]);
const MEASURES = new RowTable('journey_measures', [
  ['order_id', 'varchar'],
  ['measure', 'varchar'],
  ...COMMON,
  ['started_at', 'varchar'],
  ['ended_at', 'varchar'],
  ['duration_ms', 'bigint'],
  ['due_at', 'varchar'],
  ['late', 'int'],
]);
const COUNTERS = new RowTable('journey_counters', [
  ['order_id', 'varchar'],
  ['counter', 'varchar'],
  ...COMMON,
  ['at', 'varchar'],
]);

const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/**
 * The entries as the engine's journey reads them: an imported order's first entry is its
 * creation; a migration that moved the order is an entry into its new state, like a transition.
 */
const asEngineEntry = (e: StoredHistoryEntry): HistoryEntry =>
  e.kind === 'imported'
    ? { ...e, kind: 'created' }
    : e.kind === 'migrated'
      ? { ...e, kind: e.from !== e.to ? 'transition' : 'updated', event: undefined }
      : (e as HistoryEntry);

/**
 * Keeps the journey tables in step with the orders: the orders of a flow changed since its
 * mark are rolled up again (their rows replaced) before analytics read. Incremental, so a
 * request pays for the changes since the last one, never for a full scan.
 */
@Injectable()
export class JourneyRollup {
  private readonly running = new Map<string, Promise<void>>();
  private readonly journeys = new Map<CompiledFlow, JourneyOf>();

  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly flows: FlowCache,
    private readonly orders: OrdersService,
    private readonly clock: RuntimeClock,
    private readonly dataSets: DataSetStore,
    private readonly dataSetRows: DataSetsRepository,
  ) {}

  /** Brings the flow's journeys up to date (one catch-up at a time per flow in a process). */
  catchUp(flowKey: string): Promise<void> {
    let run = this.running.get(flowKey);
    if (!run) {
      run = this.run(flowKey).finally(() => this.running.delete(flowKey));
      this.running.set(flowKey, run);
    }
    return run;
  }

  private async run(flowKey: string): Promise<void> {
    const checkedAt = new Date(this.clock.now()).toISOString();
    const [mark] = await this.db.query<{
      rolled_to: string;
      rolled_id: string | null;
      checked_at: string | null;
    }>('SELECT rolled_to, rolled_id, checked_at FROM journey_marks WHERE flow_key = ?', [flowKey]);
    let after = { at: '', id: '' };
    if (mark) {
      // A change committed after the last check bears a stamp at most SKEW_MS before it; one
      // committed before was seen then. So the catch-up starts at the mark, or that much earlier.
      const lookBack = new Date(
        Date.parse(mark.checked_at ?? mark.rolled_to) - SKEW_MS,
      ).toISOString();
      after =
        lookBack < mark.rolled_to
          ? { at: lookBack, id: '' }
          : { at: mark.rolled_to, id: mark.rolled_id ?? '' };
    }
    for (;;) {
      const rows = await this.db.query(
        // A row comparison is one range of the (updated_at, id) index: each batch starts where
        // the last ended instead of scanning from the mark again.
        `SELECT * FROM orders WHERE (updated_at, id) > (?, ?) AND flow_key = ?
         ORDER BY updated_at, id LIMIT ${BATCH}`,
        [after.at, after.id, flowKey],
      );
      if (!rows.length) break;
      await this.rollUp(rows);
      const last = rows[rows.length - 1];
      after = { at: last.updated_at as string, id: last.id as string };
      await this.db.run(
        `INSERT INTO journey_marks (flow_key, rolled_to, rolled_id) VALUES (?, ?, ?)
         ON CONFLICT (flow_key) DO UPDATE
           SET rolled_to = excluded.rolled_to, rolled_id = excluded.rolled_id
         WHERE journey_marks.rolled_to < excluded.rolled_to
           OR (journey_marks.rolled_to = excluded.rolled_to AND journey_marks.rolled_id < excluded.rolled_id)`,
        [flowKey, after.at, after.id],
      );
      if (rows.length < BATCH) break;
    }
    await this.db.run(
      `UPDATE journey_marks SET checked_at = ?
       WHERE flow_key = ? AND (checked_at IS NULL OR checked_at < ?)`,
      [checkedAt, flowKey, checkedAt],
    );
  }

  private journeyOf(flow: CompiledFlow): JourneyOf {
    let journey = this.journeys.get(flow);
    if (!journey) this.journeys.set(flow, (journey = compileJourney(flow.doc)));
    return journey;
  }

  /**
   * The measures with a target that the orders started and have not ended (the journey tables
   * keep ended measures only), with when each falls due.
   */
  async pending(orderIds: string[]): Promise<Map<string, PendingMeasure[]>> {
    const out = new Map<string, PendingMeasure[]>();
    for (let i = 0; i < orderIds.length; i += BATCH) {
      const ids = orderIds.slice(i, i + BATCH);
      const rows = await this.db.query(
        `SELECT * FROM orders WHERE id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      await this.replay(rows, (order, journey) => {
        if (journey.pending.length) out.set(order.id, journey.pending);
      });
    }
    return out;
  }

  /** Replaces the journey rows of these orders. */
  private async rollUp(rows: Record<string, unknown>[]): Promise<void> {
    const out: JourneyRows = { orders: [], stays: [], measures: [], counters: [] };
    await this.replay(rows, (order, journey, stored, row) => {
      const imported = stored[0].kind === 'imported' ? 1 : 0;
      const common = [order.flow, order.flowVersion, row.customer ?? null, order.channel, imported];
      this.rowsOf(order.id, common, journey, out);
    });
    const ids = rows.map((r) => r.id as string);
    await this.db.transaction(async (tx) => {
      // Two processes rolling up the same orders take turns, so the second replaces the
      // first's rows instead of colliding with them.
      if (this.db.kind === 'postgres')
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('journeys'))");
      const before: JourneyRows = {
        orders: await this.deleteFor(tx, ORDERS, ids),
        stays: await this.deleteFor(tx, STAYS, ids),
        measures: await this.deleteFor(tx, MEASURES, ids),
        counters: await this.deleteFor(tx, COUNTERS, ids),
      };
      await ORDERS.insert(this.db, tx, out.orders);
      await STAYS.insert(this.db, tx, out.stays);
      await MEASURES.insert(this.db, tx, out.measures);
      await COUNTERS.insert(this.db, tx, out.counters);
      await applyPeriodDeltas(this.db, tx, periodDeltas(before, out));
    });
  }

  /** Each order's journey, replayed from its history (orders without history are skipped). */
  private async replay(
    rows: Record<string, unknown>[],
    each: (
      order: ReturnType<typeof orderFrom>,
      journey: Journey,
      stored: StoredHistoryEntry[],
      row: Record<string, unknown>,
    ) => void,
  ): Promise<void> {
    const histories = await this.orders.histories(rows.map((r) => r.id as string));
    // Replays read the data set versions each change read: rules that look rows up, and
    // business-time SLAs and measures counted in the calendar version of the day.
    let sets: DataSetHistory | undefined;
    for (const row of rows) {
      const order = orderFrom(row);
      const stored = histories.get(order.id) ?? [];
      if (!stored.length) continue;
      const flow = await this.flows.get(order.flow, order.flowVersion);
      const history = stored.map(asEngineEntry);
      const needsData = (flow.doc.counters ?? []).some((c) => c.when !== undefined);
      const business =
        flow.doc.states.some((st) => st.sla?.in === 'business') ||
        (flow.doc.measures ?? []).some((m) => m.in === 'business');
      if (needsData || business) {
        sets ??= new DataSetHistory(this.dataSetRows, await this.dataSets.snapshot());
        await sets.load(history);
      }
      const at = (entry: Parameters<DataSetHistory['at']>[0]) => sets!.at(entry);
      const journey = this.journeyOf(flow)(
        history,
        needsData ? dataAlong(flow, history, order.id, order.data, at) : undefined,
        business ? at : undefined,
      );
      each(order, journey, stored, row);
    }
  }

  private rowsOf(id: string, common: unknown[], j: Journey, out: JourneyRows): void {
    out.orders.push([
      id,
      ...common,
      j.createdAt,
      j.completedAt ?? null,
      j.completedAt ? ms(j.createdAt, j.completedAt) : null,
    ]);
    for (const s of j.stays)
      out.stays.push([
        id,
        s.step,
        ...common,
        s.state,
        s.from,
        s.event ?? null,
        s.enteredAt,
        s.leftAt ?? null,
        s.leftAt ? ms(s.enteredAt, s.leftAt) : null,
        s.leftBy ?? null,
        s.exception ? 1 : 0,
        s.dueAt ?? null,
      ]);
    for (const m of j.measures)
      out.measures.push([
        id,
        m.id,
        ...common,
        m.startedAt,
        m.endedAt,
        m.durationMs,
        m.dueAt ?? null,
        m.dueAt ? (Date.parse(m.endedAt) > Date.parse(m.dueAt) ? 1 : 0) : null,
      ]);
    for (const c of j.counters) out.counters.push([id, c.id, ...common, c.at]);
  }

  /** Deletes the orders' rows of a table and answers them (the day rows subtract them). */
  private async deleteFor(
    tx: SqlExecutor,
    table: RowTable,
    ids: readonly string[],
  ): Promise<unknown[][]> {
    const names = table.columns.map(([name]) => name);
    const returning = `RETURNING ${names.join(', ')}`;
    const rows =
      this.db.kind === 'postgres'
        ? // Joined to the unnested ids, so the plan is an index lookup per id even when it was
          // made while the table was empty (`= ANY(...)` then stayed a sequential scan).
          await tx.query(
            `DELETE FROM ${table.table} t USING (SELECT unnest(?::varchar[]) AS id) d
             WHERE t.order_id = d.id ${returning}`,
            [ids],
          )
        : await tx.query(
            `DELETE FROM ${table.table} WHERE order_id IN (SELECT value FROM json_each(?)) ${returning}`,
            [JSON.stringify(ids)],
          );
    return rows.map((r) => names.map((n) => r[n]));
  }
}
