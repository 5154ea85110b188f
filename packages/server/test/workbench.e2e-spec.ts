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
});
