import { Inject, Injectable } from '@nestjs/common';
import { actorKind } from '@ordo/engine';
import type { Order } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import {
  historyRows,
  orderRow,
  outboxRows,
  type Receipt,
  receiptRows,
  settleParams,
  settleRows,
  type Settlement,
  updateRow,
} from './order-rows';
import {
  HISTORY,
  ORDERS,
  OUTBOX,
  RECEIPTS,
  SETTLE_IF_LEASED,
  UPDATE_IF_VERSION,
} from './order-tables';
import type { OrderColumns, StoredHistoryEntry, StoredOrder } from './order-types';
import { insertManyPg, PgChangeBatch, PgOrderBatch } from './pg-order-batch';
import { StateChangeFeed, type StoredEffect } from '../webhooks/state-change-feed';
import { LeaseLostError } from '../database/lease';
import { TickBatch } from '../database/tick-batch';

export type { OrderColumns, StoredHistoryEntry, StoredOrder } from './order-types';

export const orderFrom = (r: Record<string, unknown>): StoredOrder => ({
  id: r.id as string,
  flow: r.flow_key as string,
  flowVersion: Number(r.flow_version),
  state: r.state as string,
  data: JSON.parse(r.data as string),
  version: Number(r.version),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  channel: r.channel as string,
  externalRef: (r.external_ref as string | null) ?? null,
});

/** The actor of a stored history row: its kind read back from its roles (see `actorKind`). */
const storedActor = (id: string, roles: string[]) => ({
  id,
  roles,
  kind: actorKind({ id, roles }),
});

/** A history row as the entry it stores. */
export const historyEntryFrom = (r: Record<string, unknown>): StoredHistoryEntry => ({
  kind: r.kind as StoredHistoryEntry['kind'],
  version: Number(r.seq),
  at: r.at as string,
  actor: storedActor(r.actor_id as string, JSON.parse(r.actor_roles as string) as string[]),
  from: (r.from_state as string | null) ?? null,
  to: r.to_state as string,
  ...(r.transition !== null && { transition: r.transition as string }),
  ...(r.event !== null && { event: r.event as string }),
  ...(r.payload !== null && { payload: JSON.parse(r.payload as string) }),
  ...(r.data_sets != null && { dataSets: JSON.parse(r.data_sets as string) }),
  ...(r.source != null && { source: JSON.parse(r.source as string) }),
});

/** Writes and reads orders, their history and their outbox rows with plain statements. */
@Injectable()
export class OrdersRepository {
  private readonly pgBatch?: PgOrderBatch;
  private readonly pgChanges?: PgChangeBatch;

  /** Effects written already done: nobody waits for them. */
  private readonly idle = (effect: StoredEffect) => this.feed.idle(effect);

  constructor(
    @Inject(DB) readonly db: Db,
    private readonly feed: StateChangeFeed,
  ) {
    if (db.kind === 'postgres') {
      this.pgBatch = new PgOrderBatch(db);
      this.pgChanges = new PgChangeBatch(db);
    }
  }

  /** Reads of one turn of the event loop, one query (the dispatcher starts its claims together). */
  private readonly reads = new TickBatch((ids: string[]) => this.getMany(ids));

  /** The order, read together with the others asked for in the same turn (one query). */
  find(id: string): Promise<StoredOrder | undefined> {
    return this.reads.add(id);
  }

  private async getMany(ids: readonly string[]): Promise<(StoredOrder | undefined)[]> {
    const unique = [...new Set(ids)];
    const rows = await this.db.query(
      this.db.kind === 'postgres'
        ? 'SELECT * FROM orders WHERE id = ANY(?::varchar[])'
        : 'SELECT * FROM orders WHERE id IN (SELECT value FROM json_each(?))',
      [this.db.kind === 'postgres' ? unique : JSON.stringify(unique)],
    );
    const byId = new Map(rows.map((r) => [r.id as string, orderFrom(r)]));
    return ids.map((id) => byId.get(id));
  }

  async get(id: string, tx: SqlExecutor = this.db): Promise<StoredOrder | undefined> {
    const [row] = await tx.query('SELECT * FROM orders WHERE id = ?', [id]);
    return row && orderFrom(row);
  }

  async byExternalRef(
    flow: string,
    ref: string,
    tx: SqlExecutor = this.db,
  ): Promise<StoredOrder | undefined> {
    const [row] = await tx.query('SELECT * FROM orders WHERE flow_key = ? AND external_ref = ?', [
      flow,
      ref,
    ]);
    return row && orderFrom(row);
  }

  /**
   * Stores a new order with its history and outbox rows, atomically. On PostgreSQL orders that
   * arrive together share one statement (see PgOrderBatch); on SQLite it is one transaction,
   * which the Db commits together with those that arrive beside it. With `more` (a keyed
   * request's answer) it is a transaction of its own on both, with `more` inside it.
   */
  async insertNew(
    order: Order,
    columns: OrderColumns,
    history: readonly StoredHistoryEntry[],
    effects: readonly StoredEffect[],
    /** What caused the order (an inbound delivery), recorded with it. */
    receipt?: Receipt,
    /** More to write in the order's transaction (it rolls the order back when it throws). */
    more?: (tx: SqlExecutor) => Promise<void>,
  ): Promise<void> {
    const rows = {
      order: orderRow(order, columns),
      history: historyRows(order.id, history),
      outbox: outboxRows(order.id, effects, order.updatedAt, this.idle),
      receipt: receiptRows(receipt, order),
    };
    if (this.pgBatch && !more) return this.pgBatch.insert(rows);
    await this.db.transaction(async (tx) => {
      await this.write(ORDERS.values([rows.order]), tx);
      await this.write(HISTORY.values(rows.history), tx);
      await this.write(OUTBOX.values(rows.outbox), tx);
      await this.write(RECEIPTS.values(rows.receipt), tx);
      await more?.(tx);
    });
  }

  /**
   * Stores many new orders in ONE transaction: all of them, or none (an import that must not be
   * half written). PostgreSQL writes them 500 to a statement. `more` (a keyed request's answer)
   * is written in the same transaction.
   */
  async insertAll(
    items: readonly {
      order: Order;
      columns: OrderColumns;
      history: readonly StoredHistoryEntry[];
      effects: readonly StoredEffect[];
    }[],
    more?: (tx: SqlExecutor) => Promise<void>,
  ): Promise<void> {
    const rows = items.map((i) => ({
      order: orderRow(i.order, i.columns),
      history: historyRows(i.order.id, i.history),
      outbox: outboxRows(i.order.id, i.effects, i.order.updatedAt, this.idle),
      receipt: [],
    }));
    await this.db.transaction(async (tx) => {
      await more?.(tx);
      if (this.db.kind === 'postgres') {
        for (let i = 0; i < rows.length; i += 500) await insertManyPg(tx, rows.slice(i, i + 500));
        return;
      }
      for (const row of rows) {
        await this.write(ORDERS.values([row.order]), tx);
        await this.write(HISTORY.values(row.history), tx);
        await this.write(OUTBOX.values(row.outbox), tx);
      }
    });
  }

  /** Which of these references the flow's orders already have. */
  async existingRefs(flow: string, refs: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < refs.length; i += 500) {
      const chunk = refs.slice(i, i + 500);
      const rows = await this.db.query<{ external_ref: string }>(
        `SELECT external_ref FROM orders WHERE flow_key = ? AND external_ref IN (${chunk.map(() => '?').join(', ')})`,
        [flow, ...chunk],
      );
      for (const r of rows) found.add(r.external_ref);
    }
    return found;
  }

  /**
   * Writes a change — the next order if the stored version is still `expectedVersion`, its
   * history, outbox and receipt rows — atomically. On PostgreSQL it is one statement (no
   * BEGIN/COMMIT round trips); on SQLite one transaction of the group commit. With `more` (a
   * keyed request's answer) it is a transaction of its own on both, with `more` inside it, run
   * only when the change won. False when another change won the race (nothing written). With
   * `settle` (an effect's outcome applied) the claimed outbox row is settled in the same write:
   * if its lease was lost, nothing is written and it throws LeaseLostError.
   */
  async writeChange(
    next: Order,
    expectedVersion: number,
    columns: Pick<OrderColumns, 'customer' | 'searchText'>,
    history: readonly StoredHistoryEntry[],
    effects: readonly StoredEffect[],
    receipt?: Receipt,
    more?: (tx: SqlExecutor) => Promise<void>,
    settle?: Settlement,
  ): Promise<boolean> {
    if (this.pgChanges && !more)
      return this.pgChanges.write({
        id: next.id,
        update: updateRow(next, expectedVersion, columns),
        history: historyRows(next.id, history),
        outbox: outboxRows(next.id, effects, next.updatedAt, this.idle),
        receipt: receiptRows(receipt, next),
        settle: settleRows(next.id, settle),
      });
    return this.db.transaction(async (tx) => {
      if (!(await this.updateIfVersion(next, expectedVersion, columns, tx))) return false;
      await this.appendHistory(next.id, history, tx);
      await this.appendOutbox(next.id, effects, next.updatedAt, tx);
      await this.write(RECEIPTS.values(receiptRows(receipt, next)), tx);
      if (settle && (await tx.run(SETTLE_IF_LEASED, settleParams(settle))) !== 1)
        throw new LeaseLostError(`Outbox row ${settle.id}`);
      await more?.(tx);
      return true;
    });
  }

  private async write(statement: { sql: string; params: unknown[] } | undefined, tx: SqlExecutor) {
    if (statement) await tx.run(statement.sql, statement.params);
  }

  /**
   * Writes the next order only if the stored version is still `expectedVersion`. False when
   * another change won the race (nothing written).
   */
  async updateIfVersion(
    order: Order,
    expectedVersion: number,
    columns: Pick<OrderColumns, 'customer' | 'searchText'>,
    tx: SqlExecutor,
  ): Promise<boolean> {
    const changed = await tx.run(UPDATE_IF_VERSION, updateRow(order, expectedVersion, columns));
    return changed === 1;
  }

  async appendHistory(
    orderId: string,
    entries: readonly StoredHistoryEntry[],
    tx: SqlExecutor,
  ): Promise<void> {
    await this.write(HISTORY.values(historyRows(orderId, entries)), tx);
  }

  async appendOutbox(
    orderId: string,
    effects: readonly StoredEffect[],
    now: string,
    tx: SqlExecutor,
  ): Promise<void> {
    await this.write(OUTBOX.values(outboxRows(orderId, effects, now, this.idle)), tx);
  }

  async history(orderId: string): Promise<StoredHistoryEntry[]> {
    const rows = await this.db.query(
      'SELECT * FROM order_history WHERE order_id = ? ORDER BY seq',
      [orderId],
    );
    return rows.map(historyEntryFrom);
  }

  /** The histories of several orders (one query), by order id, each in sequence. */
  async histories(orderIds: readonly string[]): Promise<Map<string, StoredHistoryEntry[]>> {
    const byOrder = new Map<string, StoredHistoryEntry[]>(orderIds.map((id) => [id, []]));
    if (!orderIds.length) return byOrder;
    const rows = await this.db.query(
      this.db.kind === 'postgres'
        ? 'SELECT * FROM order_history WHERE order_id = ANY(?::varchar[]) ORDER BY order_id, seq'
        : 'SELECT * FROM order_history WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, seq',
      [this.db.kind === 'postgres' ? orderIds : JSON.stringify(orderIds)],
    );
    for (const r of rows) byOrder.get(r.order_id as string)?.push(historyEntryFrom(r));
    return byOrder;
  }

  async outbox(orderId: string) {
    const rows = await this.db.query('SELECT * FROM outbox WHERE order_id = ? ORDER BY id', [
      orderId,
    ]);
    return rows.map((r) => ({
      idempotencyKey: r.idempotency_key as string,
      type: r.type as string,
      status: r.status as string,
      attempts: Number(r.attempts),
      effect: JSON.parse(r.effect as string) as StoredEffect,
      // What it achieved: a connector's output, or why it was dropped (a stale status push).
      result: r.result ? JSON.parse(r.result as string) : null,
    }));
  }
}
