import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_TEMPLATES_DIR } from '../src/config/ordo-config';
import { INTERRUPTED } from '../src/simulations/simulation-jobs';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';

const FLOW = 'fmcg-distribution';
const route = `/api/flows/${FLOW}/simulations`;
/** The FMCG scenario with a few orders a day: a simulated day in seconds. */
const small = () => {
  const s = JSON.parse(
    readFileSync(path.join(DEFAULT_TEMPLATES_DIR, FLOW, 'scenario.json'), 'utf8'),
  );
  s.orders.perDay = 15;
  return s;
};

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { transports: ['websocket'], auth: { token } });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Reads the job until `until` holds (the test's timeout bounds the wait). */
async function poll(app: TestApp, id: string, until: (job: any) => boolean): Promise<any> {
  for (;;) {
    const answer = await app.call('GET', `${route}/${id}`);
    expect(answer.status).toBe(200);
    if (until(answer.body)) return answer.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ended = (job: any) => Boolean(job.finishedAt);

/**
 * Simulation jobs are kept in the database: after a restart (the app closed, a new one on the
 * same database) a finished job's result is still served and a running one is `interrupted`.
 */
describe.each(databaseKinds())('simulation jobs across a restart (%s)', (db) => {
  it('serves the finished result and reports the running job interrupted', async () => {
    const fresh = await freshDatabase(db);
    let app = await startTestApp({ db, database: fresh.database });
    try {
      expect(
        (await app.call('POST', `/api/templates/${FLOW}/deploy`, { loadSamples: false })).status,
      ).toBe(200);
      const first = await app.call('POST', route, { days: 1, seed: 3, scenario: small() });
      expect(first.status).toBe(202);
      const done = await poll(app, first.body.id, ended);
      expect(done).toMatchObject({ status: 'done', progress: { percent: 100 }, error: null });
      expect(done.result.orders.created).toBeGreaterThan(0);

      const long = await app.call('POST', route, { days: 60, seed: 3, scenario: small() });
      const running = await poll(app, long.body.id, (j) => j.progress.hours > 0);
      expect(running.status).toBe('running');
      // Another process's view comes from the table: the progress is written as it goes.
      const listed = (await app.call('GET', route)).body.items;
      expect(listed.map((j: any) => j.id)).toEqual([long.body.id, first.body.id]);

      await app.close();
      app = await startTestApp({ db, database: fresh.database });

      const after = await app.call('GET', `${route}/${first.body.id}`);
      expect(after.status).toBe(200);
      expect(JSON.stringify(after.body)).toBe(JSON.stringify(done));
      const stopped = await app.call('GET', `${route}/${long.body.id}`);
      expect(stopped.body).toMatchObject({ status: 'interrupted', error: INTERRUPTED.stopped });
      expect(stopped.body.finishedAt).not.toBeNull();
      expect(stopped.body.result).toBeUndefined();
      expect(stopped.body.progress.hours).toBeGreaterThan(0);
      // Cancelling it now changes nothing: it has ended.
      expect((await app.call('DELETE', `${route}/${long.body.id}`)).body.status).toBe(
        'interrupted',
      );

      // A process that died without stopping leaves its job running, with a lease that runs
      // out: the job is reported interrupted once it has.
      const past = new Date(Date.now() - 60_000).toISOString();
      await app.server.db.run(
        `INSERT INTO simulation_jobs (id, flow_key, version, days, seed, status, progress, owner,
           lease_until, created_at) VALUES (?, ?, 'draft', 1, 1, 'running', ?, 'gone:1:x', ?, ?)`,
        [
          '00000000-0000-4000-8000-000000000001',
          FLOW,
          JSON.stringify({ hours: 3, of: 24, orders: 2, percent: 12 }),
          past,
          past,
        ],
      );
      const lost = await app.call('GET', `${route}/00000000-0000-4000-8000-000000000001`);
      expect(lost.body).toMatchObject({ status: 'interrupted', error: INTERRUPTED.lost });
    } finally {
      await app.close();
      await fresh.drop();
    }
  }, 240_000);
});

const cluster =
  databaseKinds().includes('postgres') && process.env.REDIS_URL ? describe : describe.skip;

cluster('simulation jobs in cluster mode (PostgreSQL + Redis)', () => {
  it('are answered, watched and cancelled through another process', async () => {
    const fresh = await freshDatabase('postgres');
    const config = { redisUrl: process.env.REDIS_URL };
    const a = await startTestApp({ db: 'postgres', database: fresh.database, config });
    const started = await startTestApp({
      db: 'postgres',
      database: fresh.database,
      config: { ...config, adminKey: a.adminKey },
    });
    // b's admin is a's (the config's key), not the one startTestApp made up for it.
    const b: TestApp = {
      ...started,
      call: (method, to, body, options) =>
        started.call(method, to, body, { as: a.adminKey, ...options }),
    };
    const socket = await connect(b.url, a.adminKey);
    try {
      expect(
        (await a.call('POST', `/api/templates/${FLOW}/deploy`, { loadSamples: false })).status,
      ).toBe(200);
      const seen: any[] = [];
      socket.on('simulation.changed', (body) => seen.push(body.simulation));
      expect(await socket.emitWithAck('subscribe', { flow: FLOW })).toMatchObject({ ok: true });

      // Started on a, watched on b's socket, read from b.
      const job = await a.call('POST', route, { days: 1, seed: 4, scenario: small() });
      expect(job.status).toBe(202);
      const done = await poll(b, job.body.id, ended);
      expect(done.status).toBe('done');
      expect(done.result.orders.created).toBeGreaterThan(0);
      while (!seen.some((j) => j.id === job.body.id && j.status === 'done'))
        await new Promise((r) => setTimeout(r, 100));
      const hours = seen
        .filter((j) => j.id === job.body.id && j.status === 'running')
        .map((j) => j.progress.hours);
      expect(hours).toContain(24);
      expect(JSON.stringify((await a.call('GET', `${route}/${job.body.id}`)).body)).toBe(
        JSON.stringify(done),
      );

      // Running on a, cancelled through b: a sees the request and stops it.
      const long = await a.call('POST', route, { days: 60, seed: 4, scenario: small() });
      await poll(b, long.body.id, (j) => j.progress.hours > 0);
      const asked = await b.call('DELETE', `${route}/${long.body.id}`);
      expect(asked.status).toBe(200);
      const cancelled = await poll(b, long.body.id, ended);
      expect(cancelled).toMatchObject({ status: 'cancelled', error: null });
      expect((await b.call('GET', route)).body.items.map((j: any) => j.id)).toEqual([
        long.body.id,
        job.body.id,
      ]);
    } finally {
      socket.close();
      await a.close();
      await b.close();
      await fresh.drop();
    }
  }, 240_000);
});
