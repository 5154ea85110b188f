import { startTestServer, type ReceivedRequest } from '@ordo/connectors/testing';
import { publishFlow } from './support/flows';
import { RuntimeClock } from '../src/runtime/runtime-clock';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const SECRET = 'tok-7f3a9c1e55d0-never-shown';

/** A credit-check flow calling the CRM at `baseUrl` when an order is created. */
const creditFlow = (
  key: string,
  baseUrl: string,
  retry: Record<string, unknown> = { attempts: 3, backoff: 'PT0.02S' },
) => ({
  schemaVersion: 1,
  key,
  name: 'Credit check',
  connectors: {
    crm: {
      type: 'http',
      settings: { baseUrl, auth: 'bearer' },
      credential: 'crm-token',
      retry: { maxBackoff: 'PT0.1S', ...retry },
      timeout: 'PT2S',
    },
  },
  fields: [
    { key: 'customer', type: 'string', required: true },
    {
      key: 'crm',
      type: 'object',
      fields: [
        { key: 'tier', type: 'string' },
        { key: 'limit', type: 'number' },
      ],
    },
  ],
  states: [
    {
      id: 'checking',
      initial: true,
      entry: [
        {
          call: {
            connector: 'crm',
            action: 'request',
            input: {
              path: '/customers/{id}',
              'params.id': { var: 'customer' },
              'map.tier': '/tier',
              'map.limit': '/creditLimit',
            },
            resultPath: 'crm',
            onSuccess: 'credit_ok',
            onFailure: 'credit_failed',
          },
        },
      ],
    },
    { id: 'approved', final: true },
    { id: 'on_hold' },
  ],
  transitions: [
    {
      id: 'approve',
      from: 'checking',
      to: 'approved',
      event: 'credit_ok',
      guard: { '==': [{ var: 'crm.tier' }, 'A'] },
    },
    { id: 'hold', from: 'checking', to: 'on_hold', event: 'credit_failed' },
    { id: 'release', from: 'on_hold', to: 'checking', event: 'release' },
  ],
});

describe.each(databaseKinds())('the runtime on %s', (db) => {
  let app: TestApp;
  let crm: Awaited<ReturnType<typeof startTestServer>>;
  /** Answers of the CRM by customer id: a status list consumed in order, then 200. */
  const script = new Map<string, number[]>();
  beforeAll(async () => {
    crm = await startTestServer((req: ReceivedRequest) => {
      const id = decodeURIComponent(req.url.split('/')[2] ?? '');
      const status = script.get(id)?.shift() ?? 200;
      if (status !== 200) return { status, json: { error: 'scripted' } };
      return { json: { id, tier: id.startsWith('A') ? 'A' : 'C', creditLimit: 5000 } };
    });
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    const saved = await app.call('POST', '/api/credentials', {
      name: 'crm-token',
      secret: { token: SECRET },
      hosts: ['127.0.0.1:*'],
    });
    expect(saved.status).toBe(201);
    await publishFlow(app, creditFlow('credit', crm.url));
  });
  afterAll(async () => {
    await app.close();
    await crm.close();
  });

  const effectsOf = async (orderId: string) =>
    (await app.call('GET', `/api/effects?orderId=${orderId}`)).body.items;
  const settled = (orderId: string) =>
    waitFor(async () => {
      const [effect] = await effectsOf(orderId);
      return effect && ['done', 'dead'].includes(effect.status) && effect;
    });

  it('stores credentials sealed, never gives a secret back, replaces by name', async () => {
    const again = await app.call('POST', '/api/credentials', {
      name: 'other',
      secret: { apiKey: 'k-123456' },
      hosts: ['api.other.example:443'],
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ name: 'other', fields: ['apiKey'] });
    const replaced = await app.call('POST', '/api/credentials', {
      name: 'other',
      secret: { username: 'u', password: 'p' },
      hosts: ['*.other.example:443'],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.fields).toEqual(['password', 'username']);
    const list = await app.call('GET', '/api/credentials');
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['crm-token', 'other']);
    expect(JSON.stringify(list.body)).not.toContain('k-123456');
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    const stored = await app.server.db.query('SELECT * FROM credentials');
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect((await app.call('DELETE', '/api/credentials/other')).status).toBe(204);
    expect((await app.call('DELETE', '/api/credentials/other')).status).toBe(404);
  });

  it('refuses a bad credential body, naming the path, writing nothing', async () => {
    const bad = await app.call('POST', '/api/credentials', {
      name: 'x y',
      secret: { token: 1 },
      hosts: ['ok.example:443'],
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/name', '/secret/token']),
    );
    const list = await app.call('GET', '/api/credentials');
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['crm-token']);
  });

  it('calls the connector, writes the answer, fires onSuccess — with the key and credential', async () => {
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'credit',
      data: { customer: 'A-100' },
    });
    const effect = await settled(order.id);
    expect(effect).toMatchObject({
      status: 'done',
      attempts: 1,
      idempotencyKey: `${order.id}:1:0`,
      result: { output: { tier: 'A', limit: 5000 }, applied: true },
    });
    const now = (await app.call('GET', `/api/orders/${order.id}`)).body;
    expect(now).toMatchObject({ state: 'approved', data: { crm: { tier: 'A', limit: 5000 } } });
    const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
    expect(
      history.map((h: { kind: string; actor: { id: string } }) => [h.kind, h.actor.id]),
    ).toEqual([
      ['created', 'admin-key'],
      ['updated', 'connector:crm'],
      ['transition', 'connector:crm'],
    ]);
    const request = crm.requests.find((r) => r.url === '/customers/A-100')!;
    expect(request.headers['idempotency-key']).toBe(`${order.id}:1:0`);
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('retries 5xx with the same key, then succeeds', async () => {
    script.set('A-200', [503, 502]);
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'credit',
      data: { customer: 'A-200' },
    });
    const effect = await settled(order.id);
    expect(effect).toMatchObject({ status: 'done', attempts: 3 });
    const keys = crm.requests.filter((r) => r.url === '/customers/A-200');
    expect(keys.map((r) => r.headers['idempotency-key'])).toEqual(Array(3).fill(`${order.id}:1:0`));
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('approved');
  });

  it('dead-letters after the last attempt, fires onFailure, and an operator can retry', async () => {
    script.set('A-300', [503, 503, 503]);
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'credit',
      data: { customer: 'A-300' },
    });
    const dead = await settled(order.id);
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastError: expect.stringContaining('503'),
      result: { error: { code: 'http_status', status: 503 } },
    });
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('on_hold');
    const deadList = await app.call('GET', '/api/effects?status=dead');
    expect(deadList.body.items.map((e: { id: number }) => e.id)).toContain(dead.id);

    // Back to checking: the entry call runs again as a new effect (version 3).
    await app.call('POST', `/api/orders/${order.id}/events`, { type: 'release' });
    await waitFor(async () => {
      const now = (await app.call('GET', `/api/orders/${order.id}`)).body;
      return now.state === 'approved';
    });
    // The dead one retried: the CRM answers now, but the order has moved on.
    const retried = await app.call('POST', `/api/effects/${dead.id}/retry`);
    expect(retried.status).toBe(200);
    const done = await waitFor(async () => {
      const e = (await app.call('GET', `/api/effects/${dead.id}`)).body;
      return e.status === 'done' && e;
    });
    expect(done.result.applied).toBe(false);
    const again = await app.call('POST', `/api/effects/${dead.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('not_dead');
  });

  it('fails a 4xx at once (no retry)', async () => {
    script.set('A-404', [404]);
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'credit',
      data: { customer: 'A-404' },
    });
    expect(await settled(order.id)).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('never lets a flow reach the metadata address', async () => {
    // Even with a credential that may go there: the address guard refuses the address itself.
    await app.call('POST', '/api/credentials', {
      name: 'meta-token',
      secret: { token: 'meta-secret' },
      hosts: ['169.254.169.254:*'],
    });
    const doc = creditFlow('metadata', 'http://169.254.169.254/latest');
    doc.connectors.crm.credential = 'meta-token';
    await publishFlow(app, doc);
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'metadata',
      data: { customer: 'A-1' },
    });
    expect(await settled(order.id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      result: { error: { code: 'blocked_address' } },
    });
  });

  it('lists connectors; a bad effects query is a 400 naming the parameter', async () => {
    const list = await app.call('GET', '/api/connectors');
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([
      'http',
      'webhook',
      'wecom',
      'dingtalk',
      'slack',
      'email',
      'wecom-app',
      'dingtalk-session',
    ]);
    const bad = await app.call('GET', '/api/effects?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/status');
  });

  it('no API answer carries the secret', async () => {
    const orders = (await app.call('GET', '/api/orders?flow=credit&limit=100')).body.items;
    const answers = [
      await app.call('GET', '/api/effects?limit=500'),
      await app.call('GET', '/api/flows/credit'),
      ...(await Promise.all(
        orders.map((o: { id: string }) => app.call('GET', `/api/orders/${o.id}/history`)),
      )),
    ];
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toContain(SECRET);
  });
});

describe('the runtime without an allow-list', () => {
  it('refuses loopback: private addresses need an admin to allow them', async () => {
    const local = await startTestServer();
    const app = await startTestApp({ db: 'sqlite' });
    try {
      await app.call('POST', '/api/credentials', {
        name: 'crm-token',
        secret: { token: 't' },
        hosts: ['127.0.0.1:*'],
      });
      await publishFlow(app, creditFlow('local', local.url));
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'local',
        data: { customer: 'A-1' },
      });
      const effect = await waitFor(async () => {
        const [e] = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
        return e?.status === 'dead' && e;
      });
      expect(effect.result.error.code).toBe('blocked_address');
      expect(local.requests).toHaveLength(0);
    } finally {
      await app.close();
      await local.close();
    }
  });
});

describe('installed connectors', () => {
  const example = require.resolve('../../../examples/custom-connector/src/acme-wms.connector.ts');

  it('loads connector modules named in the configuration', async () => {
    const app = await startTestApp({ db: 'sqlite', config: { connectors: [example] } });
    try {
      const list = await app.call('GET', '/api/connectors');
      const wms = list.body.items.find((c: { id: string }) => c.id === 'acme-wms');
      expect(wms.actions.map((a: { name: string }) => a.name)).toEqual(['reserve', 'release']);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a module that is missing or exports no connector', async () => {
    await expect(
      startTestApp({ db: 'sqlite', config: { connectors: ['/nowhere/connector.js'] } }),
    ).rejects.toThrow(/ORDO_CONNECTORS: cannot load \/nowhere\/connector\.js/);
    await expect(
      startTestApp({ db: 'sqlite', config: { connectors: [require.resolve('./support/flows')] } }),
    ).rejects.toThrow(/exports no connector/);
  });
});

describe('flows that name connectors', () => {
  it('refuses to publish an uninstalled connector, bad settings or an unknown action, by path', async () => {
    const app = await startTestApp({ db: 'sqlite' });
    try {
      const doc = creditFlow('bad-connectors', 'not a url');
      (doc.connectors as Record<string, unknown>).erp = { type: 'sap-erp' };
      (doc.states[0].entry![0].call as { action: string }).action = 'fetch';
      const saved = await app.call('POST', '/api/flows', doc);
      expect(saved.body.valid).toBe(false);
      const published = await app.call('POST', '/api/flows/bad-connectors/publish', {});
      expect(published.status).toBe(422);
      expect(
        published.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
      ).toEqual(
        expect.arrayContaining([
          ['/connectors/crm/settings/baseUrl', 'invalid_settings'],
          ['/connectors/erp/type', 'unknown_connector_type'],
          ['/states/0/entry/0/call/action', 'unknown_action'],
        ]),
      );
      const checked = await app.call('POST', '/api/flows/validate', doc);
      expect(checked.body.ok).toBe(false);
      expect((await app.call('GET', '/api/flows/bad-connectors')).body.latestVersion).toBeNull();
    } finally {
      await app.close();
    }
  });
});

describe('effects of one order', () => {
  it('run in the order they were written, one after the other', async () => {
    const log: string[] = [];
    const server = await startTestServer(async (req) => {
      log.push(`start ${req.url}`);
      if (req.url === '/slow') await new Promise((r) => setTimeout(r, 300));
      log.push(`end ${req.url}`);
      return { json: {} };
    });
    const app = await startTestApp({ db: 'sqlite', config: { outboundAllow: ['127.0.0.1:*'] } });
    try {
      const call = (path: string) => ({
        call: { connector: 'api', action: 'request', input: { method: 'POST', path } },
      });
      await publishFlow(app, {
        schemaVersion: 1,
        key: 'sequence',
        name: 'Sequence',
        connectors: { api: { type: 'http', settings: { baseUrl: server.url } } },
        fields: [],
        states: [{ id: 'open', initial: true, entry: [call('/slow'), call('/fast')] }],
        transitions: [],
      });
      const { body: order } = await app.call('POST', '/api/orders', { flow: 'sequence', data: {} });
      await waitFor(async () => {
        const items = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
        return items.length === 2 && items.every((e: { status: string }) => e.status === 'done');
      });
      expect(log).toEqual(['start /slow', 'end /slow', 'start /fast', 'end /fast']);
    } finally {
      await app.close();
      await server.close();
    }
  });
});

describe('a process that does not run effects (the CLI)', () => {
  it('writes effects to the outbox and leaves them for the server', async () => {
    const crm = await startTestServer();
    const app = await startTestApp({
      db: 'sqlite',
      config: { outboundAllow: ['127.0.0.1:*'] },
      runEffects: false,
    });
    try {
      await app.call('POST', '/api/credentials', {
        name: 'crm-token',
        secret: { token: 't' },
        hosts: ['127.0.0.1:*'],
      });
      await publishFlow(app, creditFlow('quiet', crm.url));
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'quiet',
        data: { customer: 'A-1' },
      });
      await new Promise((r) => setTimeout(r, 500));
      const [effect] = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
      expect(effect).toMatchObject({ status: 'pending', attempts: 0 });
      expect(crm.requests).toHaveLength(0);
    } finally {
      await app.close();
      await crm.close();
    }
  });
});

describe('retry timings on an injected clock', () => {
  it('waits exactly the jittered back-off, attempt by attempt, then dead-letters', async () => {
    const crm = await startTestServer(() => ({ status: 503 }));
    let now = Date.now() + 60_000;
    // Full jitter with the dice fixed at one half: half of min(1 min, 10 s · 2^(attempt−1)).
    const app = await startTestApp({
      db: 'sqlite',
      config: { outboundAllow: ['127.0.0.1:*'] },
      clock: new RuntimeClock(
        () => now,
        () => 0.5,
      ),
    });
    try {
      await app.call('POST', '/api/credentials', {
        name: 'crm-token',
        secret: { token: 't' },
        hosts: ['127.0.0.1:*'],
      });
      await publishFlow(
        app,
        creditFlow('clocked', crm.url, { attempts: 3, backoff: 'PT10S', maxBackoff: 'PT1M' }),
      );
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'clocked',
        data: { customer: 'A-1' },
      });
      const effect = async () =>
        (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items[0];
      const after = (attempts: number, status: string) =>
        waitFor(async () => {
          const e = await effect();
          return e?.attempts === attempts && e.status === status && e;
        });

      const first = await after(1, 'pending');
      expect(first.nextAttemptAt).toBe(new Date(now + 5_000).toISOString());
      // Not due until the clock says so, however long we wait.
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await effect()).attempts).toBe(1);
      expect(crm.requests).toHaveLength(1);

      now += 5_000;
      const second = await after(2, 'pending');
      expect(second.nextAttemptAt).toBe(new Date(now + 10_000).toISOString());

      now += 10_000;
      const dead = await after(3, 'dead');
      expect(dead.lastError).toContain('503');
      expect(crm.requests).toHaveLength(3);
      expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('on_hold');
    } finally {
      await app.close();
      await crm.close();
    }
  });
});
