import { startTestServer, type ReceivedRequest } from '@ordo/connectors/testing';
import { io } from 'socket.io-client';
import { loadConfig, ConfigError } from '../src/config/ordo-config';
import { RuntimeClock } from '../src/runtime/runtime-clock';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** A flow calling the CRM on creation; `retry` decides whether a failure waits or is final. */
const callingFlow = (key: string, baseUrl: string, retry: Record<string, unknown>) => ({
  schemaVersion: 1,
  key,
  name: key,
  connectors: { crm: { type: 'http', settings: { baseUrl }, retry, timeout: 'PT2S' } },
  fields: [{ key: 'customer', type: 'string', required: true }],
  states: [
    {
      id: 'checking',
      initial: true,
      entry: [
        {
          call: {
            connector: 'crm',
            action: 'request',
            input: { path: '/customers/{id}', 'params.id': { var: 'customer' } },
            onSuccess: 'checked',
          },
        },
      ],
    },
    { id: 'checked', final: true },
  ],
  transitions: [{ id: 'done', from: 'checking', to: 'checked', event: 'checked' }],
});

/** The value of one series in a Prometheus text answer (undefined: no such series). */
function sample(text: string, name: string, labels: Record<string, string> = {}) {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe.each(databaseKinds())('metrics on %s', (db) => {
  let app: TestApp;
  let crm: Awaited<ReturnType<typeof startTestServer>>;
  const scrape = async () => {
    const answer = await app.call('GET', '/api/metrics', undefined, { as: METRICS_TOKEN });
    expect(answer.status).toBe(200);
    return answer.body as string;
  };

  beforeAll(async () => {
    // /customers/fail-* answers 500; every other customer is found.
    crm = await startTestServer((req: ReceivedRequest) =>
      req.url.includes('/fail-') ? { status: 500, json: { error: 'down' } } : { json: { ok: 1 } },
    );
    app = await startTestApp({
      db,
      config: { outboundAllow: ['127.0.0.1:*'], metricsToken: METRICS_TOKEN },
      // The dice at their top: a retry waits its whole back-off (a minute), it stays pending.
      clock: new RuntimeClock(Date.now, () => 0.999),
    });
    const slow = { attempts: 3, backoff: 'PT60S', maxBackoff: 'PT60S' };
    await publishFlow(app, callingFlow('patient', crm.url, slow));
    await publishFlow(app, callingFlow('fragile', crm.url, { attempts: 1 }));
  });
  afterAll(async () => {
    await app.close();
    await crm.close();
  });

  it('refuses a scrape without credentials, or with a wrong token, or by a non-admin', async () => {
    const none = await app.call('GET', '/api/metrics', undefined, { as: '' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const wrong = await app.call('GET', '/api/metrics', undefined, { as: `${METRICS_TOKEN}x` });
    expect(wrong.status).toBe(401);
    const key = await app.call('POST', '/api/keys', { name: 'viewer', roles: ['viewer'] });
    expect(key.status).toBe(201);
    const viewer = await app.call('GET', '/api/metrics', undefined, { as: key.body.key });
    expect(viewer.status).toBe(403);
  });

  it('answers Prometheus text to the metrics token and to the admin key', async () => {
    const byToken = await app.call('GET', '/api/metrics', undefined, { as: METRICS_TOKEN });
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(byToken.body).toContain('# TYPE ordo_http_request_duration_seconds histogram');
    expect(sample(byToken.body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    const byAdmin = await app.call('GET', '/api/metrics');
    expect(byAdmin.status).toBe(200);
    expect(sample(byAdmin.body, 'ordo_live_clients')).toBe(0);
  });

  it('counts the live clients connected to this process', async () => {
    const socket = io(`${app.url}/live`, {
      transports: ['websocket'],
      auth: { token: app.adminKey },
      reconnection: false,
    });
    try {
      await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
      expect(sample(await scrape(), 'ordo_live_clients')).toBe(1);
    } finally {
      socket.close();
    }
    await waitFor(async () => sample(await scrape(), 'ordo_live_clients') === 0);
  });

  it('times requests by route pattern and status class, never by raw URL', async () => {
    expect((await app.call('GET', '/api/orders/no-such-order')).status).toBe(404);
    const text = await scrape();
    const series = { method: 'GET', route: '/api/orders/:id', status: '4xx' };
    expect(sample(text, 'ordo_http_request_duration_seconds_count', series)).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).not.toContain('no-such-order');
  });

  it('counts effect outcomes and shows a waiting effect in the outbox backlog', async () => {
    const before = await scrape();
    const done = { type: 'connector.call', outcome: 'done' };
    const retried = { type: 'connector.call', outcome: 'retried' };
    await app.call('POST', '/api/orders', { flow: 'patient', data: { customer: 'c1' } });
    const waiting = await app.call('POST', '/api/orders', {
      flow: 'patient',
      data: { customer: 'fail-1' },
    });
    expect(waiting.status).toBe(201);
    const text = await waitFor(async () => {
      const now = await scrape();
      return (sample(now, 'ordo_effects_total', retried) ?? 0) >= 1 &&
        (sample(now, 'ordo_effects_total', done) ?? 0) >= 1
        ? now
        : undefined;
    });
    expect(sample(text, 'ordo_effects_total', done)).toBe(
      (sample(before, 'ordo_effects_total', done) ?? 0) + 1,
    );
    // The failed call waits a minute for its retry: pending, but not yet due (no lag).
    expect(sample(text, 'ordo_outbox_pending')).toBe(1);
    expect(sample(text, 'ordo_outbox_lag_seconds')).toBe(0);
  });

  it('counts a failed call dead and its exception by kind', async () => {
    await app.call('POST', '/api/orders', { flow: 'fragile', data: { customer: 'fail-2' } });
    // The exception is raised and the effect settled dead in their own steps: wait for both.
    const text = await waitFor(async () => {
      const now = await scrape();
      return sample(now, 'ordo_exceptions_total', { kind: 'connector_failed' }) &&
        sample(now, 'ordo_effects_total', { type: 'connector.call', outcome: 'dead' })
        ? now
        : undefined;
    });
    expect(sample(text, 'ordo_exceptions_total', { kind: 'connector_failed' })).toBe(1);
    expect(sample(text, 'ordo_effects_total', { type: 'connector.call', outcome: 'dead' })).toBe(1);
  });

  it('counts webhook deliveries by outcome', async () => {
    for (const path of ['/hook', '/fail-hook']) {
      const subscribed = await app.call('POST', '/api/webhooks', {
        url: `${crm.url}${path}`,
        events: ['order.state_changed'],
      });
      expect(subscribed.status).toBe(201);
    }
    await app.call('POST', '/api/orders', { flow: 'patient', data: { customer: 'c3' } });
    const text = await waitFor(async () => {
      const now = await scrape();
      return sample(now, 'ordo_webhook_deliveries_total', { outcome: 'delivered' }) &&
        sample(now, 'ordo_webhook_deliveries_total', { outcome: 'retried' })
        ? now
        : undefined;
    });
    expect(sample(text, 'ordo_webhook_deliveries_total', { outcome: 'failed' })).toBeUndefined();
  });

  it('shows the lag of a due effect no process runs', async () => {
    const writer = await startTestApp({
      db,
      runEffects: false,
      config: { outboundAllow: ['127.0.0.1:*'], metricsToken: METRICS_TOKEN },
    });
    try {
      await publishFlow(writer, callingFlow('patient', crm.url, { attempts: 1 }));
      await writer.call('POST', '/api/orders', { flow: 'patient', data: { customer: 'c2' } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const answer = await writer.call('GET', '/api/metrics', undefined, { as: METRICS_TOKEN });
      expect(sample(answer.body, 'ordo_outbox_pending')).toBe(1);
      expect(sample(answer.body, 'ordo_outbox_lag_seconds')).toBeGreaterThan(0);
      expect(sample(answer.body, 'ordo_timers_due')).toBe(0);
      expect(sample(answer.body, 'ordo_timer_lag_seconds')).toBe(0);
      // A timer a minute overdue (no timer runner here either): counted, its lateness shown.
      const overdue = new Date(Date.now() - 60_000).toISOString();
      await writer.server.db.run(
        'INSERT INTO timers (order_id, timer, state, due_at) VALUES (?, ?, ?, ?)',
        ['o-late', 'sla', 'checking', overdue],
      );
      const late = await writer.call('GET', '/api/metrics', undefined, { as: METRICS_TOKEN });
      expect(sample(late.body, 'ordo_timers_due')).toBe(1);
      expect(sample(late.body, 'ordo_timer_lag_seconds')).toBeGreaterThanOrEqual(60);
      // Each app counts into its own registry: this one ran nothing.
      expect(
        sample(answer.body, 'ordo_effects_total', { type: 'connector.call', outcome: 'done' }),
      ).toBeUndefined();
    } finally {
      await writer.close();
    }
  });
});

describe('ORDO_METRICS_TOKEN', () => {
  it('must be at least 16 characters', () => {
    const env = { ORDO_DATA_DIR: '/tmp/ordo-metrics-config', ORDO_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...env, ORDO_METRICS_TOKEN: METRICS_TOKEN }).metricsToken).toBe(
      METRICS_TOKEN,
    );
    expect(() => loadConfig({ ...env, ORDO_METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ORDO_METRICS_TOKEN: 'short' })).toThrow(/ORDO_METRICS_TOKEN/);
  });
});
