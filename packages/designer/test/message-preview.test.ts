import { standardOrderFlow } from '@ordo/engine/testing';
import { parseFormat, previewDataSets, previewReading } from '../src/model/message-preview';

const FORMAT = {
  header: { Store: 'customer.id', 'Order no': 'externalRef' },
  line: '{sku} x {qty} {unit?}',
  units: { factors: { cs: 24 } },
  aliases: { part: 'sku', dataSet: 'sku-aliases', column: 'sku' },
};

describe('message format preview', () => {
  it('reads a sample as the server would: headers, parts with aliases and units, lines not understood', () => {
    const parsed = parseFormat(standardOrderFlow, JSON.stringify(FORMAT));
    if (!('format' in parsed)) throw new Error(parsed.error);
    expect(parsed.problems).toEqual([]);
    const sets = previewDataSets('sku-aliases', 3, [
      { key: 'cola', values: { alias: 'cola', sku: 'SKU-COLA-330' } },
    ]);
    const reading = previewReading(
      standardOrderFlow,
      parsed.format,
      'Hi,\nStore: S-1\nOrder no: PO-1\ncola x 2 cs\nfanta x 1 cs\nwater x 3 box\n-- \nsignature 123',
      sets,
    );
    expect(reading.externalRef).toBe('PO-1');
    expect(reading.data).toMatchObject({
      customer: { id: 'S-1' },
      lines: [
        { sku: 'SKU-COLA-330', qty: 48 },
        { sku: 'fanta', qty: 24 },
      ],
    });
    expect(reading.notUnderstood).toEqual([
      expect.objectContaining({ line: 6, code: 'bad_value', text: 'water x 3 box' }),
    ]);
    expect(reading.ignored).toEqual([1]);
  });

  it('names each problem of a bad format at its path in the flow', () => {
    const problems = (text: string) => {
      const parsed = parseFormat(standardOrderFlow, text);
      return 'problems' in parsed ? parsed.problems.map((p) => p.path) : parsed.error;
    };
    expect(problems(JSON.stringify({ ...FORMAT, line: '{sku} x {2qty}' }))).toEqual([
      '/intake/message/line',
    ]);
    expect(
      problems(JSON.stringify({ line: '{sku} x {qty}', units: { factors: { cs: 24 } } })),
    ).toEqual(['/intake/message/units']);
    expect(problems(JSON.stringify({ line: '{sku} x {qty}', colour: 'red' }))).toEqual([
      expect.stringMatching(/^\/intake\/message/),
    ]);
    expect(
      problems(JSON.stringify({ header: { Store: 'customer.__proto__.x' }, line: '{a} {b}' })),
    ).toEqual(['/intake/message/header/Store']);
    expect(problems('{ "line": ')).toMatch(/JSON|Unexpected/);
  });
});
