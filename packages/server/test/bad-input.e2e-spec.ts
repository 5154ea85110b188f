import { standardOrderFlow } from '@ordo/engine/testing';
import { MAX_JSON_DEPTH } from '../src/problems/json-guard';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

/**
 * Bad input is a 4xx problem naming the path, never a 500, and writes nothing: JSON nested
 * 10,000 levels deep, a NUL character (PostgreSQL text cannot store one), a number that
 * overflows to Infinity (`1e309`), in bodies, query strings and path parameters.
 */
const DEPTH = 10_000;
/** `{"a":{"a":…}}` 10,000 levels deep, as raw JSON text. */
const deepObject = (leaf = '1') => '{"a":'.repeat(DEPTH) + leaf + '}'.repeat(DEPTH);
const deepList = () => '['.repeat(DEPTH) + ']'.repeat(DEPTH);
/** Where the depth check stops: `prefix` then `/a` until the cap. */
const deepPath = (prefix: string, levelsBefore = 0) =>
  prefix + '/a'.repeat(MAX_JSON_DEPTH - levelsBefore);

type Answer = Awaited<ReturnType<TestApp['call']>>;

function expectProblemAt(answer: Answer, path: string, code?: string): void {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(answer.body.errors).toContainEqual(
    expect.objectContaining({ path, ...(code && { code }) }),
  );
}

describe.each(databaseKinds())('bad input on %s', (db) => {
  let app: TestApp;
  let orderId: string;
  const flowDoc = (extra: string) =>
    JSON.stringify({ ...standardOrderFlow, key: 'deep-flow' }).replace(/}$/, `,${extra}}`);

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    const order = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    orderId = order.body.id;
  });
  afterAll(() => app.close());

  const orderVersion = async () => (await app.call('GET', `/api/orders/${orderId}`)).body.version;

  describe('JSON nested 10,000 levels deep', () => {
    it('in an order patch', async () => {
      const raw = `{"customer":${deepObject()}}`;
      const answer = await app.call('PATCH', `/api/orders/${orderId}`, undefined, { raw });
      expectProblemAt(answer, deepPath('/customer', 1), 'too_deep');
      expect(await orderVersion()).toBe(1);
    });

    it('in an event payload and a bulk payload', async () => {
      const raw = `{"type":"confirm","payload":${deepList()}}`;
      const answer = await app.call('POST', `/api/orders/${orderId}/events`, undefined, { raw });
      expectProblemAt(answer, '/payload' + '/0'.repeat(MAX_JSON_DEPTH - 1), 'too_deep');
      const bulk = `{"ids":["${orderId}"],"type":"confirm","payload":${deepObject()}}`;
      expectProblemAt(
        await app.call('POST', '/api/orders/bulk/events', undefined, { raw: bulk }),
        deepPath('/payload', 1),
      );
      expect(await orderVersion()).toBe(1);
    });

    it('in a draft (layout) and in a rule', async () => {
      const layout = await app.call('POST', '/api/flows', undefined, {
        raw: flowDoc(`"layout":${deepObject()}`),
      });
      expectProblemAt(layout, deepPath('/layout', 1), 'too_deep');
      const rule = await app.call('PUT', '/api/flows/deep-flow/draft', undefined, {
        raw: flowDoc(`"rules":[{"id":"deep","message":"m","logic":${deepObject('true')}}]`),
      });
      expectProblemAt(rule, deepPath('/rules/0/logic', 3), 'too_deep');
      expect((await app.call('GET', '/api/flows/deep-flow')).status).toBe(404);
    });

    it('in a view', async () => {
      const raw = `{"settings":${deepObject()}}`;
      const answer = await app.call('PUT', '/api/views/orders/deep', undefined, { raw });
      expectProblemAt(answer, deepPath('/settings', 1), 'too_deep');
      expect((await app.call('GET', '/api/views?page=orders')).body.items).toEqual([]);
    });
  });

  describe('a NUL character', () => {
    it('in the login e-mail and password', async () => {
      for (const field of ['email', 'password']) {
        const body = { email: 'a@example.com', password: 'secret secret', [field]: 'a\u0000b' };
        const answer = await app.call('POST', '/api/auth/login', body, { as: '' });
        expectProblemAt(answer, `/${field}`, 'nul_character');
      }
    });

    it('in order data, a draft, a view and a key', async () => {
      const data = { ...orderData(), customer: { id: 'C\u00001' } };
      expectProblemAt(
        await app.call('POST', '/api/orders', { flow: 'standard-order', data }),
        '/data/customer/id',
        'nul_character',
      );
      expectProblemAt(
        await app.call('PATCH', `/api/orders/${orderId}`, { carrier: '\u0000' }),
        '/carrier',
      );
      expectProblemAt(
        await app.call('POST', '/api/flows', { ...standardOrderFlow, name: 'x\u0000' }),
        '/name',
      );
      expectProblemAt(
        await app.call('PUT', '/api/views/orders/mine', { settings: { 'q\u0000': 1 } }),
        '/settings/q\u0000',
      );
      expect(await orderVersion()).toBe(1);
    });

    it('in a query string or a path parameter', async () => {
      expectProblemAt(
        await app.call('GET', '/api/orders?flow=standard-order&externalRef=a%00b'),
        '/externalRef',
        'invalid_query',
      );
      expectProblemAt(await app.call('GET', '/api/orders/ab%00cd'), '/id', 'invalid_param');
      expectProblemAt(
        await app.call('PUT', '/api/views/orders/a%00b', { settings: {} }),
        '/name',
        'invalid_param',
      );
      expectProblemAt(await app.call('GET', '/api/flows/a%00b'), '/key', 'invalid_param');
    });
  });

  describe('1e309 (Infinity once parsed)', () => {
    it('as an expected version, a pinned flow version, an integer field, a target version', async () => {
      expectProblemAt(
        await app.call('POST', `/api/orders/${orderId}/events`, undefined, {
          raw: '{"type":"confirm","expectedVersion":1e309}',
        }),
        '/expectedVersion',
        'not_finite',
      );
      expectProblemAt(
        await app.call('POST', '/api/orders', undefined, {
          raw: `{"flow":"standard-order","flowVersion":1e309,"data":${JSON.stringify(orderData())}}`,
        }),
        '/flowVersion',
      );
      expectProblemAt(
        await app.call('PATCH', `/api/orders/${orderId}`, undefined, {
          raw: '{"stock":{"available":-1e309}}',
        }),
        '/stock/available',
      );
      expectProblemAt(
        await app.call('POST', '/api/flows/standard-order/migrate', undefined, {
          raw: '{"toVersion":1e309}',
        }),
        '/toVersion',
      );
      expect(await orderVersion()).toBe(1);
    });
  });

  describe('a version beyond what a database integer holds (2147483648)', () => {
    it('in a body or a path', async () => {
      const big = 2 ** 31;
      const data = orderData();
      for (const [method, url, body, path] of [
        [
          'POST',
          `/api/orders/${orderId}/events`,
          { type: 'confirm', expectedVersion: big },
          '/expectedVersion',
        ],
        ['POST', '/api/orders', { flow: 'standard-order', flowVersion: big, data }, '/flowVersion'],
        ['POST', '/api/flows/standard-order/migrate', { toVersion: big }, '/toVersion'],
        ['POST', '/api/flows/standard-order/replay', { version: big }, '/version'],
      ] as const)
        expectProblemAt(await app.call(method, url, body), path);
      expectProblemAt(
        await app.call('GET', `/api/flows/standard-order/versions/${big}`),
        '/version',
        'invalid_param',
      );
      expectProblemAt(await app.call('POST', `/api/effects/${big}/retry`), '/id', 'invalid_param');
      expect(await orderVersion()).toBe(1);
    });
  });
});
