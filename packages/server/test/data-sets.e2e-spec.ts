/**
 * Reference data sets end to end: uploads (CSV, Excel, JSON) checked by line and column and
 * written as versions that store only what differs; rules reading them with `lookup`, each
 * refusal naming the set, its version and the key; the versions each change read recorded in
 * its history; and what a hostile upload or a viewer may not do.
 */
import { DB } from '../src/database/database.module';
import type { Db } from '../src/database/db';
import { publishFlow } from './support/flows';
import { drugs, V1 } from './support/drug-codes';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { workbook } from './support/workbook';

/** A pharma flow: an order is accepted only when every line's drug is known and unrestricted. */
const pharmaFlow = {
  schemaVersion: 1,
  key: 'pharma',
  name: 'Pharma',
  fields: [
    {
      key: 'lines',
      type: 'array',
      items: [
        { key: 'code', type: 'string' },
        { key: 'qty', type: 'integer' },
      ],
    },
  ],
  states: [{ id: 'new', initial: true }, { id: 'accepted' }],
  transitions: [
    {
      id: 'accept',
      from: 'new',
      to: 'accepted',
      event: 'accept',
      guard: {
        all: [
          { var: 'lines' },
          {
            and: [
              { lookup: ['drug-codes', { var: 'code' }] },
              { '!': { lookup: ['drug-codes', { var: 'code' }, 'restricted'] } },
            ],
          },
        ],
      },
    },
  ],
};

describe.each(databaseKinds())('data sets on %s', (db) => {
  let app: TestApp;
  const put = (key: string, body: Record<string, unknown>, as?: string) =>
    app.call('PUT', `/api/datasets/${key}`, { format: 'csv', ...body }, as ? { as } : undefined);

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app, pharmaFlow);
  });
  afterAll(() => app.close());

  it('previews an upload (types inferred, nothing written), then writes version 1', async () => {
    const dry = await put('drug-codes', { content: V1, dryRun: true, title: 'Drug codes' });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      written: false,
      unchanged: false,
      errors: [],
      dataset: {
        key: 'drug-codes',
        version: 1,
        keyColumn: 'code',
        rows: 3,
        columns: [
          { name: 'code', type: 'string' },
          { name: 'name', type: 'string' },
          { name: 'restricted', type: 'boolean' },
          { name: 'maxQty', type: 'number' },
          { name: 'expires', type: 'date' },
        ],
      },
      diff: { added: 3, removed: 0, changed: 0, unchanged: 0 },
      preview: [
        {
          line: 2,
          key: 'A100',
          values: { code: 'A100', restricted: false, maxQty: 50, expires: '2027-01-31' },
        },
        { line: 3, key: 'R200' },
        { line: 4, key: 'C300', values: { maxQty: null } },
      ],
    });
    expect((await app.call('GET', '/api/datasets/drug-codes')).status).toBe(404);

    const written = await put('drug-codes', {
      content: V1,
      title: 'Drug codes',
      source: 'drugs.csv',
    });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ written: true, dataset: { version: 1, rows: 3 } });
    const listed = await app.call('GET', '/api/datasets');
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        key: 'drug-codes',
        title: 'Drug codes',
        version: 1,
        rows: 3,
        source: 'drugs.csv',
        updatedBy: expect.any(String),
      }),
    ]);
    const rows = await app.call('GET', '/api/datasets/drug-codes/rows?limit=2');
    expect(rows.body).toMatchObject({
      version: 1,
      items: [{ key: 'A100' }, { key: 'C300' }],
      nextCursor: 'C300',
    });
    const next = await app.call('GET', '/api/datasets/drug-codes/rows?limit=2&cursor=C300');
    expect(next.body).toMatchObject({
      items: [{ key: 'R200', values: { restricted: true } }],
      nextCursor: null,
    });
    expect((await app.call('GET', '/api/datasets/drug-codes/rows?q=r2')).body.items).toHaveLength(
      1,
    );
  });

  it('refuses an order line the catalogue restricts, naming the set, its version and the key', async () => {
    const created = await app.call('POST', '/api/orders', {
      flow: 'pharma',
      data: {
        lines: [
          { code: 'A100', qty: 2 },
          { code: 'R200', qty: 1 },
        ],
      },
    });
    expect(created.status).toBe(201);
    const refused = await app.call('POST', `/api/orders/${created.body.id}/events`, {
      type: 'accept',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('lines[1]: drug-codes v1 row "R200" restricted was true');

    const unknown = await app.call('POST', '/api/orders', {
      flow: 'pharma',
      data: { lines: [{ code: 'Z9', qty: 1 }] },
    });
    const refusedUnknown = await app.call('POST', `/api/orders/${unknown.body.id}/events`, {
      type: 'accept',
    });
    expect(refusedUnknown.body.detail).toContain('drug-codes v1 has no row "Z9"');

    const fine = await app.call('POST', '/api/orders', {
      flow: 'pharma',
      data: { lines: [{ code: 'C300', qty: 1 }] },
    });
    const accepted = await app.call('POST', `/api/orders/${fine.body.id}/events`, {
      type: 'accept',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe('accepted');
    const history = (await app.call('GET', `/api/orders/${fine.body.id}/history`)).body.items;
    expect(history.map((h: any) => h.dataSets)).toEqual([undefined, { 'drug-codes': 1 }]);
  });

  it('writes a new version with only what differs, and rules read it at once', async () => {
    const v2 = drugs([
      ['A100', 'Amoxicillin', 'no', '60', '2027-01-31'],
      ['R200', 'Ketamine', 'no', '5', '2027-06-30'],
      ['D400', 'Diclofenac', 'no', '20', '2027-03-01'],
    ]);
    const dry = await put('drug-codes', { content: v2, dryRun: true });
    expect(dry.body.diff).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 0 });
    expect(dry.body.diff.samples).toEqual(
      expect.arrayContaining([
        {
          key: 'A100',
          change: 'changed',
          before: expect.objectContaining({ maxQty: 50 }),
          after: expect.objectContaining({ maxQty: 60 }),
        },
        { key: 'D400', change: 'added', after: expect.objectContaining({ name: 'Diclofenac' }) },
        { key: 'C300', change: 'removed', before: expect.objectContaining({ name: 'Cetirizine' }) },
      ]),
    );
    expect((await put('drug-codes', { content: v2 })).body).toMatchObject({
      written: true,
      dataset: { version: 2, rows: 3 },
    });
    // The same file again is no new version.
    expect((await put('drug-codes', { content: v2 })).body).toMatchObject({
      written: false,
      unchanged: true,
      dataset: { version: 2 },
    });

    const order = await app.call('POST', '/api/orders', {
      flow: 'pharma',
      data: { lines: [{ code: 'R200', qty: 1 }] },
    });
    const accepted = await app.call('POST', `/api/orders/${order.body.id}/events`, {
      type: 'accept',
    });
    expect(accepted.body.state).toBe('accepted');

    // Both versions stay readable, and only the differing rows were stored again.
    const old = await app.call('GET', '/api/datasets/drug-codes/rows?version=1');
    expect(old.body.items.map((r: any) => [r.key, r.values.maxQty])).toEqual([
      ['A100', 50],
      ['C300', null],
      ['R200', 5],
    ]);
    const [stored] = await app.server.app
      .get<Db>(DB)
      .query('SELECT COUNT(*) AS n FROM data_set_rows WHERE data_set = ?', ['drug-codes']);
    expect(Number(stored.n)).toBe(3 + 3);
    const one = await app.call('GET', '/api/datasets/drug-codes');
    expect(one.body.versions.map((v: any) => v.version)).toEqual([2, 1]);
  });

  it('replays each order with the data set versions its changes read', async () => {
    // R200 was unrestricted in version 2 when this order was accepted; version 3 restricts it.
    const order = await app.call('POST', '/api/orders', {
      flow: 'pharma',
      data: { lines: [{ code: 'R200', qty: 1 }] },
    });
    expect(
      (await app.call('POST', `/api/orders/${order.body.id}/events`, { type: 'accept' })).body
        .state,
    ).toBe('accepted');
    const v3 = drugs([
      ['A100', 'Amoxicillin', 'no', '60', '2027-01-31'],
      ['R200', 'Ketamine', 'yes', '5', '2027-06-30'],
      ['D400', 'Diclofenac', 'no', '20', '2027-03-01'],
    ]);
    expect((await put('drug-codes', { content: v3 })).body.dataset.version).toBe(3);
    await app.call('PUT', '/api/flows/pharma/draft', pharmaFlow);
    const replay = await app.call('POST', '/api/flows/pharma/replay', { limit: 100 });
    expect(replay.status).toBe(200);
    // Every order replays as it happened, this one included: each step read its own versions.
    expect(replay.body.different).toEqual([]);
    expect(replay.body.same).toBe(replay.body.replayed);
    // A new order now is refused by version 3.
    const now = await app.call('POST', '/api/orders', {
      flow: 'pharma',
      data: { lines: [{ code: 'R200', qty: 1 }] },
    });
    const refused = await app.call('POST', `/api/orders/${now.body.id}/events`, { type: 'accept' });
    expect(refused.body.detail).toContain('drug-codes v3 row "R200" restricted was true');
  });

  it('takes Excel and JSON uploads, with explicit column types', async () => {
    const rows = [
      ['sku', 'bin', 'primary'],
      ['SKU-1', 'P-01', 'yes'],
      ['SKU-2', 'B-07', 'no'],
    ];
    const content = (await workbook(rows, 'Bins')).toString('base64');
    const bins = await put('sku-bins', { format: 'xlsx', content });
    expect(bins.body).toMatchObject({
      written: true,
      dataset: {
        rows: 2,
        columns: [{ name: 'sku' }, { name: 'bin' }, { name: 'primary', type: 'boolean' }],
      },
    });

    const clinics = await put('clinics', {
      format: 'json',
      keyColumn: 'id',
      columns: [{ name: 'licence', type: 'string' }],
      content: JSON.stringify([
        { id: 'CL-1', type: 'hospital', licence: 123, expires: '2027-05-01' },
        { id: 42, type: 'pharmacy', licence: 'PH-9', expires: null },
      ]),
    });
    expect(clinics.status).toBe(200);
    expect(clinics.body.preview).toEqual([
      {
        line: 1,
        key: 'CL-1',
        values: { id: 'CL-1', type: 'hospital', licence: '123', expires: '2027-05-01' },
      },
      {
        line: 2,
        key: '42',
        values: { id: '42', type: 'pharmacy', licence: 'PH-9', expires: null },
      },
    ]);
  });

  it('answers every bad row by line and column and writes nothing', async () => {
    const bad = drugs([
      ['A100', 'Amoxicillin', 'no', 'fifty', '2027-01-31'],
      ['', 'Nameless', 'no', '1', '2027-01-31'],
      ['R200', 'Ketamine', 'perhaps', '5', '31/06/2027'],
      ['A100', 'Again', 'no', '1', '2027-01-31'],
    ]);
    const refused = await put('drug-codes', { content: bad });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([
      {
        path: '/content',
        line: 2,
        column: 'maxQty',
        code: 'bad_cell',
        message: 'line 2, column maxQty: "fifty" is not a number',
      },
      {
        path: '/content',
        line: 3,
        column: 'code',
        code: 'empty_key',
        message: 'line 3, column code: the key is empty',
      },
      expect.objectContaining({ line: 4, column: 'restricted', code: 'bad_cell' }),
      expect.objectContaining({ line: 4, column: 'expires', code: 'bad_cell' }),
      {
        path: '/content',
        line: 5,
        column: 'code',
        code: 'duplicate_key',
        message: 'line 5, column code: the key "A100" is also on line 2',
      },
    ]);
    // A dry run lists the same errors in a 200, for the preview.
    expect((await put('drug-codes', { content: bad, dryRun: true })).body.errors).toHaveLength(5);
    expect((await app.call('GET', '/api/datasets/drug-codes')).body.version).toBe(3);

    const cases: [Record<string, unknown>, string, string][] = [
      [{ content: V1, keyColumn: 'sku' }, '/keyColumn', 'unknown_column'],
      [
        { content: V1, columns: [{ name: 'colour', type: 'string' }] },
        '/columns/0/name',
        'unknown_column',
      ],
      [{ content: V1, columns: [{ name: 'code', type: 'money' }] }, '/columns/0/type', ''],
      [{ format: 'json', content: '{"a":1}' }, '/content', 'unreadable'],
      [{ format: 'json', content: '[{"a":1' }, '/content', 'unreadable'],
      [{ format: 'xlsx', content: 'bm90IGEgd29ya2Jvb2s=' }, '/content', 'unreadable'],
      [{ content: V1, unknown: 1 }, '/unknown', 'unknown_property'],
      [{ content: V1, title: 42 }, '/title', ''],
      [{ content: V1, title: { 'not a language': 'x' } }, '/title', ''],
    ];
    for (const [body, path, code] of cases) {
      const r = await put('drug-codes', body);
      expect(r.status).toBe(422);
      expect(r.body.errors[0].path).toBe(path);
      if (code) expect(r.body.errors[0].code).toBe(code);
    }
    expect((await put('Drug Codes!', { content: V1 })).status).toBe(400);
  });

  it('keeps a title per language, and a new title alone is a new version', async () => {
    const title = { en: 'Drug codes', 'zh-CN': '药品目录' };
    expect((await put('titled', { content: V1, title })).body.dataset.title).toEqual(title);
    expect((await app.call('GET', '/api/datasets/titled')).body.title).toEqual(title);
    const same = await put('titled', {
      content: V1,
      title: { 'zh-CN': '药品目录', en: 'Drug codes' },
    });
    expect(same.body).toMatchObject({ written: false, unchanged: true });
    const renamed = await put('titled', { content: V1, title: 'Drugs' });
    expect(renamed.body).toMatchObject({ written: true, dataset: { version: 2, title: 'Drugs' } });
    // A file alone keeps the title the set has.
    const kept = await put('titled', {
      content: drugs([['A100', 'Amoxicillin', 'no', '50', '2027-01-31']]),
    });
    expect(kept.body.dataset).toMatchObject({ version: 3, title: 'Drugs' });
  });

  it('refuses NUL characters in keys, cells and column names', async () => {
    for (const content of [
      'code,name\nA\u0000B,x',
      'code,name\nA,x\u0000y',
      'code,na\u0000me\nA,x',
    ]) {
      const r = await put('nul', { content });
      expect(r.status).toBe(422);
      expect(r.body.errors[0].message).toContain('NUL');
    }
    expect((await app.call('GET', '/api/datasets/nul')).status).toBe(404);
  });

  it('refuses column names that reach the object prototype, in CSV and JSON', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const csv = await put('hostile', { content: `code,${name}\nA,1` });
      expect(csv.status).toBe(422);
      expect(csv.body.errors[0]).toMatchObject({ line: 1, column: name, code: 'bad_column' });
      const json = await put('hostile', {
        format: 'json',
        content: `[{"code":"A","${name}":{"polluted":true}}]`,
      });
      expect(json.status).toBe(422);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await app.call('GET', '/api/datasets/hostile')).status).toBe(404);
  });

  it('lets a viewer read data sets but not upload or delete them; deletes with an audit entry', async () => {
    const viewer = (await app.call('POST', '/api/keys', { name: 'wall', roles: ['viewer'] })).body
      .key;
    expect((await app.call('GET', '/api/datasets', undefined, { as: viewer })).status).toBe(200);
    expect((await put('drug-codes', { content: V1 }, viewer)).status).toBe(403);
    expect(
      (await app.call('DELETE', '/api/datasets/sku-bins', undefined, { as: viewer })).status,
    ).toBe(403);
    expect((await app.call('DELETE', '/api/datasets/sku-bins')).status).toBe(204);
    expect((await app.call('DELETE', '/api/datasets/sku-bins')).status).toBe(404);
    expect(
      (await app.call('GET', '/api/datasets')).body.items.map((d: any) => d.key),
    ).not.toContain('sku-bins');
    // Made again under its key, the set goes on from its last version: no number is reused.
    const again = await put('sku-bins', { content: 'sku,bin\nSKU-9,P-09' });
    expect(again.body).toMatchObject({ written: true, dataset: { version: 2, rows: 1 } });
    expect(again.body.diff).toMatchObject({ added: 1, removed: 0 });
    expect(
      (await app.call('GET', '/api/datasets/sku-bins')).body.versions.map((v: any) => v.version),
    ).toEqual([2]);
    const audit = (await app.call('GET', '/api/audit?entity=data-set')).body.items;
    expect(audit.map((a: any) => `${a.entityId} ${a.action}`)).toEqual(
      expect.arrayContaining(['sku-bins deleted', 'drug-codes replaced', 'drug-codes created']),
    );
  });

  it('a second process on the same database reads a new version within a second', async () => {
    const fresh = await freshDatabase(db);
    const one = await startTestApp({ db, database: fresh.database });
    const two = await startTestApp({ db, database: fresh.database });
    try {
      await publishFlow(one, pharmaFlow);
      const accept = async (app: TestApp) => {
        const order = await app.call('POST', '/api/orders', {
          flow: 'pharma',
          data: { lines: [{ code: 'R200', qty: 1 }] },
        });
        return (await app.call('POST', `/api/orders/${order.body.id}/events`, { type: 'accept' }))
          .status;
      };
      const upload = (app: TestApp, restricted: string) =>
        app.call('PUT', '/api/datasets/drug-codes', {
          format: 'csv',
          content: `code,restricted\nR200,${restricted}`,
        });
      await upload(one, 'yes');
      expect(await accept(two)).toBe(422);
      await upload(one, 'no');
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await accept(two)).toBe(200);
    } finally {
      await two.close();
      await one.close();
      await fresh.drop();
    }
  });
});
