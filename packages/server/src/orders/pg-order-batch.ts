import type { Db } from '../database/db';
import { HISTORY_COLUMNS, ORDER_COLUMNS, OUTBOX_COLUMNS, RECEIPT_COLUMNS } from './order-rows';

/** One new order's rows. */
export interface NewOrderRows {
  order: unknown[];
  history: unknown[][];
  outbox: unknown[][];
  receipt: unknown[][];
}

/** PostgreSQL types of each column, in the order of the column lists. */
const ORDER_TYPES = [
  'varchar',
  'varchar',
  'int',
  'varchar',
  'text',
  'int',
  'varchar',
  'varchar',
  'varchar',
  'text',
  'varchar',
  'varchar',
];
const HISTORY_TYPES = [
  'varchar',
  'int',
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'text',
  'text',
  'varchar',
];
const OUTBOX_TYPES = [
  'varchar',
  'int',
  'int',
  'varchar',
  'varchar',
  'text',
  'varchar',
  'int',
  'varchar',
  'varchar',
];

const RECEIPT_TYPES = ['varchar', 'varchar', 'varchar', 'int', 'text', 'varchar'];

const unnest = (types: string[]) =>
  `SELECT * FROM unnest(${types.map((t) => `?::${t}[]`).join(', ')})`;
/**
 * Any number of new orders, with their history and outbox rows, in ONE statement over column
 * arrays: one round trip, one commit, and one prepared statement whatever the batch size.
 */
const INSERT_MANY = `WITH o AS (INSERT INTO orders (${ORDER_COLUMNS}) ${unnest(ORDER_TYPES)}),
h AS (INSERT INTO order_history (${HISTORY_COLUMNS}) ${unnest(HISTORY_TYPES)}),
r AS (INSERT INTO hook_deliveries (${RECEIPT_COLUMNS}) ${unnest(RECEIPT_TYPES)})
INSERT INTO outbox (${OUTBOX_COLUMNS}) ${unnest(OUTBOX_TYPES)}`;

/**
 * A change to one order in ONE statement, atomic without BEGIN/COMMIT: the conditional update,
 * then its history, outbox and receipt rows — written only if the update found the version.
 * Returns how many orders it updated (1, or 0 when another change won).
 */
export const CHANGE_ONE = `WITH u AS (
  UPDATE orders SET flow_version = ?, state = ?, data = ?, version = ?, customer = ?, search_text = ?, updated_at = ?
  WHERE id = ? AND version = ? RETURNING id),
h AS (INSERT INTO order_history (${HISTORY_COLUMNS}) ${unnest(HISTORY_TYPES)} WHERE EXISTS (SELECT 1 FROM u)),
o AS (INSERT INTO outbox (${OUTBOX_COLUMNS}) ${unnest(OUTBOX_TYPES)} WHERE EXISTS (SELECT 1 FROM u)),
r AS (INSERT INTO hook_deliveries (${RECEIPT_COLUMNS}) ${unnest(RECEIPT_TYPES)} WHERE EXISTS (SELECT 1 FROM u))
SELECT COUNT(*)::int AS n FROM u`;

/** Column arrays of the rows: `[[a1, b1], [a2, b2]]` → `[[a1, a2], [b1, b2]]`. */
export const columnsOf = (rows: unknown[][], width: number): unknown[][] =>
  Array.from({ length: width }, (_, c) => rows.map((row) => row[c]));

const paramsOf = (batch: readonly NewOrderRows[]): unknown[] => [
  ...columnsOf(
    batch.map((b) => b.order),
    ORDER_TYPES.length,
  ),
  ...columnsOf(
    batch.flatMap((b) => b.history),
    HISTORY_TYPES.length,
  ),
  ...columnsOf(
    batch.flatMap((b) => b.receipt),
    RECEIPT_TYPES.length,
  ),
  ...columnsOf(
    batch.flatMap((b) => b.outbox),
    OUTBOX_TYPES.length,
  ),
];

/** The parameters of CHANGE_ONE after the update's nine: history, outbox, receipt columns. */
export const changeParams = (history: unknown[][], outbox: unknown[][], receipt: unknown[][]) => [
  ...columnsOf(history, HISTORY_TYPES.length),
  ...columnsOf(outbox, OUTBOX_TYPES.length),
  ...columnsOf(receipt, RECEIPT_TYPES.length),
];

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
