import { standardOrderFlow } from '@ordo/engine/testing';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

/**
 * Prototype pollution, path by path: each attack must be a 4xx problem naming where it is,
 * and afterwards the process must be clean — `Object.prototype` has no new keys and a person
 * still signs in (a polluted prototype made every `additionalProperties: false` body fail).
 * The server runs in this process, so the prototype checked here is the server's own.
 */
const PERSON = { email: 'pat@example.com', password: 'correct horse battery', name: 'Pat' };
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const CLEAN = prototypeNames();

type Answer = Awaited<ReturnType<TestApp['call']>>;

/** A 4xx application/problem+json whose errors (or refused rows) name `path`. */
function expectProblemAt(answer: Answer, path: string, code?: string): void {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
  const places = [...(answer.body.errors ?? []), ...(answer.body.refused ?? [])];
  expect(places).toContainEqual(expect.objectContaining({ path, ...(code && { code }) }));
}

const hostileFlow = (key: string, change: (doc: any) => void) => {
  const doc = JSON.parse(JSON.stringify(standardOrderFlow));
  doc.key = key;
  change(doc);
  return doc;
};

describe.each(databaseKinds())('hostile keys and dot paths on %s', (db) => {
  let app: TestApp;
  let orderId: string;

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    const user = await app.call('POST', '/api/users', { ...PERSON, roles: ['operator'] });
    expect(user.status).toBe(201);
    const order = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    expect(order.status).toBe(201);
    orderId = order.body.id;
  });

  afterAll(() => app.close());

  afterEach(async () => {
    const added = prototypeNames().filter((name) => !CLEAN.includes(name));
    // Clean up before failing, so one polluted test does not fail the others.
    for (const name of added) delete (Object.prototype as Record<string, unknown>)[name];
    expect(added).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const login = await app.call(
      'POST',
      '/api/auth/login',
      { email: PERSON.email, password: PERSON.password },
      { as: '' },
    );
    expect(login.status).toBe(200);
    expect(login.body.token).toEqual(expect.any(String));
  });

  const importFile = (body: Record<string, unknown>) =>
    app.call('POST', '/api/flows/standard-order/imports', body);

  it('a CSV header __proto__.x (dry run) is refused at line 1 and its column', async () => {
    const answer = await importFile({
      format: 'csv',
      content: 'externalRef,customer.id,__proto__.x\nR1,C1,polluted\n',
      dryRun: true,
    });
    expectProblemAt(answer, '/content', 'unsafe_path');
    expect(answer.body.errors[0].message).toMatch(/line 1, column 3/);
  });

  it('a CSV mapping target constructor.prototype.x is refused at /mapping/<column>', async () => {
    const answer = await importFile({
      format: 'csv',
      content: 'ref,client,extra\nR2,C1,polluted\n',
      mapping: { ref: 'externalRef', client: 'customer.id', extra: 'constructor.prototype.x' },
      dryRun: true,
    });
    expectProblemAt(answer, '/mapping/extra', 'unsafe_path');
  });

  it.each([
    ['{"__proto__": {"x": "polluted"}}', '/__proto__'],
    ['{"customer": {"constructor": {"prototype": {"x": "polluted"}}}}', '/customer/constructor'],
    ['{"externalRef": "R3", "data": {"prototype": {"x": 1}}}', '/data/prototype'],
  ])('a JSON Lines key is refused at its line and path: %s', async (line, path) => {
    const answer = await importFile({ format: 'jsonl', content: `${line}\n`, mode: 'all' });
    expectProblemAt(answer, '/rows/1', 'unsafe_key');
    expect(answer.body.refused[0]).toMatchObject({ line: 1, path, code: 'unsafe_key' });
  });

  it('a webhook trigger mapping create.data key __proto__.x cannot be published', async () => {
    const doc = hostileFlow('hostile-hook', (d) => {
      d.triggers = [
        {
          id: 'inbound',
          webhook: {
            secret: 'hook-secret',
            find: { by: 'externalRef', value: { var: '$body.ref' } },
            create: { data: { '__proto__.x': { var: '$body.x' }, 'customer.id': 'C1' } },
          },
        },
      ];
    });
    const saved = await app.call('POST', '/api/flows', doc);
    expect(saved.status).toBe(201);
    const path = '/triggers/0/webhook/create/data/__proto__.x';
    expect(saved.body.problems).toContainEqual(
      expect.objectContaining({ path, code: 'unsafe_path' }),
    );
    expectProblemAt(await app.call('POST', '/api/flows/hostile-hook/publish', {}), path);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'a field key %s cannot be published',
    async (key) => {
      const flowKey = `hostile-field-${key.replace(/_/g, '')}`;
      const doc = hostileFlow(flowKey, (d) =>
        d.fields.push({ key, type: 'object', fields: [{ key: 'x', type: 'string' }] }),
      );
      const path = `/fields/${doc.fields.length - 1}/key`;
      expect((await app.call('POST', '/api/flows', doc)).status).toBe(201);
      expectProblemAt(await app.call('POST', `/api/flows/${flowKey}/publish`, {}), path);
      const checked = await app.call('POST', '/api/flows/validate', doc);
      expect(checked.body.ok).toBe(false);
      expect(checked.body.problems).toContainEqual(
        expect.objectContaining({ path, code: 'unsafe_path' }),
      );
    },
  );

  it('a rule reading var __proto__.x cannot be published', async () => {
    const doc = hostileFlow('hostile-rule', (d) => {
      d.rules = [
        {
          id: 'inherited',
          message: 'reads the prototype',
          logic: { '==': [{ var: '__proto__.x' }, 'polluted'] },
        },
      ];
    });
    expect((await app.call('POST', '/api/flows', doc)).status).toBe(201);
    expectProblemAt(
      await app.call('POST', '/api/flows/hostile-rule/publish', {}),
      '/rules/0/logic/==/0/var',
      'unsafe_path',
    );
  });

  const bodies: [string, string, string][] = [
    ['__proto__', `{"__proto__": {"x": "polluted"}}`, '/__proto__'],
    ['constructor.prototype', `{"constructor": {"prototype": {"x": "polluted"}}}`, '/constructor'],
    ['nested __proto__', `{"customer": {"__proto__": {"x": "polluted"}}}`, '/customer/__proto__'],
  ];

  it.each(bodies)('an order create body with %s is refused at its path', async (_, data, at) => {
    const raw = `{"flow": "standard-order", "data": ${data}}`;
    expectProblemAt(
      await app.call('POST', '/api/orders', undefined, { raw }),
      `/data${at}`,
      'unsafe_key',
    );
  });

  it.each(bodies)('an order PATCH body with %s is refused at its path', async (_, data, at) => {
    const answer = await app.call('PATCH', `/api/orders/${orderId}`, undefined, { raw: data });
    expectProblemAt(answer, at, 'unsafe_key');
    const order = await app.call('GET', `/api/orders/${orderId}`);
    expect(order.body.version).toBe(1);
  });

  it('an event payload with a __proto__ key is refused at its path', async () => {
    const raw = `{"type": "confirm", "payload": {"__proto__": {"x": "polluted"}}}`;
    const answer = await app.call('POST', `/api/orders/${orderId}/events`, undefined, { raw });
    expectProblemAt(answer, '/payload/__proto__', 'unsafe_key');
  });
});
