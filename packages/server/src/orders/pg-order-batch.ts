import type { Db, SqlExecutor } from '../database/db';
import { RowTable } from '../database/row-table';
import { LeaseLostError } from '../database/lease';
import {
  HISTORY,
  ORDER_UPDATE,
  ORDERS,
  OUTBOX,
  OUTBOX_SETTLE,
  RECEIPTS,
  UPDATED_COLUMNS,
} from './order-tables';

/** One new order's rows. */
export interface NewOrderRows {
  order: unknown[];
  history: unknown[][];
  outbox: unknown[][];
  receipt: unknown[][];
}

/** A change's receipts, each with the order it belongs to (written only if that order won). */
const RECEIPTS_OF_ORDERS = new RowTable('hook_deliveries', [
  ...RECEIPTS.columns,
  ['order_id', 'varchar'],
]);

/**
 * Any number of new orders, with their history and outbox rows, in ONE statement over column
 * arrays: one round trip, one commit, and one prepared statement whatever the batch size.
 */
const INSERT_MANY = `WITH o AS (INSERT INTO orders (${ORDERS.names}) SELECT * FROM ${ORDERS.unnest}),
h AS (INSERT INTO order_history (${HISTORY.names}) SELECT * FROM ${HISTORY.unnest}),
r AS (INSERT INTO hook_deliveries (${RECEIPTS.names}) SELECT * FROM ${RECEIPTS.unnest})
INSERT INTO outbox (${OUTBOX.names}) SELECT * FROM ${OUTBOX.unnest}`;

/**
 * Changes to any number of orders in ONE statement, atomic without BEGIN/COMMIT: each order's
 * conditional update (`version` still the one the change was computed on), then the history,
 * outbox and receipt rows of the orders whose update won. A change that settles a claimed
 * outbox row (an effect's outcome applied) wins only with its settle: the order row is locked
 * first (`l`, in id order; a row changed meanwhile is re-read and left out), the outbox row is
 * settled only if its claim's lease still holds it (`s`), and the order is updated only if it
 * was. Returns the ids that won, and those whose lease was lost (`won` false: nothing written).
 *
 * The LIMIT (the batch's own length, so it drops nothing) is for the planner: a prepared
 * statement is planned once per connection, and without knowing how many rows the arrays hold
 * it plans the join for ten; on a new, small table that is a sequential scan, which the
 * connection then keeps as the table grows. A LIMIT it cannot see it takes for one row: an
 * index lookup per order, whatever the table's size.
 */
export const CHANGE_MANY = `WITH i AS (
  SELECT * FROM ${ORDER_UPDATE.unnest} AS t(${ORDER_UPDATE.names}) LIMIT ?::int),
x AS (SELECT * FROM ${OUTBOX_SETTLE.unnest} AS t(${OUTBOX_SETTLE.names}) LIMIT ?::int),
l AS (
  SELECT o.id FROM orders AS o JOIN i ON o.id = i.id AND o.version = i.expected
  WHERE o.id IN (SELECT order_id FROM x) ORDER BY o.id FOR UPDATE OF o),
s AS (
  UPDATE outbox AS b SET status = x.status, result = x.result, last_error = x.last_error,
    settled_at = x.settled_at, locked_until = NULL, lease_token = NULL
  FROM x WHERE b.id = x.id AND b.lease_token = x.lease_token AND b.status = 'running'
    AND x.order_id IN (SELECT id FROM l)
  RETURNING x.order_id),
u AS (
  UPDATE orders AS o SET ${UPDATED_COLUMNS.map((c) => `${c} = i.${c}`).join(', ')}
  FROM i WHERE o.id = i.id AND o.version = i.expected
    AND (o.id NOT IN (SELECT order_id FROM x) OR o.id IN (SELECT order_id FROM s))
  RETURNING o.id),
h AS (INSERT INTO order_history (${HISTORY.names})
  SELECT * FROM ${HISTORY.unnest} AS x(${HISTORY.names}) WHERE x.order_id IN (SELECT id FROM u)),
o AS (INSERT INTO outbox (${OUTBOX.names})
  SELECT * FROM ${OUTBOX.unnest} AS x(${OUTBOX.names}) WHERE x.order_id IN (SELECT id FROM u)),
r AS (INSERT INTO hook_deliveries (${RECEIPTS.names})
  SELECT ${RECEIPTS.names} FROM ${RECEIPTS_OF_ORDERS.unnest}
    AS x(${RECEIPTS_OF_ORDERS.names}) WHERE x.order_id IN (SELECT id FROM u))
SELECT id, true AS won FROM u
UNION ALL SELECT id, false FROM l WHERE id NOT IN (SELECT order_id FROM s)`;

/** One change's rows: the update's values (`updateRow`), history, outbox, receipt. */
export interface ChangeRows {
  id: string;
  update: unknown[];
  history: unknown[][];
  outbox: unknown[][];
  receipt: unknown[][];
  /** The claimed outbox row it settles (`settleRows`), if any. */
  settle: unknown[][];
}

const paramsOf = (batch: readonly NewOrderRows[]): unknown[] => [
  ...ORDERS.arrays(batch.map((b) => b.order)),
  ...HISTORY.arrays(batch.flatMap((b) => b.history)),
  ...RECEIPTS.arrays(batch.flatMap((b) => b.receipt)),
  ...OUTBOX.arrays(batch.flatMap((b) => b.outbox)),
];

const changeParams = (batch: readonly ChangeRows[]): unknown[] => [
  ...ORDER_UPDATE.arrays(batch.map((b) => b.update)),
  batch.length,
  ...OUTBOX_SETTLE.arrays(batch.flatMap((b) => b.settle)),
  batch.filter((b) => b.settle.length).length,
  ...HISTORY.arrays(batch.flatMap((b) => b.history)),
  ...OUTBOX.arrays(batch.flatMap((b) => b.outbox)),
  ...RECEIPTS_OF_ORDERS.arrays(batch.flatMap((b) => b.receipt.map((r) => [...r, b.id]))),
];

/** Writes new orders' rows with ONE statement inside the caller's transaction. */
export async function insertManyPg(tx: SqlExecutor, rows: readonly NewOrderRows[]): Promise<void> {
  if (rows.length) await tx.run(INSERT_MANY, paramsOf(rows));
}

/** Large enough to share a commit among a burst, small enough to keep one statement quick. */
const MAX_BATCH = 256;

/**
 * New orders on PostgreSQL: those that arrive in the same turn of the event loop are written by
 * one statement — group commit, as SQLite's Db does for transactions. A batch that fails is
 * written again order by order, so that only the order at fault (say, a duplicate external
 * reference) fails, and each caller hears only of its own order.
 */
export class PgOrderBatch {
  private pending: { rows: NewOrderRows; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly db: Db) {}

  insert(rows: NewOrderRows): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (this.pending.length) setImmediate(() => void this.flush());
    try {
      await this.db.run(INSERT_MANY, paramsOf(batch.map((b) => b.rows)));
      for (const item of batch) item.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(
        batch.map((item) =>
          this.db.run(INSERT_MANY, paramsOf([item.rows])).then(item.resolve, item.reject),
        ),
      );
    }
  }
}

/**
 * Changes to orders on PostgreSQL: those that arrive in the same turn of the event loop are
 * written by one statement (group commit), at most one per order (a second change to an order
 * waits for the next statement, so it sees the first). A batch that fails (a repeated receipt,
 * a deadlock with another process's batch) is written again change by change, so only the
 * change at fault fails. A change whose settle found its lease lost fails with LeaseLostError.
 */
export class PgChangeBatch {
  private pending: {
    rows: ChangeRows;
    resolve: (won: boolean) => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(private readonly db: Db) {}

  write(rows: ChangeRows): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch: typeof this.pending = [];
    const later: typeof this.pending = [];
    const ids = new Set<string>();
    for (const item of this.pending) {
      if (batch.length < MAX_BATCH && !ids.has(item.rows.id)) {
        ids.add(item.rows.id);
        batch.push(item);
      } else later.push(item);
    }
    this.pending = later;
    if (later.length) setImmediate(() => void this.flush());
    const run = async (items: typeof batch) => {
      const rows = await this.db.query<{ id: string; won: boolean }>(
        CHANGE_MANY,
        changeParams(items.map((i) => i.rows)),
      );
      const outcome = new Map(rows.map((r) => [r.id, r.won]));
      for (const item of items) {
        if (outcome.get(item.rows.id) === false)
          item.reject(new LeaseLostError(`Outbox row ${String(item.rows.settle[0]?.[1])}`));
        else item.resolve(outcome.has(item.rows.id));
      }
    };
    try {
      await run(batch);
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((item) => run([item]).catch(item.reject)));
    }
  }
}
