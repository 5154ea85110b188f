import { Inject, Injectable } from '@nestjs/common';
import type { Effect, HistoryEntry, Order } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';

/** Columns beside the order's data that lists filter on. */
export interface OrderColumns {
  customer: string | null;
  channel: string;
  externalRef: string | null;
  searchText: string;
}

/** A stored order: the engine's order plus where it came from. */
export type StoredOrder = Order & { channel: string; externalRef: string | null };

/** A stored history entry. */
export interface StoredHistoryEntry extends Omit<HistoryEntry, 'kind'> {
  kind: HistoryEntry['kind'] | 'migrated';
}

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

function placeholders(rows: number, columns: number): string {
  const one = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

interface Statement {
  sql: string;
  params: unknown[];
}

function insertOrder(order: Order, columns: OrderColumns): Statement {
  return {
    sql: 'INSERT INTO orders (id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    params: [
      order.id,
      order.flow,
      order.flowVersion,
      order.state,
      JSON.stringify(order.data),
      order.version,
      columns.customer,
      columns.channel,
      columns.externalRef,
      columns.searchText,
      order.createdAt,
      order.updatedAt,
    ],
  };
}

function insertHistory(
  orderId: string,
  entries: readonly StoredHistoryEntry[],
): Statement | undefined {
  if (!entries.length) return undefined;
  return {
    sql: `INSERT INTO order_history (order_id, seq, kind, event, transition, from_state, to_state, actor_id, actor_roles, payload, at) VALUES ${placeholders(entries.length, 11)}`,
    params: entries.flatMap((h) => [
      orderId,
      h.version,
      h.kind,
      h.event ?? null,
      h.transition ?? null,
      h.from,
      h.to,
      h.actor.id,
      JSON.stringify(h.actor.roles),
      h.payload === undefined ? null : JSON.stringify(h.payload),
      h.at,
    ]),
  };
}

function insertOutbox(
  orderId: string,
  effects: readonly Effect[],
  now: string,
): Statement | undefined {
  if (!effects.length) return undefined;
  const seen = new Map<number, number>();
  return {
    sql: `INSERT INTO outbox (order_id, history_seq, effect_index, idempotency_key, type, effect, status, attempts, next_attempt_at, created_at) VALUES ${placeholders(effects.length, 10)}`,
    params: effects.flatMap((effect) => {
      const index = seen.get(effect.version) ?? 0;
      seen.set(effect.version, index + 1);
      return [
        orderId,
        effect.version,
        index,
        `${orderId}:${effect.version}:${index}`,
        effect.type,
        JSON.stringify(effect),
        'pending',
        0,
        now,
        now,
      ];
    }),
  };
}

/** Writes and reads orders, their history and their outbox rows with plain statements. */
@Injectable()
export class OrdersRepository {
  constructor(@Inject(DB) readonly db: Db) {}

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
   * Stores a new order with its history and outbox rows, atomically. On PostgreSQL it is one
   * statement (data-modifying CTEs: one round trip, no BEGIN/COMMIT); on SQLite one transaction.
   */
  async insertNew(
    order: Order,
    columns: OrderColumns,
    history: readonly StoredHistoryEntry[],
    effects: readonly Effect[],
  ): Promise<void> {
    const parts = [
      insertOrder(order, columns),
      insertHistory(order.id, history),
      insertOutbox(order.id, effects, order.updatedAt),
    ].filter((p): p is Statement => p !== undefined);
    if (this.db.kind === 'postgres') {
      const last = parts.pop()!;
      const sql = parts.length
        ? `WITH ${parts.map((p, i) => `s${i} AS (${p.sql})`).join(', ')} ${last.sql}`
        : last.sql;
      await this.db.run(sql, [...parts.flatMap((p) => p.params), ...last.params]);
      return;
    }
    await this.db.transaction(async (tx) => {
      for (const part of parts) await tx.run(part.sql, part.params);
    });
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
    const changed = await tx.run(
      'UPDATE orders SET flow_version = ?, state = ?, data = ?, version = ?, customer = ?, search_text = ?, updated_at = ? WHERE id = ? AND version = ?',
      [
        order.flowVersion,
        order.state,
        JSON.stringify(order.data),
        order.version,
        columns.customer,
        columns.searchText,
        order.updatedAt,
        order.id,
        expectedVersion,
      ],
    );
    return changed === 1;
  }

  async appendHistory(
    orderId: string,
    entries: readonly StoredHistoryEntry[],
    tx: SqlExecutor,
  ): Promise<void> {
    const statement = insertHistory(orderId, entries);
    if (statement) await tx.run(statement.sql, statement.params);
  }

  /** Outbox rows, keyed (order, history version, index among that version's effects). */
  async appendOutbox(
    orderId: string,
    effects: readonly Effect[],
    now: string,
    tx: SqlExecutor,
  ): Promise<void> {
    const statement = insertOutbox(orderId, effects, now);
    if (statement) await tx.run(statement.sql, statement.params);
  }

  async history(orderId: string): Promise<StoredHistoryEntry[]> {
    const rows = await this.db.query(
      'SELECT * FROM order_history WHERE order_id = ? ORDER BY seq',
      [orderId],
    );
    return rows.map((r) => ({
      kind: r.kind as StoredHistoryEntry['kind'],
      version: Number(r.seq),
      at: r.at as string,
      actor: { id: r.actor_id as string, roles: JSON.parse(r.actor_roles as string) },
      from: (r.from_state as string | null) ?? null,
      to: r.to_state as string,
      ...(r.transition !== null && { transition: r.transition as string }),
      ...(r.event !== null && { event: r.event as string }),
      ...(r.payload !== null && { payload: JSON.parse(r.payload as string) }),
    }));
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
      effect: JSON.parse(r.effect as string) as Effect,
    }));
  }
}
