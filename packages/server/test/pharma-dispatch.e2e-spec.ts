import { createBank, createCarrier } from '@ordo/fake-systems';
import { TimerRunner } from '../src/timers/timer-runner';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { waitFor } from './support/wait-for';

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<any>);

/** Far from the Beijing depot (Guangzhou): a vehicle there is never close enough. */
const GUANGZHOU = { lat: 23.13, lng: 113.26 };
const NEAR_DEPOT = { lat: 39.92, lng: 116.41 };

describe.each(databaseKinds())('pharma: cold-chain dispatch and failed payments on %s', (db) => {
  let app: TestApp;
  const carrier = createCarrier();
  const bank = createBank();
  const urls = { carrier: '', bank: '' };
  const clock = new TestClock();
  let dispatcher: string;
  let finance: string;
  let n = 0;

  const order = async (data: Record<string, unknown> = {}) => {
    const ref = `PH-T${++n}`;
    const created = await app.call('POST', '/api/orders', {
      flow: 'pharma-distribution',
      externalRef: ref,
      data: {
        ref,
        clinic: { id: 'CL-101', name: 'Haidian Community Clinic' },
        // Influenza vaccine: cold chain (2-8C) in the drug catalogue.
        lines: [{ drugCode: 'XJ07BB02', qty: 10 }],
        amount: 5200,
        distanceKm: 35,
        weightKg: 40,
        ...data,
      },
    });
    expect(created.status).toBe(201);
    return created.body as { id: string };
  };
  const get = async (id: string) => (await app.call('GET', `/api/orders/${id}`)).body;
  const settled = (id: string, state: string) =>
    waitFor(async () => {
      const o = await get(id);
      return o.state === state && o;
    }, 15_000);
  const tasks = (id: string) =>
    waitFor(async () => {
      const t = (await app.call('GET', `/api/tasks?orderId=${id}`)).body.items;
      return t.length > 0 && t;
    });
  const move = (vehicle: string, position: { lat: number; lng: number }) =>
    post(`${urls.carrier}/_test/vehicles/${vehicle}`, { position });

  beforeAll(async () => {
    urls.carrier = await carrier.start();
    urls.bank = await bank.start();
    app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
    const deployed = await app.call('POST', '/api/templates/pharma-distribution/deploy', {
      loadSamples: false,
      connectors: {
        carrier: { settings: { baseUrl: urls.carrier } },
        bank: { settings: { baseUrl: urls.bank } },
      },
    });
    expect(deployed.status).toBe(200);
    const key = async (name: string, roles: string[]) =>
      (await app.call('POST', '/api/keys', { name, roles })).body.key as string;
    dispatcher = await key('dispatcher', ['operator', 'dispatcher']);
    finance = await key('finance', ['operator', 'finance']);
  });
  afterAll(async () => {
    await app.close();
    await carrier.close();
    await bank.close();
  });
  beforeEach(() => post(`${urls.carrier}/_admin/reset`, {}));

  it('books the cheapest compliant carrier: a cheaper ambient truck and a cheaper far truck are skipped', async () => {
    const { id } = await order();
    const o = await settled(id, 'awaiting_payment');
    expect(o.data.band).toBe('2-8C');
    // Every carrier's quote is kept with the order, as the carrier system answered it.
    const quoted = Object.fromEntries(o.data.offers.quotes.map((q: any) => [q.carrier, q]));
    expect(Object.keys(quoted).sort()).toEqual([
      'BlueCold',
      'JD-Cold',
      'SF-Express',
      'SinoPharm-Log',
    ]);
    // SF is cheapest but ambient; BlueCold holds 2-8C and is cheaper, but its truck is 270 km off.
    expect(quoted['SF-Express']).toMatchObject({ band: 'ambient', price: { amount: 114 } });
    expect(quoted.BlueCold.price.amount).toBeLessThan(quoted['JD-Cold'].price.amount);
    expect(quoted.BlueCold.vehicle.distanceKm).toBeGreaterThan(o.data.maxPickupKm);
    expect(o.data.quote).toMatchObject({
      carrier: 'JD-Cold',
      band: '2-8C',
      price: { amount: 187, currency: 'CNY' },
      vehicle: { id: 'JD-C3', position: { lat: 39.85, lng: 116.45 } },
    });
    // The chosen carrier and vehicle are the ones booked.
    expect(o.data.shipment).toMatchObject({
      carrier: 'JD-Cold',
      vehicleId: 'JD-C3',
      trackingNo: expect.stringMatching(/^TRK/),
    });
    const history = (await app.call('GET', `/api/orders/${id}/history`)).body.items;
    expect(history.map((h: any) => h.transition).filter(Boolean)).toEqual(
      expect.arrayContaining(['choose_carrier', 'within_budget', 'dispatched']),
    );
  });

  it('reads the live positions: once the cheaper truck is near the depot, it is chosen', async () => {
    await move('BC-7', NEAR_DEPOT);
    const { id } = await order();
    const o = await settled(id, 'awaiting_payment');
    expect(o.data.quote).toMatchObject({
      carrier: 'BlueCold',
      vehicle: { id: 'BC-7' },
      price: { amount: 151 },
    });
    // An ambient order takes the ambient carrier; an ETA limit no truck can meet skips them all.
    const ambient = await order({ lines: [{ drugCode: 'XA10BA02', qty: 5 }] });
    expect((await settled(ambient.id, 'awaiting_payment')).data.quote.carrier).toBe('SF-Express');
    const rush = await order({ maxEtaHours: 0.5 });
    await settled(rush.id, 'no_carrier');
  });

  it('no compliant quote: its own exception state and a task for the dispatch desk; a re-quote books', async () => {
    for (const v of ['BC-7', 'JD-C3', 'SP-12']) await move(v, GUANGZHOU);
    const { id } = await order();
    const o = await settled(id, 'no_carrier');
    expect(o.data.quote ?? null).toBeNull();
    expect(o.data.offers.quotes).toHaveLength(4);
    const [task] = await tasks(id);
    expect(task).toMatchObject({ queue: 'dispatch-desk', priority: 'high', status: 'open' });
    expect(task.title.en).toContain('No carrier can take');
    // A JD truck comes back to Beijing; the dispatcher asks again.
    await move('JD-C3', NEAR_DEPOT);
    const operatorOnly = (await app.call('POST', '/api/keys', { name: 'op', roles: ['operator'] }))
      .body.key;
    expect(
      (
        await app.call(
          'POST',
          `/api/orders/${id}/events`,
          { type: 'requote' },
          { as: operatorOnly },
        )
      ).status,
    ).toBe(403);
    const requoted = await app.call(
      'POST',
      `/api/orders/${id}/events`,
      { type: 'requote' },
      { as: dispatcher },
    );
    expect(requoted.status).toBe(200);
    const booked = await settled(id, 'awaiting_payment');
    expect(booked.data.quote).toMatchObject({ carrier: 'JD-Cold', vehicle: { id: 'JD-C3' } });
    // The no-carrier task closed by itself when the order left the state.
    const after = (await app.call('GET', `/api/tasks?orderId=${id}&status=closed`)).body.items;
    expect(after.find((t: any) => t.id === task.id).status).not.toBe('open');
    const analytics = (await app.call('GET', '/api/flows/pharma-distribution/analytics')).body;
    // Two orders found no carrier: this one and the rush order of the test before.
    expect(analytics.counters.find((c: any) => c.id === 'no_carrier')).toMatchObject({ count: 2 });
  });

  it('a failed bank payment reaches finance within one poll; finance asks the bank again and it is paid', async () => {
    const { id } = await order({ lines: [{ drugCode: 'XA10BA02', qty: 5 }] });
    const o = await settled(id, 'awaiting_payment');
    await waitFor(
      async () => (await app.call('GET', `/api/orders/${id}/timers`)).body.items.length === 1,
    );
    await post(`${urls.bank}/payments/${o.data.ref}/settle`, {
      failed: true,
      reason: 'account_frozen',
    });
    clock.offset += 15 * 60_000;
    await app.server.app.get(TimerRunner).drain();
    const failed = await settled(id, 'payment_failed');
    expect(failed.data.payment).toEqual({ status: 'failed', reason: 'account_frozen' });
    const [task] = await tasks(id);
    expect(task).toMatchObject({ queue: 'finance', priority: 'high', status: 'open' });
    expect(task.title.en).toContain('account_frozen');
    // No person may claim the payment paid; finance may ask the bank again.
    expect(
      (
        await app.call(
          'POST',
          `/api/orders/${id}/events`,
          { type: 'retry_payment' },
          { as: dispatcher },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await app.call(
          'POST',
          `/api/orders/${id}/events`,
          { type: 'retry_payment' },
          { as: finance },
        )
      ).status,
    ).toBe(200);
    // The bank has the new request (pending) before it settles it.
    await waitFor(
      async () =>
        (await fetch(`${urls.bank}/payments/${o.data.ref}`).then((r) => r.json() as Promise<any>))
          .status === 'pending',
    );
    await post(`${urls.bank}/payments/${o.data.ref}/settle`, {});
    await waitFor(
      async () => (await app.call('GET', `/api/orders/${id}/timers`)).body.items.length === 1,
    );
    clock.offset += 15 * 60_000;
    await app.server.app.get(TimerRunner).drain();
    await settled(id, 'paid');
  });

  it('a bank that notifies settlements: a failure reaches finance at once, without a poll', async () => {
    // The bank signs with the real time: the server's clock, moved by the tests before, is too.
    clock.offset = 0;
    const secret = `whsec_${Buffer.from('bank-hook-secret-0123456789abcdef').toString('base64')}`;
    await app.call('POST', '/api/credentials', {
      name: 'bank-hook',
      secret: { secret },
      hosts: [],
    });
    await post(`${urls.bank}/_test/hook`, {
      url: `${app.url}/api/hooks/pharma-distribution/bank-payment`,
      secret,
    });
    const failing = await order({ lines: [{ drugCode: 'XA10BA02', qty: 5 }] });
    const paying = await order({ lines: [{ drugCode: 'XA10BA02', qty: 5 }] });
    const refs: Record<string, string> = {};
    for (const o of [failing, paying])
      refs[o.id] = (await settled(o.id, 'awaiting_payment')).data.ref;
    await waitFor(
      async () =>
        (await fetch(`${urls.bank}/payments/${refs[paying.id]}`)).status === 200 &&
        (await fetch(`${urls.bank}/payments/${refs[failing.id]}`)).status === 200,
    );
    const told = await post(`${urls.bank}/payments/${refs[failing.id]}/settle`, {
      failed: true,
      reason: 'account_closed',
    });
    expect(told.delivery.status).toBe(200);
    // No clock moved, no poll ran: the notice itself moved the order.
    const failed = await get(failing.id);
    expect(failed).toMatchObject({
      state: 'payment_failed',
      data: { payment: { status: 'failed', reason: 'account_closed' } },
    });
    const [task] = await tasks(failing.id);
    expect(task).toMatchObject({ queue: 'finance', priority: 'high' });
    expect(
      (await post(`${urls.bank}/payments/${refs[paying.id]}/settle`, {})).delivery.status,
    ).toBe(200);
    expect((await get(paying.id)).state).toBe('paid');
    // A second notice for the paid order is refused (it cannot move a paid order) and kept.
    expect(
      (await post(`${urls.bank}/payments/${refs[paying.id]}/settle`, {})).delivery.status,
    ).toBe(422);
    const kept = (
      await app.call('GET', '/api/exceptions?flow=pharma-distribution&kind=refused_delivery')
    ).body.items;
    expect(kept).toEqual([
      expect.objectContaining({
        orderId: paying.id,
        detail: expect.objectContaining({
          trigger: 'bank-payment',
          problem: 'no_transition',
          payload: { orderId: refs[paying.id], amount: 5200, status: 'paid' },
        }),
      }),
    ]);
  });
});
