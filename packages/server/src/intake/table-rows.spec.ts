import { workbook } from '../../test/support/workbook';
import { standardOrderFlow } from '@ordo/engine/testing';
import { readCsvTable, readTable, TableError } from './table-file';
import { readJsonLines, tableToRows } from './table-rows';

const fields = standardOrderFlow.fields;

describe('import files', () => {
  it('reads CSV columns as dot paths typed by the fields, with file line numbers', () => {
    const csv = [
      'customer.id,lines.0.sku,lines.0.qty,lines.1.sku,lines.1.qty,stock.available,finance.approved',
      'C1,SKU-1,3,,,10,yes',
      '',
      '"C,2","SKU-2",x,SKU-3,1,5,false',
      'C3,SKU-4',
    ].join('\r\n');
    expect(tableToRows(readCsvTable(csv), fields)).toEqual([
      {
        line: 2,
        data: {
          customer: { id: 'C1' },
          lines: [{ sku: 'SKU-1', qty: 3 }],
          stock: { available: 10 },
          finance: { approved: true },
        },
      },
      {
        line: 4,
        data: {
          customer: { id: 'C,2' },
          lines: [
            { sku: 'SKU-2', qty: 'x' },
            { sku: 'SKU-3', qty: 1 },
          ],
          stock: { available: 5 },
          finance: { approved: false },
        },
      },
      { line: 5, error: 'has 2 cells, the header has 7 columns' },
    ]);
  });

  it('maps columns with other names, skips some, and takes the external reference', () => {
    const csv = 'Order No,Client,Item,Qty,Notes\nA-1,C1,SKU-1,2,call first\n';
    const rows = tableToRows(readCsvTable(csv), fields, {
      'Order No': 'externalRef',
      Client: 'customer.id',
      Item: 'lines.0.sku',
      Qty: 'lines.0.qty',
      Notes: null,
    });
    expect(rows).toEqual([
      {
        line: 2,
        externalRef: 'A-1',
        data: { customer: { id: 'C1' }, lines: [{ sku: 'SKU-1', qty: 2 }] },
      },
    ]);
  });

  it('reads JSON columns for object fields and names the column of bad JSON', () => {
    const csv = 'customer,lines\n"{""id"":""C9""}","[{""sku"":""A"",""qty"":1}]"\n{oops,[]\n';
    expect(tableToRows(readCsvTable(csv), fields)).toEqual([
      { line: 2, data: { customer: { id: 'C9' }, lines: [{ sku: 'A', qty: 1 }] } },
      { line: 3, column: 'customer', error: 'expected JSON for the object field customer' },
    ]);
  });

  it('reads the first sheet of an Excel workbook, with its row numbers', async () => {
    const buffer = await workbook(
      [
        ['customer.id', 'lines.0.sku', 'lines.0.qty', 'due'],
        ['C1', 'SKU-1', 4, new Date('2026-12-01T00:00:00Z')],
        [],
        ['C2', 'SKU-2', 1, ''],
      ],
      'Orders',
    );
    const table = await readTable('xlsx', buffer.toString('base64'));
    expect(table.columns).toEqual(['customer.id', 'lines.0.sku', 'lines.0.qty', 'due']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['C1', 'SKU-1', '4', '2026-12-01'] },
      { line: 4, cells: ['C2', 'SKU-2', '1', ''] },
    ]);
    await expect(readTable('xlsx', Buffer.from('not a workbook'))).rejects.toBeInstanceOf(
      TableError,
    );
  });

  it('reads JSON Lines: data objects, or a reference with its data', () => {
    expect(readJsonLines('{"a":1}\n\n[1]\n{bad\n{"externalRef":"R1","data":{"a":2}}\n')).toEqual([
      { line: 1, data: { a: 1 } },
      { line: 3, error: 'each line must be a JSON object' },
      { line: 4, error: expect.stringContaining('invalid JSON') },
      { line: 5, externalRef: 'R1', data: { a: 2 } },
    ]);
  });
});
