import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { publishFlow } from './support/flows';
import { ordoWithStandardFlow } from './support/ordo-cli';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { workbook } from './support/workbook';

const ROWS = 10_000;
/** Lines (1-based, header = 1) of the rows made bad on purpose, and what is wrong with them. */
const BAD = new Map<number, string>([
  [3, 'qty'],
  [1_500, 'sku'],
  [7_777, 'ref'],
  [10_001, 'qty'],
]);

/** A 10,000-row CSV in the shop's own column names; four rows are bad. */
function bigCsv(prefix: string): string {
  const lines = ['Order No,Client,Item,Qty,Notes'];
  for (let line = 2; line <= ROWS + 1; line++) {
    const bad = BAD.get(line);
    const ref = bad === 'ref' ? `${prefix}-2` : `${prefix}-${line}`; // line 7777 repeats line 2's reference
    const sku = bad === 'sku' ? 'bad sku' : `SKU-${line % 50}`;
    const qty = bad === 'qty' ? '0' : String((line % 9) + 1);
    lines.push(`${ref},C${line % 300},${sku},${qty},"note, ${line}"`);
  }
  return lines.join('\n') + '\n';
}

const mapping = {
  'Order No': 'externalRef',
  Client: 'customer.id',
  Item: 'lines.0.sku',
  Qty: 'lines.0.qty',
  Notes: null,
};

describe.each(databaseKinds())('order intake on %s', (db) => {
  let app: TestApp;
  const count = async (ref?: string) =>
    (
      await app.call(
        'GET',
        `/api/orders?flow=standard-order&limit=500${ref ? `&externalRef=${ref}` : ''}`,
      )
    ).body.items.length;
  const total = async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { items: unknown[]; nextCursor: string | null } } = await app.call(
        'GET',
        `/api/orders?flow=standard-order&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      n += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    return n;
  };

  beforeAll(async () => {
    app = await startTestApp({ db, config: { bodyLimit: 4 * 1024 * 1024 } });
    await publishFlow(app);
  });
  afterAll(() => app.close());

  it('previews a mapping: columns, typed data, refused rows with line and column; writes nothing', async () => {
    const content = 'Order No,Client,Item,Qty\nP-1,C1,SKU-1,2\nP-2,C2,SKU-2,x\n';
    const preview = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content,
      mapping,
      dryRun: true,
    });
    expect(preview.status).toBe(422);
    expect(preview.body.errors[0]).toMatchObject({
      path: '/mapping/Notes',
      code: 'unknown_column',
    });
    const { Notes: _notes, ...mapped } = mapping;
    const ok = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content,
      mapping: mapped,
      dryRun: true,
    });
    expect(ok.body).toMatchObject({
      rows: 2,
      valid: 1,
      imported: 0,
      columns: ['Order No', 'Client', 'Item', 'Qty'],
      mapping: { 'Order No': 'externalRef', Client: 'customer.id' },
      preview: [
        {
          line: 2,
          externalRef: 'P-1',
          data: { customer: { id: 'C1' }, lines: [{ sku: 'SKU-1', qty: 2 }] },
        },
      ],
      refused: [{ line: 3, column: 'Qty', path: 'lines.0.qty', code: expect.any(String) }],
    });
    expect(await count()).toBe(0);
  });

  it('imports 10,000 rows: with "all" nothing when a row is bad; with "valid" every good row, each bad one reported', async () => {
    const content = bigCsv(`API-${db}`);
    const all = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content,
      mapping,
      mode: 'all',
    });
    expect(all.status).toBe(422);
    expect(all.body.code).toBe('import_refused');
    expect(all.body.refused.map((r: { line: number }) => r.line)).toEqual([...BAD.keys()]);
    expect(await total()).toBe(0);

    const valid = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content,
      mapping,
      mode: 'valid',
    });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      rows: ROWS,
      valid: ROWS - BAD.size,
      imported: ROWS - BAD.size,
    });
    expect(valid.body.refused).toEqual([
      expect.objectContaining({ line: 3, column: 'Qty' }),
      expect.objectContaining({ line: 1_500, column: 'Item' }),
      expect.objectContaining({
        line: 7_777,
        column: 'Order No',
        code: 'duplicate_external_ref',
        message: expect.stringContaining('line 2'),
      }),
      expect.objectContaining({ line: 10_001, column: 'Qty' }),
    ]);
    expect(await total()).toBe(ROWS - BAD.size);
    const one = (await app.call('GET', `/api/orders?flow=standard-order&externalRef=API-${db}-42`))
      .body.items[0];
    expect(one).toMatchObject({
      channel: 'csv',
      externalRef: `API-${db}-42`,
      data: { customer: { id: 'C42' } },
    });
    expect((await app.call('GET', `/api/orders/${one.id}/history`)).body.items).toHaveLength(1);

    // Importing again: every row is a duplicate of a stored order; nothing new.
    const again = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content,
      mapping,
    });
    expect(again.body.imported).toBe(0);
    expect(
      again.body.refused.filter((r: { code: string }) => r.code === 'duplicate_external_ref')
        .length,
    ).toBe(ROWS - 3);
  }, 60_000);

  it('imports an Excel workbook with a column mapping', async () => {
    const content = (
      await workbook([
        ['Order No', 'Client', 'Item', 'Qty'],
        ['X-1', 'C1', 'SKU-1', 3],
        ['X-2', 'C2', 'SKU-2', 0],
      ])
    ).toString('base64');
    const { Notes: _notes, ...mapped } = mapping;
    const result = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'xlsx',
      content,
      mapping: mapped,
    });
    expect(result.body).toMatchObject({ imported: 1, refused: [{ line: 3, column: 'Qty' }] });
    expect(await count('X-1')).toBe(1);
    const broken = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'xlsx',
      content: 'bm90IGEgd29ya2Jvb2s=',
    });
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0].path).toBe('/content');
  });

  it('records the file and rows each order came from on its creation, for its timeline', async () => {
    const result = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content: 'Order No,Client,Item,Qty\nF-1,C1,SKU-1,3\nF-2,C2,SKU-2,4\nF-2,C2,SKU-3,5',
      mapping: {
        'Order No': 'externalRef',
        Client: 'customer.id',
        Item: 'lines[].sku',
        Qty: 'lines[].qty',
      },
      fileName: 'week 49.csv',
    });
    expect(result.body).toMatchObject({ imported: 2, refused: [] });
    const [f2] = (await app.call('GET', '/api/orders?flow=standard-order&externalRef=F-2')).body
      .items;
    const [created] = (await app.call('GET', `/api/orders/${f2.id}/history`)).body.items;
    expect(created.source).toEqual({ kind: 'file', name: 'week 49.csv', lines: [3, 4] });
    // The creation's data stays its payload: replays rebuild the order from it.
    expect(created.payload).toMatchObject({ customer: { id: 'C2' } });
    const bad = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'csv',
      content: 'Order No\nF-3',
      fileName: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/fileName');
    expect(await count('F-3')).toBe(0);
  });
});

describe('ordo import (the same intake)', () => {
  it('imports 10,000 CSV rows, printing each bad one as file:line: column', async () => {
    const { run, dir, drop } = await ordoWithStandardFlow('ordo-intake-');
    try {
      const file = path.join(dir, 'orders.csv');
      writeFileSync(file, bigCsv('CLI'));
      const maps = Object.entries(mapping).flatMap(([c, p]) => ['--map', `${c}=${p ?? ''}`]);
      const all = await run('import', file, '--flow', 'standard-order', '--all', ...maps);
      expect(all.code).toBe(1);
      expect(all.stdout).toContain('nothing imported (--all): 4 row(s) refused');
      const done = await run('import', file, '--flow', 'standard-order', ...maps);
      expect(done.code).toBe(1);
      expect(done.stdout).toContain(`${ROWS - 4} order(s) imported, 4 row(s) refused`);
      expect(done.stderr).toContain(`${file}:3: column Qty: lines.0.qty:`);
      expect(done.stderr).toContain(`${file}:1500: column Item: lines.0.sku:`);
      expect(done.stderr).toContain(
        `${file}:7777: column Order No: the reference "CLI-2" is also on line 2`,
      );
      const badMap = await run('import', file, '--flow', 'standard-order', '--map', 'Nope=x');
      expect(badMap.stderr).toContain('has no column "Nope"');
    } finally {
      await drop();
    }
  }, 60_000);
});
