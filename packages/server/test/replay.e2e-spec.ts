import { standardOrderFlow } from '@ordo/engine/testing';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

describe.each(databaseKinds())('replaying real orders on a draft, on %s', (db) => {
  let app: TestApp;
  const ids: string[] = [];
  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    for (let i = 0; i < 3; i++) {
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: orderData(),
      });
      ids.push(order.id);
    }
    // Two of them move on: confirmed, then reviewed (which locks stock automatically).
    for (const id of ids.slice(0, 2)) {
      await app.call('POST', `/api/orders/${id}/events`, { type: 'confirm' });
      await app.call('POST', `/api/orders/${id}/events`, {
        type: 'review',
        payload: { approved: true },
      });
    }
  });
  afterAll(() => app.close());

  it('finds every order the same on an unchanged draft', async () => {
    const res = await app.call('POST', '/api/flows/standard-order/replay', {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ against: 'draft', replayed: 3, same: 3, different: [] });
  });

  it('names the orders a changed draft would treat differently, and the step it refuses', async () => {
    const draft = JSON.parse(JSON.stringify(standardOrderFlow));
    // Finance now approves with a signed-off amount the recorded events never carried.
    draft.transitions.find((t: { id: string }) => t.id === 'review').guard = {
      '!!': [{ var: '$event.signedOff' }],
    };
    await app.call('PUT', '/api/flows/standard-order/draft', draft);
    const res = await app.call('POST', '/api/flows/standard-order/replay', { limit: 10 });
    expect(res.body).toMatchObject({ replayed: 3, same: 1 });
    expect(res.body.different.map((d: { orderId: string }) => d.orderId).sort()).toEqual(
      ids.slice(0, 2).sort(),
    );
    expect(res.body.different[0]).toMatchObject({
      same: false,
      recorded: { state: 'stock_locked' },
      replayed: null,
      refused: { kind: 'transition', event: 'review', code: 'guard_failed' },
    });
    // A draft that sends reviewed orders elsewhere: they part at the review.
    const elsewhere = JSON.parse(JSON.stringify(standardOrderFlow));
    elsewhere.transitions.find((t: { id: string }) => t.id === 'review').to = 'cancelled';
    await app.call('PUT', '/api/flows/standard-order/draft', elsewhere);
    const parted = await app.call('POST', '/api/flows/standard-order/replay', {});
    expect(parted.body.different[0]).toMatchObject({
      recorded: { state: 'stock_locked' },
      replayed: { state: 'cancelled' },
      parted: { event: 'review', recorded: 'stock_locked', replayed: 'cancelled' },
    });
    // Against the published version, nothing differs.
    const published = await app.call('POST', '/api/flows/standard-order/replay', { version: 1 });
    expect(published.body).toMatchObject({ against: 1, same: 3 });
  });

  it('answers bad requests clearly', async () => {
    expect((await app.call('POST', '/api/flows/nope/replay', {})).status).toBe(404);
    const bad = await app.call('POST', '/api/flows/standard-order/replay', { limit: 0 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/limit');
    const broken = JSON.parse(JSON.stringify(standardOrderFlow));
    broken.states = broken.states.map((s: { initial?: boolean }) => ({ ...s, initial: false }));
    await app.call('PUT', '/api/flows/standard-order/draft', broken);
    const refused = await app.call('POST', '/api/flows/standard-order/replay', {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('invalid_flow');
    expect(
      (await app.call('POST', '/api/flows/standard-order/replay', { version: 9 })).status,
    ).toBe(404);
  });
});
