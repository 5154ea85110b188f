import { standardOrderFlow } from '@ordo/engine/testing';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

describe.each(databaseKinds())('flows on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ db })));
  afterAll(() => app.close());

  it('keeps an invalid draft with its problems and refuses to publish it', async () => {
    const broken = {
      ...standardOrderFlow,
      key: 'broken',
      transitions: [{ id: 'x', from: 'new', to: 'nowhere', event: 'go' }],
    };
    const saved = await app.call('POST', '/api/flows', broken);
    expect(saved.status).toBe(201);
    expect(saved.body.valid).toBe(false);
    expect(saved.body.problems).toContainEqual(
      expect.objectContaining({ path: '/transitions/0/to', severity: 'error' }),
    );
    const published = await app.call('POST', '/api/flows/broken/publish', {});
    expect(published.status).toBe(422);
    expect(published.body).toMatchObject({
      code: 'invalid_flow',
      errors: [expect.objectContaining({ path: '/transitions/0/to' })],
    });
    expect((await app.call('GET', '/api/flows/broken')).body.versions).toEqual([]);
  });

  it('validates without saving', async () => {
    const res = await app.call('POST', '/api/flows/validate', { schemaVersion: 1, key: 'v' });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect((await app.call('GET', '/api/flows/v')).status).toBe(404);
  });

  it('publishes immutable versions, lists and reads them', async () => {
    await publishFlow(app);
    const v2 = { ...standardOrderFlow, name: 'Standard order v2' };
    expect((await app.call('PUT', '/api/flows/standard-order/draft', v2)).status).toBe(200);
    const second = await app.call('POST', '/api/flows/standard-order/publish', { note: 'renamed' });
    expect(second.body).toMatchObject({ key: 'standard-order', version: 2, note: 'renamed' });
    const flow = await app.call('GET', '/api/flows/standard-order');
    expect(flow.body).toMatchObject({
      key: 'standard-order',
      latestVersion: 2,
      latest: { name: 'Standard order v2', version: 2 },
    });
    expect(flow.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await app.call('GET', '/api/flows/standard-order/versions/1');
    expect(v1.body.document.name).toEqual(standardOrderFlow.name);
    const list = await app.call('GET', '/api/flows');
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ key: 'standard-order', latestVersion: 2 }),
    );
    expect((await app.call('GET', '/api/flows/standard-order/versions/9')).status).toBe(404);
  });

  it('refuses a draft whose key is not the one in the URL, and a body that is no document', async () => {
    const res = await app.call('PUT', '/api/flows/standard-order/draft', {
      ...standardOrderFlow,
      key: 'other',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: '/key', code: 'key_mismatch' }),
    ]);
    expect((await app.call('POST', '/api/flows', [1, 2])).body.errors[0].path).toBe('');
    expect((await app.call('POST', '/api/flows', { key: 'Bad Key' })).body.errors[0].path).toBe(
      '/key',
    );
  });

  it('migrates running orders to a new version, reporting what it could not move', async () => {
    await publishFlow(app, { ...standardOrderFlow, key: 'mig' });
    const orders = [];
    for (let i = 0; i < 3; i++)
      orders.push((await app.call('POST', '/api/orders', { flow: 'mig', data: orderData() })).body);
    await app.call('POST', `/api/orders/${orders[0].id}/events`, { type: 'confirm' });
    const renamed = {
      ...standardOrderFlow,
      key: 'mig',
      states: standardOrderFlow.states.map((s) =>
        s.id === 'customer_confirmed' ? { ...s, id: 'confirmed' } : s,
      ),
      transitions: standardOrderFlow.transitions.map((t) => ({
        ...t,
        from: Array.isArray(t.from)
          ? t.from.map((f) => (f === 'customer_confirmed' ? 'confirmed' : f))
          : t.from === 'customer_confirmed'
            ? 'confirmed'
            : t.from,
        to: t.to === 'customer_confirmed' ? 'confirmed' : t.to,
      })),
    };
    await app.call('PUT', '/api/flows/mig/draft', renamed);
    await app.call('POST', '/api/flows/mig/publish', {});
    const dry = await app.call('POST', '/api/flows/mig/migrate', { toVersion: 2, dryRun: true });
    expect(dry.body).toMatchObject({
      dryRun: true,
      moved: [{ fromVersion: 1, state: 'new', to: 'new', count: 2 }],
      notMoved: [{ state: 'customer_confirmed', count: 1 }],
    });
    expect((await app.call('GET', `/api/orders/${orders[1].id}`)).body.flowVersion).toBe(1);
    const real = await app.call('POST', '/api/flows/mig/migrate', {
      toVersion: 2,
      stateMap: { customer_confirmed: 'confirmed' },
    });
    expect(real.body.moved).toEqual([
      expect.objectContaining({ state: 'customer_confirmed', to: 'confirmed', count: 1 }),
      expect.objectContaining({ state: 'new', to: 'new', count: 2 }),
    ]);
    const moved = (await app.call('GET', `/api/orders/${orders[0].id}`)).body;
    expect(moved).toMatchObject({ flowVersion: 2, state: 'confirmed', version: 3 });
    expect(
      (await app.call('GET', `/api/orders/${orders[0].id}/history`)).body.items.at(-1),
    ).toMatchObject({ kind: 'migrated', from: 'customer_confirmed', to: 'confirmed' });
    expect(
      (
        await app.call('POST', `/api/orders/${orders[0].id}/events`, {
          type: 'review',
          payload: { approved: true },
        })
      ).body.state,
    ).toBe('stock_locked');
    expect((await app.call('POST', '/api/flows/mig/migrate', { toVersion: 7 })).status).toBe(404);
  });
});
