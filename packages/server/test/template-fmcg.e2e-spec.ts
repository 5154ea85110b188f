import { FAKE_WECOM_KEY, type RobotMessage, startFakeSystems } from '@ordo/fake-systems';
import { deliver } from './support/hooks';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

type Fakes = Awaited<ReturnType<typeof startFakeSystems>>;
const FLOW = 'fmcg-distribution';
const WMS_SECRET = `whsec_${Buffer.from('fmcg-wms-hook-secret-for-tests!').toString('base64')}`;

const json = (url: string, body?: unknown) =>
  fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

/**
 * The FMCG template end to end against the fake WMS, carrier and WeCom robot: pick and pack
 * reported by the WMS (or confirmed by the warehouse) before the carrier hand-off, every
 * status change in the store group, rush shipments counted.
 */
describe.each(databaseKinds())('FMCG template on %s', (db) => {
  let app: TestApp;
  let fakes: Fakes;
  const byRef = async (ref: string) =>
    (await app.call('GET', `/api/orders?flow=${FLOW}&externalRef=${ref}`)).body.items[0];
  const settle = (ref: string, state: string) =>
    waitFor(async () => (await byRef(ref))?.state === state, 15_000);
  const robot = async (store: string) =>
    ((await json(`${fakes.urls.wecom}/_test/messages`)).body.messages as RobotMessage[])
      .filter((m) => m.text.includes(`(${store})`))
      .map((m) => m.text);
  const scan = async (ref: string, step: 'picked' | 'packed', body: object = {}) => {
    const { pick } = (await byRef(ref)).data;
    return json(`${fakes.urls.wms}/picks/${pick.pickId}/${step}`, body);
  };
  const port = (url: string) => `127.0.0.1:${new URL(url).port}`;

  beforeAll(async () => {
    fakes = await startFakeSystems();
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    // The admin set up the group robot and the WMS's webhook before deploying: the deploy
    // keeps both credentials.
    await app.call('POST', '/api/credentials', {
      name: 'wecom-store-group',
      secret: { key: FAKE_WECOM_KEY },
      hosts: [port(fakes.urls.wecom)],
    });
    await app.call('POST', '/api/credentials', {
      name: 'wms-hook',
      secret: { secret: WMS_SECRET },
      hosts: [],
    });
    await app.call('POST', '/api/credentials', {
      name: 'dingtalk-store-robot',
      secret: { appSecret: 'fmcg-dingtalk-app-secret' },
      hosts: [],
    });
    await json(`${fakes.urls.wms}/_test/hook`, {
      url: `${app.url}/api/hooks/${FLOW}/wms-picks`,
      secret: WMS_SECRET,
    });
    const deployed = await app.call('POST', `/api/templates/${FLOW}/deploy`, {
      loadSamples: true,
      connectors: {
        wms: { settings: { baseUrl: fakes.urls.wms } },
        carrier: { settings: { baseUrl: fakes.urls.carrier } },
        'store-group': { settings: { url: `${fakes.urls.wecom}/cgi-bin/webhook/send` } },
        'bin-master': { settings: { baseUrl: fakes.urls['bin-master'] } },
      },
    });
    expect(deployed.body).toMatchObject({
      published: true,
      credentials: {
        placeholders: ['erp-hook'],
        existing: ['wecom-store-group', 'wms-hook', 'dingtalk-store-robot'],
      },
      datasets: { created: ['sku-bins', 'sku-aliases'], refreshed: ['sku-bins'] },
      samples: { created: 6, refused: [] },
    });
  });
  afterAll(async () => {
    await app?.close();
    await fakes?.close();
  });

  it('happy path: stock locked, picked and packed by the WMS, handed over; the store group hears each step', async () => {
    await settle('FM-2001', 'picking');
    const locked = await byRef('FM-2001');
    expect(locked.data).toMatchObject({
      reservation: { reservationId: expect.stringMatching(/^R-/) },
      pick: { pickId: expect.stringMatching(/^PK-/) },
    });
    // No carrier before the goods are packed.
    expect(locked.data.shipment).toBeUndefined();
    expect((await scan('FM-2001', 'picked')).body).toMatchObject({ status: 200 });
    expect((await byRef('FM-2001')).state).toBe('packing');
    // The WMS refuses a step out of order; Ordo hears nothing of it.
    expect((await scan('FM-2001', 'picked')).status).toBe(409);
    await scan('FM-2001', 'packed', { parcels: 3 });
    await settle('FM-2001', 'shipped');
    const shipped = await byRef('FM-2001');
    expect(shipped.data).toMatchObject({
      pick: { parcels: 3 },
      shipment: { trackingNo: expect.stringMatching(/^TRK/) },
    });
    const history = (await app.call('GET', `/api/orders/${shipped.id}/history`)).body.items;
    expect(history.map((h: { to?: string }) => h.to).filter(Boolean)).toEqual(
      expect.arrayContaining(['stock_locked', 'picking', 'packing', 'packed', 'shipped']),
    );
    const effects = (await app.call('GET', `/api/orders/${shipped.id}/effects`)).body.items;
    expect(effects.find((e: { type: string }) => e.type === 'emit').effect).toMatchObject({
      event: 'invoice.requested',
      payload: { store: 'S-0101', amount: 540, trackingNo: shipped.data.shipment.trackingNo },
    });
    await app.call('POST', `/api/orders/${shipped.id}/events`, { type: 'invoiced' });
    const expected = [
      'Hongqiao Store (S-0101): order received, 540 CNY',
      'Hongqiao Store (S-0101): approved by rule: under 20,000 CNY; reserving stock',
      'Stock locked for Hongqiao Store (S-0101)',
      'Hongqiao Store (S-0101): picking, pick list',
      'Hongqiao Store (S-0101): picked, packing',
      'Hongqiao Store (S-0101): packed, 3 parcel(s); booking the carrier',
      'Hongqiao Store: shipped, tracking TRK',
      'Hongqiao Store (S-0101): invoiced',
    ];
    // Every status change once, in order (the shipped message names the store without code).
    const told = await waitFor(async () => {
      const all = (
        (await json(`${fakes.urls.wecom}/_test/messages`)).body.messages as RobotMessage[]
      )
        .map((m) => m.text)
        .filter((t) => t.startsWith('Hongqiao Store') || t.includes('(S-0101)'));
      return all.length === expected.length && all;
    });
    told.forEach((text, i) => expect(text.startsWith(expected[i])).toBe(true));
  });

  it("the warehouse confirms picking and packing by hand when the WMS does not report; the system-only steps stay the WMS's", async () => {
    await settle('FM-2006', 'picking');
    const order = await byRef('FM-2006');
    const clerk = (await app.call('POST', '/api/keys', { name: 'fmcg-clerk', roles: ['operator'] }))
      .body.key;
    const picker = (
      await app.call('POST', '/api/keys', { name: 'fmcg-picker', roles: ['operator', 'warehouse'] })
    ).body.key;
    const fire = (type: string, as: string) =>
      app.call('POST', `/api/orders/${order.id}/events`, { type }, { as });
    expect((await fire('confirm_picked', clerk)).status).toBe(403);
    const spoofed = await fire('picked', picker);
    expect(spoofed.status).toBe(403);
    expect(spoofed.body.errors[0].code).toBe('system_only');
    expect((await fire('confirm_picked', picker)).body.state).toBe('packing');
    expect((await fire('confirm_packed', picker)).body.state).toBe('packed');
    await settle('FM-2006', 'shipped');
  });

  it('refuses a pick report not signed by the WMS, and one for no order', async () => {
    const order = await byRef('FM-2002');
    await settle('FM-2002', 'picking');
    const forged = await deliver(
      app,
      `${FLOW}/wms-picks`,
      { event: 'picked', orderId: order.id },
      { secret: `whsec_${Buffer.from('not-the-wms-secret-at-all-00000').toString('base64')}` },
    );
    expect(forged.status).toBe(401);
    expect((await byRef('FM-2002')).state).toBe('picking');
    const ghost = await deliver(
      app,
      `${FLOW}/wms-picks`,
      { event: 'picked', orderId: '00000000-0000-4000-8000-000000000000' },
      { secret: WMS_SECRET },
    );
    expect(ghost.status).toBe(202);
    expect(ghost.body.exceptionId).toEqual(expect.any(Number));
  });

  it('an order cancelled after the stock lock gives its stock back and voids its pick list', async () => {
    const stock = async () =>
      (await json(`${fakes.urls.wms}/stock/SKU-JUICE-1L`)).body.bins.find(
        (b: { bin: string }) => b.bin === 'P-02',
      ).available as number;
    const before = await stock();
    const created = await app.call('POST', '/api/orders', {
      flow: FLOW,
      externalRef: 'FM-C1',
      data: {
        store: 'S-0120',
        storeName: 'Xuhui Store',
        lines: [{ sku: 'SKU-JUICE-1L', qty: 30, bin: 'P-02', price: 8 }],
        amount: 240,
      },
    });
    expect(created.status).toBe(201);
    await settle('FM-C1', 'picking');
    expect(await stock()).toBe(before - 30);
    const key = async (name: string, roles: string[]) =>
      (await app.call('POST', '/api/keys', { name, roles })).body.key as string;
    const picker = await key('fmcg-cancel-picker', ['operator', 'warehouse']);
    const manager = await key('fmcg-cancel-manager', ['operator', 'sales_manager']);
    const cancel = (as: string) =>
      app.call('POST', `/api/orders/${created.body.id}/events`, { type: 'cancel' }, { as });
    // Only a sales manager cancels an order that holds stock.
    expect((await cancel(picker)).status).toBe(403);
    expect((await cancel(manager)).body.state).toBe('releasing_stock');
    await settle('FM-C1', 'cancelled');
    expect(await stock()).toBe(before);
    // The warehouse's scanner is refused on the void pick list; Ordo hears nothing.
    const late = await scan('FM-C1', 'picked');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'wrong_step', status: 'cancelled' });
    expect((await byRef('FM-C1')).state).toBe('cancelled');
    // The group hears of it once the notification's effect has run (after the state change).
    await waitFor(async () => (await robot('S-0120')).some((t) => t.includes('cancelled')));
  });

  it("refreshes the bin master from the WMS's: a re-slotting becomes the next version and moves the bin check", async () => {
    const bins = async () => (await app.call('GET', '/api/datasets/sku-bins')).body;
    // The deploy configured the refresh; the fake master holds the template's slotting.
    const first = await app.call('POST', '/api/datasets/sku-bins/refresh/run');
    expect(first.body).toMatchObject({ outcome: 'ok', version: null });
    expect((await bins()).version).toBe(1);
    const master = (await json(`${fakes.urls['bin-master']}/master/bins`)).body.data.bins;
    const moved = master.map((b: { sku: string }) =>
      b.sku === 'SKU-TEA-500' ? { ...b, bin: 'P-05' } : b,
    );
    await json(`${fakes.urls['bin-master']}/master/bins`, { bins: moved });
    const run = await app.call('POST', '/api/datasets/sku-bins/refresh/run');
    expect(run.body).toMatchObject({ outcome: 'ok', version: 2 });
    const row = (await app.call('GET', '/api/datasets/sku-bins/rows?q=SKU-TEA-500')).body.items[0];
    expect(row.values).toMatchObject({ primaryBin: 'P-05', zone: 'ambient' });
    const order = (ref: string, bin: string) =>
      app.call('POST', '/api/orders', {
        flow: FLOW,
        externalRef: ref,
        data: {
          store: 'S-0130',
          lines: [{ sku: 'SKU-TEA-500', qty: 5, bin, price: 3 }],
          amount: 15,
        },
      });
    const stale = await order('FM-B1', 'P-01');
    expect(stale.body.state).toBe('received');
    // The new primary bin passes the check: auto-approved.
    expect((await order('FM-B2', 'P-05')).body.state).toBe('approved');
  });

  it('counts rush orders received and rush orders shipped', async () => {
    // FM-2002 is the samples' rush order: it is picked and packed, and shipped.
    await settle('FM-2002', 'picking');
    await scan('FM-2002', 'picked');
    await scan('FM-2002', 'packed', { parcels: 1 });
    await settle('FM-2002', 'shipped');
    // A second rush order that stays short of stock counts as received, not shipped.
    const short = await app.call('POST', '/api/orders', {
      flow: FLOW,
      externalRef: 'FM-R2',
      data: {
        store: 'S-0199',
        storeName: 'Minhang Store',
        lines: [{ sku: 'SKU-MILK-1L', qty: 9000, bin: 'P-01' }],
        amount: 900,
        rush: true,
      },
    });
    expect(short.status).toBe(201);
    await settle('FM-R2', 'stock_short');
    const counters = await waitFor(async () => {
      const a = (await app.call('GET', `/api/flows/${FLOW}/analytics`)).body;
      const c = Object.fromEntries(
        a.counters.map((x: { id: string; count: number }) => [x.id, x.count]),
      );
      return c.rush === 2 && c.rush_shipped === 1 && c;
    });
    expect(counters).toMatchObject({ rush: 2, rush_shipped: 1 });
    // The operator drills down to the orders behind the figure.
    const drill = await app.call('GET', `/api/orders?flow=${FLOW}&counter=rush_shipped`);
    expect(drill.body.items.map((o: { externalRef: string }) => o.externalRef)).toEqual([
      'FM-2002',
    ]);
    await waitFor(async () => (await robot('S-0199')).some((t) => t.includes('stock short')));
  });

  it('a robot that refuses the key: the notification stays in the list, its channel delivery is dead with the errcode', async () => {
    await app.call('POST', '/api/credentials', {
      name: 'wecom-store-group',
      secret: { key: 'revoked-key' },
      hosts: [port(fakes.urls.wecom)],
    });
    const created = await app.call('POST', '/api/orders', {
      flow: FLOW,
      externalRef: 'FM-K1',
      data: {
        store: 'S-0777',
        storeName: 'Qingpu Store',
        lines: [{ sku: 'SKU-COLA-330', qty: 1, bin: 'P-01' }],
        amount: 30000,
      },
    });
    expect(created.body.state).toBe('awaiting_approval');
    const dead = await waitFor(async () => {
      const items = (await app.call('GET', `/api/effects?orderId=${created.body.id}&status=dead`))
        .body.items;
      return items.length && items;
    });
    expect(dead[0]).toMatchObject({ type: 'notify' });
    expect(dead[0].lastError).toContain('93000');
    expect(await robot('S-0777')).toEqual([]);
    const notes = (await app.call('GET', `/api/notifications?orderId=${created.body.id}`)).body
      .items;
    expect(notes.length).toBeGreaterThan(0);
  });
});
