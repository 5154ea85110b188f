/**
 * A refresh renames the other system's fields to the data set's columns (the bin master's
 * `bin` is the rules' `primaryBin`), and `ordo dataset refresh` shows, sets, runs and stops a
 * refresh from the command line, a bad spec named as file:line:col.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBinMaster } from '@ordo/fake-systems';
import { standardOrderFlow } from '@ordo/engine/testing';
import { DataSetRefreshService } from '../src/datasets/data-set-refresh.service';
import { ordoCli } from './support/ordo-cli';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const flowWithMaster = (url: string) => ({
  ...standardOrderFlow,
  key: 'bins-owner',
  connectors: { 'bin-master': { type: 'http', settings: { baseUrl: url } } },
});

const spec = {
  flow: 'bins-owner',
  connector: 'bin-master',
  input: { path: '/master/bins' },
  rows: '/body/data/bins',
  every: 'PT1H',
  keyColumn: 'sku',
  rename: { bin: 'primaryBin' },
};

describe.each(databaseKinds())('data set refresh with renamed fields on %s', (db) => {
  const master = createBinMaster();
  let app: TestApp;
  const clock = new TestClock(true);

  beforeAll(async () => {
    const url = await master.start(0);
    app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/flows', flowWithMaster(url));
    expect((await app.call('POST', '/api/flows/bins-owner/publish', {})).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await master.close();
  });

  it("refuses a rename onto a name no column may have, or two fields onto one, at the field's path", async () => {
    const refused = async (rename: unknown) => {
      const answer = await app.call('PUT', '/api/datasets/renamed-bins/refresh', {
        ...spec,
        rename,
      });
      expect(answer.status).toBe(422);
      return answer.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]);
    };
    expect(await refused({ bin: '__proto__' })).toEqual([['/rename/bin', 'invalid_rename']]);
    expect(await refused({ bin: 'where', zone: 'where' })).toEqual([
      ['/rename/zone', 'invalid_rename'],
    ]);
    expect(await refused({ bin: '' })).toEqual([['/rename/bin', 'invalid_rename']]);
    expect((await app.call('GET', '/api/datasets/renamed-bins/refresh')).status).toBe(404);
  });

  it("stores each row under the data set's column names, the other fields as they are", async () => {
    expect((await app.call('PUT', '/api/datasets/renamed-bins/refresh', spec)).status).toBe(200);
    await app.server.app.get(DataSetRefreshService).drain();
    const set = (await app.call('GET', '/api/datasets/renamed-bins')).body;
    expect(set.columns.map((c: { name: string }) => c.name)).toEqual([
      'sku',
      'primaryBin',
      'zone',
      'description',
    ]);
    const rows = (await app.call('GET', '/api/datasets/renamed-bins/rows?q=SKU-YOGURT-4')).body
      .items;
    expect(rows[0]).toMatchObject({
      key: 'SKU-YOGURT-4',
      values: { primaryBin: 'C-01', zone: 'chilled' },
    });
    expect(rows[0].values.bin).toBeUndefined();
  });
});

describe('ordo dataset refresh', () => {
  const master = createBinMaster();
  afterAll(() => master.close());

  it('shows, sets, runs and stops a refresh; a bad spec file is named by line and column', async () => {
    const url = await master.start(0);
    const fresh = await freshDatabase('sqlite');
    const dir = mkdtempSync(path.join(tmpdir(), 'ordo-refresh-'));
    const run = ordoCli(
      {
        ...process.env,
        DATABASE_URL: `sqlite:${(fresh.database as { file: string }).file}`,
        ORDO_DATA_DIR: dir,
        ORDO_OUTBOUND_ALLOW: '127.0.0.1:*',
        REDIS_URL: '',
      },
      dir,
    );
    try {
      const flowFile = path.join(dir, 'flow.json');
      writeFileSync(flowFile, JSON.stringify(flowWithMaster(url)));
      expect((await run('publish', flowFile)).code).toBe(0);

      const none = await run('dataset', 'refresh', 'sku-bins');
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('sku-bins');

      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...spec, every: 'PT10S' }, null, 2));
      const refused = await run('dataset', 'refresh', 'sku-bins', '--set', bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`${bad}:8:3: /every: refresh at most once a minute`),
      );
      const broken = path.join(dir, 'broken.json');
      writeFileSync(broken, '{\n  "flow": "bins-owner",\n  "rows": \n}');
      const syntax = await run('dataset', 'refresh', 'sku-bins', '--set', broken);
      expect(syntax.code).toBe(1);
      expect(syntax.stderr).toContain(`${broken}:4:1: invalid JSON`);

      const good = path.join(dir, 'refresh.json');
      writeFileSync(good, JSON.stringify(spec, null, 2));
      const set = await run('dataset', 'refresh', 'sku-bins', '--set', good);
      expect(set.stdout).toContain(
        'sku-bins: refreshed from bins-owner/bin-master.request every PT1H',
      );
      expect(set.code).toBe(0);
      const now = await run('dataset', 'refresh', 'sku-bins', '--run');
      expect(now.stdout).toMatch(/sku-bins: ok at .*: version 1: 12 added, 0 changed, 0 removed/);
      expect(now.code).toBe(0);
      const shown = await run('dataset', 'refresh', 'sku-bins');
      expect(shown.stdout).toContain('last run: ok at');
      expect(shown.stdout).toMatch(/next run: \d{4}-/);

      await fetch(`${url}/master/bins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ bins: [{ sku: '', bin: 'X', zone: 'x' }] }),
      });
      const failed = await run('dataset', 'refresh', 'sku-bins', '--run');
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain('sku-bins: failed at');
      expect(failed.stderr).toContain('row 1:');

      expect((await run('dataset', 'refresh', 'sku-bins', '--run', '--stop')).code).toBe(1);
      const stopped = await run('dataset', 'refresh', 'sku-bins', '--stop');
      expect(stopped.stdout).toContain('refresh stopped');
      expect((await run('dataset', 'refresh', 'sku-bins')).code).toBe(1);
    } finally {
      await fresh.drop();
    }
  }, 120_000);
});
