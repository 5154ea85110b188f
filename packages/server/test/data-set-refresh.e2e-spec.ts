/**
 * Data sets refreshed on a schedule from a connector: the WMS's bin master becomes the next
 * version of `sku-bins` through the same checks as an upload; an answer that cannot be taken
 * writes nothing and is shown as the refresh's last run, with its per-row errors; the schedule
 * is kept; with two processes only one refreshes; a bad spec is refused naming its path.
 */
import { startTestServer } from '@ordo/connectors/testing';
import { createBinMaster } from '@ordo/fake-systems';
import { standardOrderFlow } from '@ordo/engine/testing';
import { DB } from '../src/database/database.module';
import type { Db } from '../src/database/db';
import { DataSetRefreshService } from '../src/datasets/data-set-refresh.service';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const MINUTE = 60_000;

/** A flow whose `wms` connector instance points at the bin master. */
const wmsFlow = (url: string) => ({
  ...standardOrderFlow,
  key: 'bins-owner',
  connectors: { wms: { type: 'http', settings: { baseUrl: url } } },
});

const spec = {
  flow: 'bins-owner',
  connector: 'wms',
  action: 'request',
  input: { path: '/master/bins' },
  rows: '/body/data/bins',
  every: 'PT1H',
  keyColumn: 'sku',
  title: 'SKU primary bins',
};

describe.each(databaseKinds())('data set refresh on %s', (db) => {
  const master = createBinMaster(undefined, [
    { sku: 'SKU-1001', bin: 'A-01-01', zone: 'ambient' },
    { sku: 'SKU-1002', bin: 'A-01-02', zone: 'ambient' },
    { sku: 'SKU-2001', bin: 'C-02-01', zone: 'chilled' },
  ]);
  let masterUrl: string;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let app: TestApp;
  // Runs happen when the test drains or runs them, never by a poller racing the test.
  const clock = new TestClock(true);
  const refresher = () => app.server.app.get(DataSetRefreshService);
  const toMaster = (path: string, body?: unknown) =>
    fetch(`${masterUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<any>);
  const reads = async () => (await toMaster('/master/reads')).reads as number;
  const dataSet = async () => (await app.call('GET', '/api/datasets/sku-bins')).body;

  beforeAll(async () => {
    masterUrl = await master.start(0);
    fresh = await freshDatabase(db);
    app = await startTestApp({
      db,
      database: fresh.database,
      clock,
      config: { outboundAllow: ['127.0.0.1:*'] },
    });
    await app.call('POST', '/api/flows', wmsFlow(masterUrl));
    expect((await app.call('POST', '/api/flows/bins-owner/publish', {})).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await master.close();
    await fresh.drop();
  });

  it('refuses a spec that cannot work, naming the path, and stores nothing', async () => {
    const put = (body: unknown, key = 'sku-bins') =>
      app.call('PUT', `/api/datasets/${key}/refresh`, body);
    const paths = async (body: unknown) => {
      const answer = await put(body);
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      return answer.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await paths({ ...spec, cron: '0 6 * * *' })).toEqual(['/every']);
    expect(await paths({ ...spec, every: 'PT10S' })).toEqual(['/every']);
    expect(await paths({ ...spec, every: undefined, cron: 'every day' })).toEqual(['/cron']);
    expect(await paths({ ...spec, connector: 'crm' })).toEqual(['/connector']);
    expect(await paths({ ...spec, action: 'delete_everything' })).toEqual(['/action']);
    expect(await paths({ ...spec, flow: 'no-such-flow' })).toEqual(['/flow']);
    expect(await paths({ ...spec, rows: 'body' })).toEqual(['/rows']);
    expect(await paths({ ...spec, extra: 1 })).toEqual(['/extra']);
    expect((await put(spec, 'Bad Key')).status).toBe(400);
    const viewer = (await app.call('POST', '/api/keys', { name: 'wall', roles: ['viewer'] })).body
      .key;
    expect(
      (await app.call('PUT', '/api/datasets/sku-bins/refresh', spec, { as: viewer })).status,
    ).toBe(403);
    expect((await app.call('GET', '/api/datasets/sku-bins/refresh')).status).toBe(404);
  });

  it('takes the bin master as version 1 at once, then not again before the hour', async () => {
    const set = await app.call('PUT', '/api/datasets/sku-bins/refresh', spec);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ dataSet: 'sku-bins', spec, lastRun: null });
    await refresher().drain();
    const first = await dataSet();
    expect(first).toMatchObject({
      key: 'sku-bins',
      title: 'SKU primary bins',
      version: 1,
      rows: 3,
      keyColumn: 'sku',
      source: 'refresh: bins-owner/wms.request',
      refresh: {
        lastRun: { outcome: 'ok', version: 1, message: 'version 1: 3 added, 0 changed, 0 removed' },
      },
    });
    expect(Date.parse(first.refresh.nextRunAt) - Date.parse(first.refresh.lastRun.at)).toBeCloseTo(
      60 * MINUTE,
      -4,
    );
    const row = (await app.call('GET', '/api/datasets/sku-bins/rows?q=sku-2001')).body.items[0];
    expect(row).toMatchObject({ key: 'SKU-2001', values: { bin: 'C-02-01', zone: 'chilled' } });
    const before = await reads();
    clock.offset += 30 * MINUTE;
    await refresher().drain();
    expect(await reads()).toBe(before);
    clock.offset += 31 * MINUTE;
    await refresher().drain();
    expect(await reads()).toBe(before + 1);
    // Same rows: no new version.
    expect((await dataSet()).version).toBe(1);
    expect((await dataSet()).refresh.lastRun).toMatchObject({
      outcome: 'ok',
      version: null,
      message: 'unchanged: the answer holds the rows of version 1',
    });
  });

  it('writes a re-slotting as the next version, only what changed', async () => {
    await toMaster('/master/bins', {
      bins: [
        { sku: 'SKU-1001', bin: 'A-01-01', zone: 'ambient' },
        { sku: 'SKU-1002', bin: 'B-07-03', zone: 'ambient' },
        { sku: 'SKU-2001', bin: 'C-02-01', zone: 'chilled' },
        { sku: 'SKU-3001', bin: 'A-09-09', zone: 'ambient' },
      ],
    });
    const run = (await app.call('POST', '/api/datasets/sku-bins/refresh/run')).body;
    expect(run).toMatchObject({
      outcome: 'ok',
      version: 2,
      message: 'version 2: 1 added, 1 changed, 0 removed',
    });
    expect((await dataSet()).version).toBe(2);
  });

  it('writes nothing from an answer with bad rows, and shows the rows named', async () => {
    await toMaster('/master/bins', {
      bins: [
        { sku: 'SKU-1001', bin: 'A-01-01', zone: 'ambient' },
        { sku: '', bin: 'X-00-00', zone: 'ambient' },
        { sku: 'SKU-1001', bin: 'Z-99-99', zone: 'ambient' },
      ],
    });
    const run = (await app.call('POST', '/api/datasets/sku-bins/refresh/run')).body;
    expect(run).toMatchObject({ outcome: 'failed', version: null });
    expect(run.message).toMatch(/nothing was written/);
    // Lines are the rows' places in the answer's list, from 1: the empty key, the repeated one.
    expect(run.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [2, 'sku'],
      [3, 'sku'],
    ]);
    const shown = await dataSet();
    expect(shown.version).toBe(2);
    expect(shown.refresh.lastRun).toMatchObject({ outcome: 'failed', errors: run.errors });
    const rows = (await app.call('GET', '/api/datasets/sku-bins/rows')).body.items;
    expect(rows.find((r: { key: string }) => r.key === 'SKU-1002').values.bin).toBe('B-07-03');
  });

  it('writes nothing when the call fails or the answer holds no list, or an empty one', async () => {
    master.setKnobs({ failureRate: 1 });
    const failed = (await app.call('POST', '/api/datasets/sku-bins/refresh/run')).body;
    master.setKnobs({ failureRate: 0 });
    expect(failed).toMatchObject({ outcome: 'failed', version: null });
    expect(failed.message).toMatch(/503/);
    // A new spec runs at once (in the background: drained here).
    const respec = async (body: object) => {
      expect((await app.call('PUT', '/api/datasets/sku-bins/refresh', body)).status).toBe(200);
      await refresher().drain();
      return (await dataSet()).refresh.lastRun;
    };
    expect((await respec({ ...spec, rows: '/body/data' })).message).toBe(
      "the answer's /body/data is not a list of row objects; nothing was written",
    );
    await toMaster('/master/bins', { bins: [] });
    expect((await respec(spec)).message).toBe(
      "the answer's /body/data/bins is empty: the current version is kept; nothing was written",
    );
    expect((await dataSet()).version).toBe(2);
  });

  it('writes nothing from a run that lost its lease; the run that took over writes', async () => {
    const other = await startTestApp({
      db,
      database: fresh.database,
      clock,
      config: { outboundAllow: ['127.0.0.1:*'] },
    });
    try {
      await toMaster('/master/bins', {
        bins: [{ sku: 'SKU-7001', bin: 'L-01-01', zone: 'ambient' }],
      });
      master.setKnobs({ latencyMs: 1_500 });
      clock.offset += 2 * 60 * MINUTE;
      const stalled = refresher().runNow('sku-bins');
      // Once the first run holds the lease (a fixed wait raced it on a loaded machine).
      const leased = async () =>
        (
          await app.server.app
            .get<Db>(DB)
            .query<{ lease_token: string | null }>(
              "SELECT lease_token FROM flow_schedules WHERE key = 'dataset:sku-bins'",
            )
        )[0]?.lease_token;
      while (!(await leased())) await new Promise((resolve) => setTimeout(resolve, 20));
      // The first run's lease runs out while it waits on the slow master; another process takes over.
      clock.offset += 2 * 60 * MINUTE;
      const takeover = other.server.app.get(DataSetRefreshService).runNow('sku-bins');
      const [lost, won] = await Promise.all([stalled, takeover]);
      expect(lost).toMatchObject({ outcome: 'failed', version: null });
      expect(lost.message).toMatch(/the lease was lost .*nothing was written/);
      expect(won).toMatchObject({ outcome: 'ok', version: 3 });
      expect(await dataSet()).toMatchObject({
        version: 3,
        rows: 1,
        refresh: { lastRun: { outcome: 'ok', version: 3 } },
      });
    } finally {
      master.setKnobs({ latencyMs: 0 });
      await other.close();
    }
  });

  it('refreshes once with two processes, and stops when the refresh is removed', async () => {
    const other = await startTestApp({
      db,
      database: fresh.database,
      clock,
      config: { outboundAllow: ['127.0.0.1:*'] },
    });
    try {
      await toMaster('/master/bins', {
        bins: [
          { sku: 'SKU-1001', bin: 'A-01-01', zone: 'ambient' },
          { sku: 'SKU-1002', bin: 'B-07-03', zone: 'ambient' },
        ],
      });
      const before = await reads();
      clock.offset += 2 * 60 * MINUTE;
      await Promise.all([refresher().drain(), other.server.app.get(DataSetRefreshService).drain()]);
      expect(await reads()).toBe(before + 1);
      const after = await dataSet();
      expect(after).toMatchObject({ version: 4, rows: 2 });
      expect(after.refresh.lastRun).toMatchObject({ outcome: 'ok', version: 4 });

      expect((await app.call('DELETE', '/api/datasets/sku-bins/refresh')).status).toBe(204);
      expect((await app.call('GET', '/api/datasets/sku-bins/refresh')).status).toBe(404);
      clock.offset += 2 * 60 * MINUTE;
      await refresher().drain();
      expect(await reads()).toBe(before + 1);
      expect(await dataSet()).toMatchObject({ version: 4, refresh: null });
    } finally {
      await other.close();
    }
  });
});

describe.each(databaseKinds())('data set refresh credentials on %s', (db) => {
  const SECRET = 'tok-wms-5e2a-stays-with-the-wms';
  let app: TestApp;
  let attacker: Awaited<ReturnType<typeof startTestServer>>;
  let redirector: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    attacker = await startTestServer(() => ({
      json: { body: { data: { bins: [{ sku: 'SKU-EVIL', bin: 'X', zone: 'x' }] } } },
    }));
    redirector = await startTestServer(() => ({
      status: 307,
      headers: { location: `${attacker.url}/landed` },
    }));
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/credentials', {
      name: 'wms-api',
      secret: { token: SECRET },
      hosts: [`127.0.0.1:${new URL(redirector.url).port}`],
    });
    await app.call('POST', '/api/flows', {
      ...standardOrderFlow,
      key: 'bins-owner',
      connectors: {
        wms: {
          type: 'http',
          credential: 'wms-api',
          settings: { baseUrl: redirector.url, auth: 'bearer' },
        },
      },
    });
    expect((await app.call('POST', '/api/flows/bins-owner/publish', {})).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([attacker.close(), redirector.close()]);
  });

  it('sends the token to its host only: a redirect elsewhere is refused and writes nothing', async () => {
    await app.call('PUT', '/api/datasets/sku-bins/refresh', spec);
    await app.server.app.get(DataSetRefreshService).drain();
    const refresh = (await app.call('GET', '/api/datasets/sku-bins/refresh')).body;
    expect(refresh.lastRun).toMatchObject({ outcome: 'failed', version: null });
    expect(refresh.lastRun.message).toMatch(/credential/i);
    expect(redirector.requests.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(attacker.requests).toHaveLength(0);
    expect((await app.call('GET', '/api/datasets/sku-bins')).status).toBe(404);
  });
});
