import { standardOrderFlow } from '@ordo/engine/testing';
import { readCsv, readJsonLines } from './order-file';

describe('import files', () => {
  it('reads CSV columns as dot paths typed by the fields, with file line numbers', () => {
    const csv = [
      'customer.id,lines.0.sku,lines.0.qty,lines.1.sku,lines.1.qty,stock.available,finance.approved',
      'C1,SKU-1,3,,,10,yes',
      '',
      '"C,2","SKU-2",x,SKU-3,1,5,false',
      'C3,SKU-4',
    ].join('\r\n');
    expect(readCsv(csv, standardOrderFlow.fields)).toEqual([
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

  it('reads JSON columns for object fields and refuses bad JSON there', () => {
    const csv = 'customer,lines\n"{""id"":""C9""}","[{""sku"":""A"",""qty"":1}]"\n{oops,[]\n';
    expect(readCsv(csv, standardOrderFlow.fields)).toEqual([
      { line: 2, data: { customer: { id: 'C9' }, lines: [{ sku: 'A', qty: 1 }] } },
      { line: 3, error: 'column customer: expected JSON for the object field customer' },
    ]);
  });

  it('reads JSON Lines, one object per line', () => {
    expect(readJsonLines('{"a":1}\n\n[1]\n{bad\n')).toEqual([
      { line: 1, data: { a: 1 } },
      { line: 3, error: 'each line must be a JSON object' },
      { line: 4, error: expect.stringContaining('invalid JSON') },
    ]);
  });
});
