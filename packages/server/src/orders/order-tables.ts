import { RowTable } from '../database/row-table';

/**
 * The rows a change to orders writes, one column table each: the SQLite statements, the
 * PostgreSQL batched ones (column arrays and their types) and the row builders (order-rows.ts)
 * all come from these, in this column order.
 */
export const ORDERS = new RowTable('orders', [
  ['id', 'varchar'],
  ['flow_key', 'varchar'],
  ['flow_version', 'int'],
  ['state', 'varchar'],
  ['data', 'text'],
  ['version', 'int'],
  ['customer', 'varchar'],
  ['channel', 'varchar'],
  ['external_ref', 'varchar'],
  ['search_text', 'text'],
  ['created_at', 'varchar'],
  ['updated_at', 'varchar'],
]);

export const HISTORY = new RowTable('order_history', [
  ['order_id', 'varchar'],
  ['seq', 'int'],
  ['kind', 'varchar'],
  ['event', 'varchar'],
  ['transition', 'varchar'],
  ['from_state', 'varchar'],
  ['to_state', 'varchar'],
  ['actor_id', 'varchar'],
  ['actor_roles', 'text'],
  ['payload', 'text'],
  ['at', 'varchar'],
  ['data_sets', 'text'],
  ['source', 'text'],
]);

export const OUTBOX = new RowTable('outbox', [
  ['order_id', 'varchar'],
  ['history_seq', 'int'],
  ['effect_index', 'int'],
  ['idempotency_key', 'varchar'],
  ['type', 'varchar'],
  ['effect', 'text'],
  ['status', 'varchar'],
  ['attempts', 'int'],
  ['next_attempt_at', 'varchar'],
  ['created_at', 'varchar'],
]);

/** An inbound delivery recorded with the change it caused. */
export const RECEIPTS = new RowTable('hook_deliveries', [
  ['key', 'varchar'],
  ['flow_key', 'varchar'],
  ['trigger_id', 'varchar'],
  ['status', 'int'],
  ['answer', 'text'],
  ['received_at', 'varchar'],
]);

/**
 * A change's conditional update of an order: the columns it sets, then the id and the
 * version the change was computed on (`expected`).
 */
export const ORDER_UPDATE = new RowTable('orders', [
  ['flow_version', 'int'],
  ['state', 'varchar'],
  ['data', 'text'],
  ['version', 'int'],
  ['customer', 'varchar'],
  ['search_text', 'text'],
  ['updated_at', 'varchar'],
  ['id', 'varchar'],
  ['expected', 'int'],
]);

/** The columns ORDER_UPDATE sets (all but the id and the expected version). */
export const UPDATED_COLUMNS = ORDER_UPDATE.columns.slice(0, -2).map(([name]) => name);

/** `UPDATE orders SET … WHERE id = ? AND version = ?` over ORDER_UPDATE's values. */
export const UPDATE_IF_VERSION = `UPDATE orders SET ${UPDATED_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND version = ?`;

/**
 * A claimed outbox row settled in the change that applies its outcome: the order it belongs
 * to, then the row, its claim's lease token and what it is settled with.
 */
export const OUTBOX_SETTLE = new RowTable('outbox', [
  ['order_id', 'varchar'],
  ['id', 'bigint'],
  ['lease_token', 'varchar'],
  ['status', 'varchar'],
  ['result', 'text'],
  ['last_error', 'text'],
  ['settled_at', 'varchar'],
]);

/** Settles a claimed outbox row if its claim still holds it (`settleParams`' values). */
export const SETTLE_IF_LEASED =
  "UPDATE outbox SET status = ?, result = ?, last_error = ?, settled_at = ?, locked_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ? AND status = 'running'";
