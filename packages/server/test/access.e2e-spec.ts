import { orderData, publishFlow } from './support/flows';
import { startTestApp, type TestApp } from './support/test-app';

describe('access control', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db: 'sqlite' });
    await publishFlow(app);
  });
  afterAll(() => app.close());

  it('runs the first-run setup once, then signs people in with tokens', async () => {
    expect((await app.call('GET', '/api/auth/setup', undefined, { as: '' })).body).toEqual({
      needed: true,
    });
    const weak = await app.call(
      'POST',
      '/api/auth/setup',
      { email: 'owner@example.com', password: 'short', name: 'Owner' },
      { as: '' },
    );
    expect(weak.status).toBe(422);
    expect(weak.body.errors[0].path).toBe('/password');
    const setup = await app.call(
      'POST',
      '/api/auth/setup',
      { email: 'owner@example.com', password: 'correct horse', name: 'Owner' },
      { as: '' },
    );
    expect(setup.status).toBe(201);
    expect(setup.body.user).toMatchObject({ email: 'owner@example.com', roles: ['admin'] });
    expect(setup.body.user.passwordHash).toBeUndefined();
    const again = await app.call(
      'POST',
      '/api/auth/setup',
      { email: 'x@example.com', password: 'another one', name: 'X' },
      { as: '' },
    );
    expect(again.status).toBe(409);
    const login = await app.call(
      'POST',
      '/api/auth/login',
      { email: 'owner@example.com', password: 'correct horse' },
      { as: '' },
    );
    expect(login.status).toBe(200);
    const me = await app.call('GET', '/api/auth/me', undefined, { as: login.body.token });
    expect(me.body).toMatchObject({ email: 'owner@example.com', roles: ['admin'] });
    expect(
      (
        await app.call(
          'POST',
          '/api/auth/login',
          { email: 'owner@example.com', password: 'wrong password' },
          { as: '' },
        )
      ).status,
    ).toBe(401);
  });

  it('refuses requests without credentials or with a bad token', async () => {
    expect((await app.call('GET', '/api/orders', undefined, { as: '' })).status).toBe(401);
    const bad = await app.call('GET', '/api/orders', undefined, { as: 'nonsense' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('lets a viewer read but never write', async () => {
    const viewer = (await app.call('POST', '/api/keys', { name: 'dashboard', roles: ['viewer'] }))
      .body;
    expect(viewer.key).toMatch(/^ordo_/);
    expect((await app.call('GET', '/api/orders', undefined, { as: viewer.key })).status).toBe(200);
    expect((await app.call('GET', '/api/flows', undefined, { as: viewer.key })).status).toBe(200);
    const writes = [
      ['POST', '/api/orders', { flow: 'standard-order', data: orderData() }],
      ['POST', '/api/flows', { key: 'x' }],
      ['POST', '/api/flows/standard-order/publish', {}],
      ['POST', '/api/keys', { name: 'k', roles: ['admin'] }],
    ] as const;
    for (const [method, route, body] of writes) {
      const res = await app.call(method, route, body, { as: viewer.key });
      expect([route, res.status]).toEqual([route, 403]);
    }
  });

  it('lets business roles fire only their transitions; keys never show their secret again', async () => {
    const sales = (
      await app.call('POST', '/api/keys', { name: 'sales', roles: ['operator', 'sales'] })
    ).body;
    const warehouse = (
      await app.call('POST', '/api/keys', { name: 'wh', roles: ['operator', 'warehouse'] })
    ).body;
    const { body: order } = await app.call(
      'POST',
      '/api/orders',
      { flow: 'standard-order', data: orderData() },
      { as: sales.key },
    );
    expect(
      (
        await app.call(
          'POST',
          `/api/orders/${order.id}/events`,
          { type: 'confirm' },
          { as: warehouse.key },
        )
      ).status,
    ).toBe(403);
    const ok = await app.call(
      'POST',
      `/api/orders/${order.id}/events`,
      { type: 'confirm' },
      { as: sales.key },
    );
    expect(ok.body.data.confirmedBy).toBe(sales.id);
    const list = await app.call('GET', '/api/keys');
    expect(JSON.stringify(list.body)).not.toContain(sales.key);
    expect(list.body.items.find((k: { id: string }) => k.id === sales.id)).toMatchObject({
      keyPrefix: sales.key.slice(5, 13),
    });
    expect((await app.call('DELETE', `/api/keys/${sales.id}`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 10));
    const revoked = await app.call('GET', '/api/orders', undefined, { as: sales.key });
    expect(revoked.status).toBe(401);
  });

  it('adds people with roles (admin only)', async () => {
    const user = await app.call('POST', '/api/users', {
      email: 'ops@example.com',
      password: 'operator pass',
      name: 'Ops',
      roles: ['operator'],
    });
    expect(user.status).toBe(201);
    const login = await app.call(
      'POST',
      '/api/auth/login',
      { email: 'ops@example.com', password: 'operator pass' },
      { as: '' },
    );
    expect(
      (
        await app.call(
          'POST',
          '/api/users',
          { email: 'y@example.com', password: 'whatever1', name: 'Y', roles: ['admin'] },
          { as: login.body.token },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await app.call('POST', '/api/users', {
          email: 'ops@example.com',
          password: 'operator pass',
          name: 'Ops',
          roles: ['operator'],
        })
      ).status,
    ).toBe(409);
  });

  it('serves health and the OpenAPI document without credentials', async () => {
    expect((await app.call('GET', '/api/health', undefined, { as: '' })).body).toMatchObject({
      status: 'ok',
      database: 'sqlite',
      mode: 'embedded',
    });
    const openapi = await app.call('GET', '/api/docs/json', undefined, { as: '' });
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/orders',
        '/api/orders/{id}/events',
        '/api/flows/{key}/publish',
      ]),
    );
    expect((await app.call('GET', '/api/nothing-here')).body.code).toBe('not_found');
  });
});
