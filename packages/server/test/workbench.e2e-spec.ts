import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

describe.each(databaseKinds())('the workbench API on %s', (db) => {
  let app: TestApp;
  const ids: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    for (let i = 0; i < 5; i++)
      ids.push(
        (await app.call('POST', '/api/orders', { flow: 'standard-order', data: orderData() })).body
          .id,
      );
    await app.call('POST', `/api/orders/${ids[4]}/events`, { type: 'confirm' });
  });
  afterAll(() => app.close());

  it('counts the orders of a flow per state', async () => {
    const counts = await app.call('GET', '/api/orders/counts?flow=standard-order');
    expect(counts.body).toEqual({
      flow: 'standard-order',
      total: 5,
      states: { new: 4, customer_confirmed: 1 },
    });
    const missing = await app.call('GET', '/api/orders/counts');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('/flow');
  });

  it('fires one event on many orders, with a result per order', async () => {
    const bulk = await app.call('POST', '/api/orders/bulk/events', {
      ids: [ids[0], ids[1], ids[4], 'no-such-order'],
      type: 'confirm',
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.fired).toBe(2);
    expect(bulk.body.results).toEqual([
      { id: ids[0], ok: true, state: 'customer_confirmed', version: 2 },
      { id: ids[1], ok: true, state: 'customer_confirmed', version: 2 },
      expect.objectContaining({ id: ids[4], ok: false, status: 422, code: 'no_transition' }),
      expect.objectContaining({ id: 'no-such-order', ok: false, status: 404 }),
    ]);
    const bad = await app.call('POST', '/api/orders/bulk/events', { ids: [], type: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/ids', '/type']);
  });

  it('keeps saved views per person, shares them on request, and refuses bad ones', async () => {
    const key = async (name: string) =>
      (await app.call('POST', '/api/keys', { name, roles: ['operator'] })).body.key as string;
    const ann = await key('ann');
    const bob = await key('bob');
    const settings = { flow: 'standard-order', state: 'new', q: '', filters: { channel: 'csv' } };
    const saved = await app.call('PUT', '/api/views/orders/New%20CSV', { settings }, { as: ann });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: 'New CSV', page: 'orders', settings, shared: false });
    // Saving under the same name replaces it.
    const shared = await app.call(
      'PUT',
      '/api/views/orders/New%20CSV',
      { settings: { ...settings, state: '' }, shared: true },
      { as: ann },
    );
    expect(shared.body.id).toBe(saved.body.id);
    await app.call('PUT', '/api/views/orders/Mine', { settings }, { as: ann });
    const names = async (as: string) =>
      (await app.call('GET', '/api/views?page=orders', undefined, { as })).body.items.map(
        (v: { name: string }) => v.name,
      );
    expect(await names(ann)).toEqual(['Mine', 'New CSV']);
    expect(await names(bob)).toEqual(['New CSV']);
    const bobs = (await app.call('GET', '/api/views?page=orders', undefined, { as: bob })).body;
    expect(bobs.items[0]).toMatchObject({ mine: false, shared: true, settings: { state: '' } });
    // Bob can use Ann's shared view but not delete it; an admin can.
    const denied = await app.call('DELETE', `/api/views/${saved.body.id}`, undefined, { as: bob });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toContain('application/problem+json');
    const mine = (await app.call('GET', '/api/views?page=orders', undefined, { as: ann })).body
      .items[0];
    expect((await app.call('DELETE', `/api/views/${mine.id}`, undefined, { as: bob })).status).toBe(
      404,
    );
    expect((await app.call('DELETE', `/api/views/${saved.body.id}`)).status).toBe(204);
    expect(await names(bob)).toEqual([]);

    const bad = await app.call('PUT', '/api/views/orders/x', { settings: 'all', extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/extra',
      '/settings',
    ]);
    const page = await app.call('GET', '/api/views?page=Orders!');
    expect(page.status).toBe(400);
    expect(page.body.errors[0].path).toBe('/page');
    const long = await app.call('PUT', `/api/views/orders/${'x'.repeat(101)}`, { settings });
    expect(long.body.errors[0].path).toBe('/name');
    // A path segment past what the router takes is a problem too, not the router's own answer.
    const huge = await app.call('GET', `/api/orders/${'x'.repeat(600)}`);
    expect(huge.status).toBe(414);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(huge.body.code).toBe('path_too_long');
    const malformed = await app.call('GET', '/api/orders/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('bad_url');
  });
});
