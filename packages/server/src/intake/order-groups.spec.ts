import { standardOrderFlow } from '@ordo/engine/testing';
import { columnFinder } from './column-finder';
import { groupRows, rowOf, type OrderRow } from './order-groups';
import { readCsvTable } from './table-file';
import { readJsonLines, tableToRows, unsafeTargets } from './table-rows';

const fields = standardOrderFlow.fields;
const mapping = {
  'Order No': 'externalRef',
  Client: 'customer.id',
  Item: 'lines[].sku',
  Qty: 'lines[].qty',
};

function grouped(csv: string) {
  const table = readCsvTable(csv);
  const columnOf = columnFinder({ columns: table.columns, mapping });
  return groupRows(tableToRows(table, fields, mapping), columnOf);
}

describe('sheets with one row per order line', () => {
  it('groups rows by reference, not adjacent ones only: fields from the first row, a line per row', () => {
    const rows = grouped(
      [
        'Order No,Client,Item,Qty',
        'A,C1,SKU-1,2',
        'B,C2,SKU-9,1',
        'A,,SKU-2,3',
        'A,C1,SKU-3,4',
        ',C3,SKU-4,5',
      ].join('\n'),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        line: 2,
        externalRef: 'A',
        rows: [2, 4, 5],
        data: {
          customer: { id: 'C1' },
          lines: [
            { sku: 'SKU-1', qty: 2 },
            { sku: 'SKU-2', qty: 3 },
            { sku: 'SKU-3', qty: 4 },
          ],
        },
      }),
      expect.objectContaining({ line: 3, externalRef: 'B', rows: [3] }),
      // No reference: an order of its own.
      expect.objectContaining({
        line: 6,
        data: { customer: { id: 'C3' }, lines: [{ sku: 'SKU-4', qty: 5 }] },
      }),
    ]);
    expect(rowOf(rows[0] as OrderRow, 'lines.2.qty')).toBe(5);
    expect(rowOf(rows[0] as OrderRow, 'customer.id')).toBe(2);
  });

  it('refuses a row whose order fields disagree with the first row, naming row and column, and the rest of that order', () => {
    const rows = grouped(
      [
        'Order No,Client,Item,Qty',
        'A,C1,SKU-1,2',
        'A,C2,SKU-2,3',
        'A,,SKU-3,1',
        'B,C5,SKU-1,1',
      ].join('\n'),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        line: 2,
        code: 'order_refused',
        error: expect.stringContaining('line 3'),
      }),
      expect.objectContaining({
        line: 3,
        column: 'Client',
        path: 'customer.id',
        code: 'order_mismatch',
        error: expect.stringContaining('"C2" here but "C1" on line 2'),
      }),
      expect.objectContaining({ line: 4, code: 'order_refused' }),
      expect.objectContaining({ line: 5, externalRef: 'B', rows: [5] }),
    ]);
  });

  it('refuses every row of an order one of whose rows cannot be read', () => {
    const rows = grouped(
      ['Order No,Client,Item,Qty', 'A,C1,SKU-1,2', 'A,C1,SKU-2', 'B,C1,SKU-1,1'].join('\n'),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        line: 2,
        code: 'order_refused',
        error: expect.stringContaining('line 3 of it cannot be read'),
      }),
      expect.objectContaining({ line: 3, error: expect.stringContaining('has 3 cells') }),
      expect.objectContaining({ line: 4, externalRef: 'B' }),
    ]);
  });

  it('keeps one order per row (a repeated reference stays a duplicate) without per-line columns', () => {
    const table = readCsvTable('externalRef,customer.id,lines.0.sku\nA,C1,S1\nA,C1,S2\n');
    const rows = groupRows(tableToRows(table, fields), columnFinder({ columns: table.columns }));
    expect(rows.map((r) => [r.line, 'rows' in r])).toEqual([
      [2, false],
      [3, false],
    ]);
  });

  it('joins the lines of JSON Lines that share a reference', () => {
    const line = (customer: string, sku: string) =>
      JSON.stringify({
        externalRef: 'J',
        data: { customer: { id: customer }, lines: [{ sku, qty: 1 }] },
      });
    const rows = groupRows(
      readJsonLines([line('C1', 'S1'), line('C1', 'S2')].join('\n')),
      () => undefined,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        rows: [1, 2],
        data: {
          customer: { id: 'C1' },
          lines: [
            { sku: 'S1', qty: 1 },
            { sku: 'S2', qty: 1 },
          ],
        },
      }),
    ]);
    const mixed = groupRows(
      readJsonLines([line('C1', 'S1'), line('C9', 'S2')].join('\n')),
      () => undefined,
    );
    expect(mixed[1]).toMatchObject({ line: 2, path: 'customer.id', code: 'order_mismatch' });
  });

  it('refuses a malformed per-line target at its mapping', () => {
    expect(unsafeTargets(['A', 'B'], { A: 'lines[]', B: 'lines[].x[].y' })).toEqual([
      expect.objectContaining({ path: '/mapping/A', code: 'bad_target' }),
      expect.objectContaining({ path: '/mapping/B', code: 'bad_target' }),
    ]);
    expect(unsafeTargets(['lines[].__proto__'])).toEqual([
      expect.objectContaining({ path: '/content', code: 'unsafe_path' }),
    ]);
  });
});
