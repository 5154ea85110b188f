import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { publishFlow } from './support/flows';
import { ordoWithStandardFlow } from './support/ordo-cli';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { workbook } from './support/workbook';

/** A shop's sheet with one row per order line; the rows of order A are not adjacent. */
const HEADER = ['Order No', 'Client', 'Item', 'Qty'];
const mapping = {
  'Order No': 'externalRef',
  Client: 'customer.id',
  Item: 'lines[].sku',
  Qty: 'lines[].qty',
};
const csv = (rows: (string | number)[][]) => [HEADER, ...rows].map((r) => r.join(',')).join('\n');

async function xlsx(rows: (string | number)[][]): Promise<string> {
  return (await workbook([HEADER, ...rows], 'Orders')).toString('base64');
}

describe.each(databaseKinds())('sheets with one row per order line on %s', (db) => {
  let app: TestApp;
  const orders = async (ref: string) =>
    (await app.call('GET', `/api/orders?flow=standard-order&externalRef=${ref}`)).body.items;
  const importFile = (body: Record<string, unknown>) =>
    app.call('POST', '/api/flows/standard-order/imports', { mapping, ...body });

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
  });
  afterAll(() => app.close());

  it.each(['csv', 'xlsx'] as const)(
    'imports %s rows grouped into orders, previewing the grouped orders first',
    async (format) => {
      const rows = [
        [`${format}-A`, 'C1', 'SKU-1', 2],
        [`${format}-B`, 'C2', 'SKU-9', 1],
        [`${format}-A`, '', 'SKU-2', 3],
        [`${format}-A`, 'C1', 'SKU-3', 4],
      ];
      const content = format === 'csv' ? csv(rows) : await xlsx(rows);
      const preview = await importFile({ format, content, dryRun: true });
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        rows: 4,
        valid: 2,
        imported: 0,
        refused: [],
        mapping: { Item: 'lines[].sku' },
        preview: [
          {
            line: 2,
            rows: [2, 4, 5],
            externalRef: `${format}-A`,
            data: {
              customer: { id: 'C1' },
              lines: [
                { sku: 'SKU-1', qty: 2 },
                { sku: 'SKU-2', qty: 3 },
                { sku: 'SKU-3', qty: 4 },
              ],
            },
          },
          { line: 3, rows: [3], externalRef: `${format}-B` },
        ],
      });
      expect(await orders(`${format}-A`)).toHaveLength(0);

      const done = await importFile({ format, content, mode: 'all' });
      expect(done.body).toMatchObject({ rows: 4, valid: 2, imported: 2, refused: [] });
      const [a] = await orders(`${format}-A`);
      expect(a.data.lines.map((l: { sku: string }) => l.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-3']);
      expect(await orders(`${format}-B`)).toHaveLength(1);

      // Again: each order is a duplicate, refused with every one of its rows.
      const again = await importFile({ format, content });
      expect(again.body.imported).toBe(0);
      expect(
        again.body.refused.map((r: { line: number; code: string }) => [r.line, r.code]),
      ).toEqual([
        [2, 'duplicate_external_ref'],
        [3, 'duplicate_external_ref'],
        [4, 'order_refused'],
        [5, 'order_refused'],
      ]);
    },
  );

  it.each(['csv', 'xlsx'] as const)(
    'refuses a %s order with a bad line or a disagreeing row, naming the row and column, writing none of it',
    async (format) => {
      const rows = [
        [`${format}-X`, 'C1', 'SKU-1', 2],
        [`${format}-OK`, 'C3', 'SKU-5', 1],
        [`${format}-X`, 'C1', 'SKU-2', 0], // line 4: qty below 1
        [`${format}-Y`, 'C2', 'SKU-1', 1],
        [`${format}-Y`, 'C9', 'SKU-2', 1], // line 6: another customer than line 5
      ];
      const content = format === 'csv' ? csv(rows) : await xlsx(rows);
      const all = await importFile({ format, content, mode: 'all' });
      expect(all.status).toBe(422);
      expect(all.body.code).toBe('import_refused');
      expect(all.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: '/rows/4/Qty', code: expect.any(String) }),
          expect.objectContaining({ path: '/rows/6/Client', code: 'order_mismatch' }),
        ]),
      );
      for (const ref of ['X', 'OK', 'Y']) expect(await orders(`${format}-${ref}`)).toHaveLength(0);

      const valid = await importFile({ format, content, mode: 'valid' });
      expect(valid.status).toBe(200);
      expect(valid.body).toMatchObject({ rows: 5, valid: 1, imported: 1 });
      expect(valid.body.refused).toEqual([
        expect.objectContaining({
          line: 2,
          code: 'order_refused',
          message: expect.stringContaining('see line 4'),
        }),
        expect.objectContaining({ line: 4, column: 'Qty', path: 'lines.1.qty' }),
        expect.objectContaining({ line: 5, code: 'order_refused' }),
        expect.objectContaining({
          line: 6,
          column: 'Client',
          code: 'order_mismatch',
          message: expect.stringContaining('"C9" here but "C2" on line 5'),
        }),
      ]);
      expect(await orders(`${format}-OK`)).toHaveLength(1);
      expect(await orders(`${format}-X`)).toHaveLength(0);
      expect(await orders(`${format}-Y`)).toHaveLength(0);
    },
  );

  it('refuses a malformed per-line mapping target at its column', async () => {
    const bad = await importFile({
      format: 'csv',
      content: csv([['M-1', 'C1', 'SKU-1', 1]]),
      mapping: { ...mapping, Qty: 'lines[]' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ path: '/mapping/Qty', code: 'bad_target' }),
    ]);
  });
});

describe('ordo import of a sheet with one row per order line', () => {
  it('groups the rows into orders and prints a refused line as file:line: column', async () => {
    const { run, dir, drop } = await ordoWithStandardFlow('ordo-lines-');
    try {
      const file = path.join(dir, 'orders.csv');
      writeFileSync(
        file,
        [
          'externalRef,customer.id,lines[].sku,lines[].qty',
          'K-1,C1,SKU-1,1',
          'K-2,C2,SKU-1,1',
          'K-1,C1,SKU-2,2',
          'K-2,C2,bad sku,1',
        ].join('\n'),
      );
      const dry = await run('import', file, '--flow', 'standard-order', '--dry-run');
      expect(dry.stdout).toContain('1 order(s) would be imported, 2 row(s) refused');
      const done = await run('import', file, '--flow', 'standard-order');
      expect(done.code).toBe(1);
      expect(done.stdout).toContain('1 order(s) imported, 2 row(s) refused');
      expect(done.stderr).toContain(`${file}:5: column lines[].sku: lines.1.sku:`);
      expect(done.stderr).toContain(`${file}:3: not imported: the order "K-2" is refused`);
      const badMap = await run(
        'import',
        file,
        '--flow',
        'standard-order',
        '--map',
        'lines[].qty=lines[]',
      );
      expect(badMap.stderr).toContain('per-line target');
    } finally {
      await drop();
    }
  }, 60_000);
});
