import fc from 'fast-check';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

/**
 * The property behind "bad input is a 4xx problem, never a 500": random JSON — hostile keys
 * (`__proto__`, `constructor`, `prototype`), deep nesting, NUL characters, numbers that
 * overflow or lose precision — sent as the admin to every write endpoint the API documents
 * (read from its own OpenAPI document, so a new endpoint is covered the day it is added).
 * Each answer is a 2xx or a 4xx application/problem+json; `Object.prototype` stays untouched.
 */
const RUNS = 30;
const HOSTILE = ['__proto__', 'constructor', 'prototype'];
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const CLEAN = prototypeNames();

/** JSON text, built as text so that `__proto__` keys and `1e309` survive as written. */
const key = fc.oneof(
  fc.constantFrom(
    ...HOSTILE,
    'a',
    'data',
    'type',
    'flow',
    'name',
    'payload',
    'settings',
    'x\u0000',
  ),
  fc.string({ maxLength: 8 }),
);
const numberText = fc.oneof(
  fc.constantFrom(
    '1e309',
    '-1e309',
    '1e308',
    '-0',
    '9007199254740993',
    '2147483648',
    '-2147483649',
    '1e-400',
    '1e21',
    '0.5',
    '1',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer().map(String),
);
const stringText = fc
  .oneof(fc.string({ maxLength: 12 }), fc.constantFrom('\u0000', 'a\u0000b', '', 'x'.repeat(300)))
  .map((s) => JSON.stringify(s));
const leaf = fc.oneof(numberText, stringText, fc.constantFrom('true', 'false', 'null'));
const { value: jsonText } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc
    .array(fc.tuple(key, tie('value')), { maxLength: 5 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
}));
const deepText = fc
  .tuple(fc.integer({ min: 100, max: 5000 }), leaf, fc.boolean())
  .map(([depth, inner, list]) =>
    list
      ? '['.repeat(depth) + inner + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + inner + '}'.repeat(depth),
  );

/** A plausible body with one value replaced or one key added: gets past the first checks. */
const mutated = (base: Record<string, unknown>) =>
  fc
    .tuple(fc.constantFrom(...Object.keys(base), ...HOSTILE, 'extra'), jsonText)
    .map(([at, value]) => {
      const entries = Object.entries(base).map(([k, v]) => [k, JSON.stringify(v)]);
      const i = entries.findIndex(([k]) => k === at);
      if (i >= 0) entries[i][1] = value;
      else entries.push([at, value]);
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
    });

/** Plausible bodies by route, so random values reach past "required" into the services. */
const PLAUSIBLE: Record<string, Record<string, unknown>> = {
  'POST /api/orders': {
    flow: 'standard-order',
    data: orderData(),
    flowVersion: 1,
    externalRef: 'r',
  },
  'PATCH /api/orders/{id}': { carrier: 'DHL', stock: { available: 4 } },
  'POST /api/orders/{id}/events': { type: 'confirm', payload: {}, expectedVersion: 1 },
  'POST /api/orders/bulk/events': { ids: ['x'], type: 'confirm', payload: {} },
  'POST /api/auth/login': { email: 'pat@example.com', password: 'correct horse battery' },
  'POST /api/users': {
    email: 'p@example.com',
    password: 'long enough',
    name: 'P',
    roles: ['viewer'],
  },
  'PUT /api/views/{page}/{name}': { settings: { q: 'x' }, shared: false },
  'POST /api/flows/{key}/imports': { format: 'jsonl', content: '{}', dryRun: true },
  'POST /api/flows/{key}/migrate': { toVersion: 1, dryRun: true },
  'POST /api/flows/{key}/replay': { version: 1, limit: 5 },
  'POST /api/tasks/{id}/resolve': { event: 'confirm', payload: {}, patch: {} },
};

describe.each(databaseKinds())('hostile JSON at every write endpoint on %s', (db) => {
  let app: TestApp;
  let routes: { method: string; path: string }[];
  let orderId: string;

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    orderId = (await app.call('POST', '/api/orders', { flow: 'standard-order', data: orderData() }))
      .body.id;
    const openapi = (await app.call('GET', '/api/docs/json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(openapi.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
  });
  afterAll(() => app.close());

  /** Path parameters: the real order and flow (so bodies reach the services), else unknown ids. */
  const fill = (route: { method: string; path: string }) =>
    route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (route.method === 'DELETE') return 'missing-id';
      if (name === 'key' || name === 'flow') return 'standard-order';
      if (name === 'page') return 'orders';
      if (name === 'name') return 'prop-view';
      if (name === 'id' && route.path.startsWith('/api/orders/')) return orderId;
      return 'missing-id';
    });

  it('covers the write endpoints of the API', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /api/orders',
      'PATCH /api/orders/{id}',
      'POST /api/orders/{id}/events',
      'POST /api/orders/bulk/events',
      'POST /api/flows',
      'PUT /api/flows/{key}/draft',
      'POST /api/flows/{key}/publish',
      'PUT /api/views/{page}/{name}',
      'POST /api/tasks/{id}/resolve',
      'POST /api/credentials',
      'POST /api/webhooks',
      'POST /api/flows/{key}/imports',
      'POST /api/hooks/{flow}/{trigger}',
      'POST /api/auth/login',
      'POST /api/auth/setup',
      'POST /api/users',
      'POST /api/keys',
    ])
      expect(names).toContain(expected);
  });

  it('answers every body with a 2xx or a 4xx problem, never a 5xx, and keeps Object.prototype clean', async () => {
    const seen = new Map<string, number>();
    for (const route of routes) {
      const name = `${route.method} ${route.path}`;
      const base = PLAUSIBLE[name];
      const body = base
        ? fc.oneof(jsonText, deepText, mutated(base))
        : fc.oneof(jsonText, deepText);
      const url = fill(route);
      await fc.assert(
        fc.asyncProperty(body, async (raw) => {
          const answer = await app.call(route.method, url, undefined, { raw });
          seen.set(name, (seen.get(name) ?? 0) + 1);
          const problem = answer.headers.get('content-type') ?? '';
          const ok =
            (answer.status >= 200 && answer.status < 300) ||
            (answer.status >= 400 && answer.status < 500 && /problem\+json/.test(problem));
          if (!ok)
            throw new Error(`${name} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          expect(prototypeNames()).toEqual(CLEAN);
          expect(({} as Record<string, unknown>).x).toBeUndefined();
        }),
        { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
      );
    }
    expect([...seen.values()].every((n) => n >= RUNS)).toBe(true);
  }, 120_000);
});
