import type { Order } from '@ordo/engine';
import { historyRows, orderRow, outboxRows, receiptRows, updateRow } from './order-rows';
import { HISTORY, ORDER_UPDATE, ORDERS, OUTBOX, RECEIPTS, UPDATE_IF_VERSION } from './order-tables';

const order: Order = {
  id: 'o1',
  flow: 'f',
  flowVersion: 1,
  state: 'new',
  data: { a: 1 },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const columns = { customer: 'C1', channel: 'api', externalRef: 'R-1', searchText: 'o1 r-1' };

describe('order tables: one column list per stored row', () => {
  it('builds each row with exactly its table’s columns', () => {
    expect(orderRow(order, columns)).toHaveLength(ORDERS.columns.length);
    const [history] = historyRows('o1', [
      {
        kind: 'created',
        version: 1,
        at: order.createdAt,
        actor: { id: 'u', roles: [] },
        from: null,
        to: 'new',
      },
    ]);
    expect(history).toHaveLength(HISTORY.columns.length);
    const [outbox] = outboxRows(
      'o1',
      [{ type: 'emit', event: 'x', version: 1 } as never],
      order.updatedAt,
    );
    expect(outbox).toHaveLength(OUTBOX.columns.length);
    const [receipt] = receiptRows(
      { key: 'k', flow: 'f', trigger: 't', status: 201, answer: {}, at: order.createdAt },
      order,
    );
    expect(receipt).toHaveLength(RECEIPTS.columns.length);
    expect(updateRow(order, 0, columns)).toHaveLength(ORDER_UPDATE.columns.length);
  });

  it('derives both dialects’ statements from the same columns', () => {
    expect(ORDERS.unnest.match(/\?::/g)).toHaveLength(ORDERS.columns.length);
    expect(ORDERS.values([orderRow(order, columns)])!.sql).toBe(
      `INSERT INTO orders (${ORDERS.names}) VALUES (${ORDERS.columns.map(() => '?').join(', ')})`,
    );
    // The update sets every column but the key and the expected version, which it matches on.
    expect(UPDATE_IF_VERSION.match(/\?/g)).toHaveLength(ORDER_UPDATE.columns.length);
    expect(UPDATE_IF_VERSION).toMatch(/WHERE id = \? AND version = \?$/);
  });
});
