import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_TEMPLATES_DIR } from '../src/config/ordo-config';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const FLOW = 'fmcg-distribution';
const route = `/api/flows/${FLOW}/simulations`;
const scenario = () =>
  JSON.parse(readFileSync(path.join(DEFAULT_TEMPLATES_DIR, FLOW, 'scenario.json'), 'utf8'));

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { transports: ['websocket'], auth: { token } });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * `POST /api/flows/:key/simulations`: the FMCG template's scenario for one simulated day, on
 * the draft and on the published version at once, watched over the live socket.
 */
describe.each(databaseKinds())('simulation jobs (%s)', (db) => {
  let app: TestApp;
  let socket: Socket;
  const seen: any[] = [];

  beforeAll(async () => {
    app = await startTestApp({ db });
    const deployed = await app.call('POST', `/api/templates/${FLOW}/deploy`, {
      loadSamples: false,
    });
    expect(deployed.status).toBe(200);
    socket = await connect(app.url, app.adminKey);
    socket.on('simulation.changed', (body) => seen.push(body.simulation));
    expect(await socket.emitWithAck('subscribe', { flow: FLOW })).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    socket?.close();
    await app?.close();
  });

  it('runs the draft and version 1 side by side, with progress, to one result per seed', async () => {
    const draft = await app.call('POST', route, { days: 1, seed: 5 });
    expect(draft.status).toBe(202);
    expect(draft.body).toMatchObject({
      flow: FLOW,
      version: 'draft',
      days: 1,
      seed: 5,
      progress: { hours: 0, of: 24, percent: 0 },
    });
    expect(['queued', 'running']).toContain(draft.body.status);
    // No dashboard before the job is done.
    const early = await app.call('GET', `${route}/${draft.body.id}/dashboard`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'simulation_not_done' });
    const published = await app.call('POST', route, { days: 1, seed: 5, version: 1 });
    expect(published.status).toBe(202);

    // Two run; four more may wait; the next is refused, and queued ones can be cancelled.
    const waiting = [];
    for (let i = 0; i < 4; i++) {
      const queued = await app.call('POST', route, { days: 1, seed: i });
      expect(queued.body.status).toBe('queued');
      waiting.push(queued.body.id);
    }
    const refused = await app.call('POST', route, { days: 1 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('too_many_simulations');
    for (const id of waiting) {
      const cancelled = await app.call('DELETE', `${route}/${id}`);
      expect(cancelled.body.status).toBe('cancelled');
    }

    const ids = [draft.body.id, published.body.id];
    // Until both ended (the test's own timeout bounds the wait).
    while (ids.some((id) => !seen.some((j) => j.id === id && j.finishedAt)))
      await new Promise((r) => setTimeout(r, 200));
    for (const id of ids) {
      const events = seen.filter((j) => j.id === id);
      expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(['running', 'done']));
      const hours = events.filter((e) => e.status === 'running').map((e) => e.progress.hours);
      expect(hours).toEqual([...hours].sort((a, b) => a - b));
      expect(hours).toContain(24);
      expect(events.every((e) => e.result === undefined)).toBe(true);
    }

    const [a, b] = await Promise.all(ids.map((id) => app.call('GET', `${route}/${id}`)));
    expect(a.body).toMatchObject({ status: 'done', progress: { percent: 100 }, error: null });
    expect(a.body.result.days).toBe(1);
    expect(a.body.result.seed).toBe(5);
    expect(a.body.result.orders.created).toBeGreaterThan(100);
    expect(a.body.result.table.length).toBeGreaterThan(0);
    // The draft is the template's flow, as version 1 is: one seed, one result.
    expect(JSON.stringify(b.body.result)).toBe(JSON.stringify(a.body.result));

    // The run's dashboard: the analytics of the simulated day, kept after its database went.
    const dashboard = await app.call('GET', `${route}/${a.body.id}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.job).toMatchObject({ id: a.body.id, status: 'done' });
    expect(dashboard.body.job.result).toBeUndefined();
    expect(Date.parse(dashboard.body.to) - Date.parse(dashboard.body.from)).toBe(86_400_000);
    expect(dashboard.body.analytics.orders.created).toBe(a.body.result.orders.created);
    expect(dashboard.body.analytics.orders.open).toBe(a.body.result.orders.open);
    expect(dashboard.body.series.bucket).toBe('day');
    const created = dashboard.body.series.items.reduce((n: number, i: any) => n + i.created, 0);
    expect(created).toBe(a.body.result.orders.created);
    expect((await app.call('GET', `${route}/${waiting[0]}/dashboard`)).status).toBe(409);
    expect((await app.call('GET', `${route}/not-a-job/dashboard`)).status).toBe(404);

    const list = await app.call('GET', route);
    expect(list.body.items.map((j: any) => j.id)).toEqual(expect.arrayContaining(ids));
    expect(list.body.items.every((j: any) => j.result === undefined)).toBe(true);
  }, 240_000);

  it('refuses bad input naming the path, and leaves no job behind', async () => {
    const before = (await app.call('GET', route)).body.items.length;
    const bad = async (body: unknown, path: string) => {
      const answer = await app.call('POST', route, body);
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((e: any) => e.path)).toContain(path);
    };
    await bad({ days: 0 }, '/days');
    await bad({ days: 1.5 }, '/days');
    await bad({ seed: 'one' }, '/seed');
    await bad({ version: 'latest' }, '/version');
    await bad({ version: 9 }, '/version');
    await bad({ colour: 'red' }, '/colour');
    const s = scenario();
    s.orders.perDay = -3;
    await bad({ scenario: s }, '/scenario/orders/perDay');
    const t = scenario();
    t.people.operator.handles[0].task.queue = 'nowhere';
    await bad({ scenario: t }, '/scenario/people/operator/handles/0/task/queue');
    expect((await app.call('GET', route)).body.items.length).toBe(before);

    expect((await app.call('POST', '/api/flows/no-such-flow/simulations', {})).status).toBe(404);
    expect((await app.call('GET', `${route}/not-a-job`)).status).toBe(404);
  });

  it('needs a scenario for a flow that comes from no template', async () => {
    await publishFlow(app);
    const answer = await app.call('POST', '/api/flows/standard-order/simulations', {});
    expect(answer.status).toBe(422);
    expect(answer.body.errors[0].path).toBe('/scenario');
  });

  it('lets designers simulate and viewers only watch', async () => {
    const made = await app.call('POST', '/api/keys', { name: 'watcher', roles: ['viewer'] });
    const viewer = made.body.key;
    expect((await app.call('POST', route, { days: 1 }, { as: viewer })).status).toBe(403);
    expect((await app.call('GET', route, undefined, { as: viewer })).status).toBe(200);
  });
});
