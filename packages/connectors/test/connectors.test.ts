import {
  backoffDelay,
  retryAfterMs,
  ConnectorError,
  defineConnector,
  httpConnector,
  RateLimiter,
  retryPolicy,
  webhookConnector,
} from '../src';
import { runTestAction, startTestServer } from '../src/testing';
import { Webhook } from 'standardwebhooks';

describe('defineConnector', () => {
  const action = { input: { type: 'object' }, output: { type: 'object' }, run: async () => ({}) };
  it('refuses a bad id, version, action name or schema where it is written', () => {
    expect(() =>
      defineConnector({ id: 'Bad Id', version: '1.0.0', actions: { a: action } }),
    ).toThrow(/id must be/);
    expect(() => defineConnector({ id: 'x', version: '1', actions: { a: action } })).toThrow(
      /not semantic/,
    );
    expect(() => defineConnector({ id: 'x', version: '1.0.0', actions: {} })).toThrow(/no actions/);
    expect(() =>
      defineConnector({
        id: 'x',
        version: '1.0.0',
        actions: { a: { ...action, input: { type: 'nonsense' } } },
      }),
    ).toThrow(/x"\.a\.input: not a valid JSON Schema/);
  });
});

describe('runAction', () => {
  const echo = defineConnector({
    id: 'echo',
    version: '1.0.0',
    actions: {
      say: {
        input: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string' } },
        },
        output: { type: 'object', required: ['said'] },
        run: async (ctx, input: { text: string }) =>
          input.text === 'wrong' ? { nope: 1 } : { said: input.text, key: ctx.idempotencyKey },
      },
      hang: {
        input: { type: 'object' },
        output: { type: 'object' },
        timeoutMs: 30,
        run: () => new Promise(() => undefined),
      },
    },
  });

  it('checks input and output; neither is worth a retry', async () => {
    await expect(runTestAction(echo, 'say', { input: { text: 1 } })).rejects.toMatchObject({
      code: 'invalid_input',
      retryable: false,
      message: expect.stringContaining('/text: must be string'),
    });
    await expect(runTestAction(echo, 'say', { input: { text: 'wrong' } })).rejects.toMatchObject({
      code: 'invalid_output',
      retryable: false,
    });
    await expect(runTestAction(echo, 'nope', { input: {} })).rejects.toMatchObject({
      code: 'unknown_action',
    });
    expect(
      await runTestAction(echo, 'say', { input: { text: 'hi' }, idempotencyKey: 'o1:2:0' }),
    ).toEqual({ said: 'hi', key: 'o1:2:0' });
  });

  it("blanks the credential's values out of the action's log lines", async () => {
    const chatty = defineConnector({
      id: 'chatty',
      version: '1.0.0',
      actions: {
        call: {
          input: { type: 'object' },
          output: { type: 'object' },
          run: async (ctx) => {
            const token = ctx.credentials.token;
            ctx.log.info(`calling https://api.example/send?key=${encodeURIComponent(token)}`, {
              header: `Bearer ${token}`,
            });
            ctx.log.warn('slow answer', { attempt: 1 });
            return {};
          },
        },
      },
    });
    const lines: [string, string, unknown][] = [];
    await runTestAction(chatty, 'call', {
      input: {},
      credentials: { token: 'tok/en+s3cret' },
      log: {
        info: (message, fields) => lines.push(['info', message, fields]),
        warn: (message, fields) => lines.push(['warn', message, fields]),
      },
    });
    expect(lines).toEqual([
      ['info', 'calling https://api.example/send?key=***', { header: 'Bearer ***' }],
      ['warn', 'slow answer', { attempt: 1 }],
    ]);
  });

  it('gives the action copies: what it changes stays its own, an own __proto__ a property', async () => {
    const meddler = defineConnector({
      id: 'meddler',
      version: '1.0.0',
      actions: {
        poke: {
          input: { type: 'object' },
          output: { type: 'object' },
          run: async (ctx, input: { lines: { qty: number }[]; at: Date }) => {
            (ctx.settings as { base: { url: string } }).base.url = 'changed';
            input.lines[0].qty = 99;
            return {
              // (structuredClone makes the Date in Node's realm, not jest's)
              at: Object.prototype.toString.call(input.at) === '[object Date]',
              proto: Object.getPrototypeOf(input) === Object.prototype,
              own: Object.keys(input).includes('__proto__'),
            };
          },
        },
      },
    });
    const settings = { base: { url: 'https://wms.example' } };
    const input = JSON.parse('{"lines":[{"qty":1}],"__proto__":{"polluted":true}}');
    input.at = new Date(0);
    expect(await runTestAction(meddler, 'poke', { input, settings })).toEqual({
      at: true,
      proto: true,
      own: true,
    });
    expect(settings.base.url).toBe('https://wms.example');
    expect(input.lines[0].qty).toBe(1);
  });

  it('times out an attempt that hangs, as retryable', async () => {
    await expect(runTestAction(echo, 'hang', { input: {} })).rejects.toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });
});

describe('the http connector', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer((req) => {
      if (req.url?.startsWith('/down')) return { status: 503, body: 'maintenance' };
      if (req.url?.startsWith('/missing')) return { status: 404, json: { error: 'no such' } };
      return { json: { customer: { id: 'C 1', tier: 'A' }, seen: req.headers } };
    });
  });
  afterAll(() => server.close());

  it('fills the path, sends auth and the idempotency key, maps the JSON answer', async () => {
    const output = await runTestAction(httpConnector, 'request', {
      settings: { baseUrl: server.url, auth: 'bearer' },
      credentials: { token: 's3cret' },
      idempotencyKey: 'o-1:3:0',
      input: {
        method: 'GET',
        path: '/customers/{id}',
        params: { id: 'C 1' },
        query: { expand: 'credit' },
        map: { tier: '/customer/tier', missing: '/nope' },
      },
    });
    expect(output).toEqual({ tier: 'A', missing: null });
    const request = server.requests.at(-1)!;
    expect(request.url).toBe('/customers/C%201?expand=credit');
    expect(request.headers.authorization).toBe('Bearer s3cret');
    expect(request.headers['idempotency-key']).toBe('o-1:3:0');
  });

  it('sends API keys and basic auth', async () => {
    await runTestAction(httpConnector, 'request', {
      settings: { baseUrl: server.url, auth: 'apiKey', apiKeyHeader: 'X-Token' },
      credentials: { apiKey: 'k1' },
      input: { method: 'POST', path: '/x', body: { a: 1 } },
    });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', json: { a: 1 } });
    expect(server.requests.at(-1)!.headers['x-token']).toBe('k1');
    await runTestAction(httpConnector, 'request', {
      settings: { baseUrl: server.url, auth: 'basic' },
      credentials: { username: 'u', password: 'p' },
      input: { path: '/x' },
    });
    expect(server.requests.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
  });

  it('says 5xx is worth a retry and 4xx is not', async () => {
    const call = (path: string) =>
      runTestAction(httpConnector, 'request', {
        settings: { baseUrl: server.url },
        input: { path },
      });
    await expect(call('/down')).rejects.toMatchObject({ status: 503, retryable: true });
    await expect(call('/missing')).rejects.toMatchObject({ status: 404, retryable: false });
    await expect(call('/x/{id}')).rejects.toBeInstanceOf(ConnectorError);
  });
});

describe('the webhook connector', () => {
  it.each([
    ['a whsec_ secret', 'whsec_' + Buffer.alloc(32, 7).toString('base64'), {}],
    ['a plain secret (its bytes)', 'plain-shared-secret-0123', { format: 'raw' as const }],
  ])('signs Standard Webhooks a standardwebhooks receiver verifies: %s', async (_, secret, how) => {
    const server = await startTestServer(() => ({ status: 204 }));
    const output = await runTestAction(webhookConnector, 'send', {
      settings: { url: `${server.url}/hook` },
      credentials: { secret },
      idempotencyKey: 'o-9:2:1',
      input: { event: 'order.shipped', payload: { id: 'o-9' } },
    });
    expect(output).toEqual({ status: 204 });
    const request = server.requests[0];
    const headers = request.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('o-9:2:1');
    expect(new Webhook(secret, how).verify(request.body, headers)).toMatchObject({
      event: 'order.shipped',
      idempotencyKey: 'o-9:2:1',
    });
    expect(() =>
      new Webhook('whsec_' + Buffer.alloc(32, 8).toString('base64')).verify(request.body, headers),
    ).toThrow('No matching signature');
    await server.close();
  });
});

describe('retries and rate limits', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const policy = retryPolicy({ backoffMs: 100, maxBackoffMs: 1000 });
    expect(policy.attempts).toBe(5);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('spaces calls to the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(10, () => now);
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 100, 200]);
    now = 1000;
    expect(limiter.reserve()).toBe(0);
  });
});

describe('backoffDelay with Retry-After (connectors and webhooks)', () => {
  const policy = { backoffMs: 1000, maxBackoffMs: 60_000 };
  it('never retries sooner than the other side asked, else jitters as before', () => {
    expect(backoffDelay(1, policy, () => 0.5)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.5, 30_000)).toBe(30_000);
    expect(backoffDelay(3, policy, () => 0.999999, 10)).toBe(3999);
  });
  it('reads Retry-After as seconds or an HTTP date; ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
