import { FAKE_DINGTALK, type RobotMessage, startFakeSystems } from '@ordo/fake-systems';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

type Fakes = Awaited<ReturnType<typeof startFakeSystems>>;
const FLOW = 'b2b-custom-manufacturing';

const json = (url: string, method = 'GET') =>
  fetch(url, { method }).then(async (r) => ({
    status: r.status,
    body: (r.status === 204 ? null : await r.json()) as any,
  }));

/**
 * The B2B manufacturing template end to end against the fake CRM, WMS, production schedule and
 * DingTalk robot: boards reserved (and released on cancel), the shop floor's work order
 * numbers as tracking codes, an unknown customer as its own exception, each work order posted
 * to the shop-floor group.
 */
describe.each(databaseKinds())('B2B manufacturing template on %s', (db) => {
  let app: TestApp;
  let fakes: Fakes;
  let supervisor: string;
  const byRef = async (ref: string) =>
    (await app.call('GET', `/api/orders?flow=${FLOW}&externalRef=${ref}`)).body.items[0];
  const settle = (ref: string, state: string) =>
    waitFor(async () => (await byRef(ref))?.state === state, 15_000);
  const tasksOf = async (id: string) =>
    (await app.call('GET', `/api/tasks?orderId=${id}`)).body.items;
  const boardsFree = async (sku: string) =>
    (await json(`${fakes.urls.wms}/stock/${sku}`)).body.bins.reduce(
      (n: number, b: { available: number }) => n + b.available,
      0,
    );
  const order = (ref: string, data: Record<string, unknown> = {}) =>
    app.call('POST', '/api/orders', {
      flow: FLOW,
      externalRef: ref,
      data: {
        customer: { id: 'C-1001', name: 'Foshan Home Living' },
        product: 'Shelf S-30',
        boardSku: 'BOARD-E0-18',
        boards: 5,
        qty: 3,
        amount: 900,
        line: 'L2',
        productionDate: '2026-12-21',
        ...data,
      },
    });

  beforeAll(async () => {
    fakes = await startFakeSystems();
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    // The admin set up the shop floor's group robot (token and signing secret) first.
    await app.call('POST', '/api/credentials', {
      name: 'dingtalk-shop-floor',
      secret: FAKE_DINGTALK,
      hosts: [`127.0.0.1:${new URL(fakes.urls.dingtalk).port}`],
    });
    const deployed = await app.call('POST', `/api/templates/${FLOW}/deploy`, {
      loadSamples: true,
      connectors: {
        crm: { settings: { baseUrl: fakes.urls.crm } },
        wms: { settings: { baseUrl: fakes.urls.wms } },
        production: { settings: { baseUrl: fakes.urls.production } },
        'shop-floor-group': { settings: { url: `${fakes.urls.dingtalk}/robot/send` } },
      },
    });
    expect(deployed.body).toMatchObject({
      published: true,
      credentials: { placeholders: [], existing: ['dingtalk-shop-floor'] },
      samples: { created: 6, refused: [] },
    });
    supervisor = (
      await app.call('POST', '/api/keys', { name: 'b2b-sup', roles: ['operator', 'supervisor'] })
    ).body.key;
  });
  afterAll(async () => {
    await app?.close();
    await fakes?.close();
  });

  it('happy path: boards reserved in the WMS, line booked, the work order posted to DingTalk', async () => {
    await settle('CF-3001', 'work_order_issued');
    const issued = await byRef('CF-3001');
    const { reservationId } = issued.data.reservation;
    const held = await json(`${fakes.urls.wms}/reservations/${reservationId}`);
    expect(held.body).toMatchObject({
      orderId: issued.id,
      taken: [{ sku: 'BOARD-E0-18', qty: 40 }],
    });
    expect(issued.data.workOrder.trackingCode).toMatch(/^WO-2026-\d{6}$/);
    expect(issued.data.workOrder.trackingCode).toBe(issued.data.booking.workOrderNo);
    // The tracking code is the system's: a person, even a supervisor, cannot write one.
    const forged = await app.call(
      'PATCH',
      `/api/orders/${issued.id}`,
      { workOrder: { trackingCode: 'WO-2026-999999' } },
      { as: supervisor },
    );
    expect(forged.status).toBe(403);
    // The robot checked the signature: only signed messages are recorded.
    const posted = await waitFor(async () => {
      const all = (await json(`${fakes.urls.dingtalk}/_test/messages`)).body
        .messages as RobotMessage[];
      return all.find((m) => m.text.includes(issued.data.workOrder.trackingCode));
    });
    expect(posted).toMatchObject({
      robot: FAKE_DINGTALK.accessToken,
      text: `Work order ${issued.data.workOrder.trackingCode}: 12 × Wardrobe W-220 on L1, 2026-12-14`,
    });
  });

  it('two orders never share a tracking code, however many arrive at once', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => order(`CF-U${i}`, { qty: 1 + i })),
    );
    expect(created.map((c) => c.status)).toEqual(Array(8).fill(201));
    await settle('CF-3005', 'work_order_issued');
    const codes = [];
    for (const ref of ['CF-3001', 'CF-3005', ...created.map((_, i) => `CF-U${i}`)]) {
      await settle(ref, 'work_order_issued');
      codes.push((await byRef(ref)).data.workOrder.trackingCode);
    }
    expect(new Set(codes).size).toBe(codes.length);
    const messages = (await waitFor(async () => {
      const all = (await json(`${fakes.urls.dingtalk}/_test/messages`)).body.messages;
      return all.length >= codes.length && all;
    })) as RobotMessage[];
    for (const code of codes) expect(messages.some((m) => m.text.includes(code))).toBe(true);
  });

  it('an unknown customer is its own exception, not a credit hold', async () => {
    await settle('CF-3003', 'unknown_customer');
    const unknown = await byRef('CF-3003');
    const [task] = await waitFor(async () => {
      const t = await tasksOf(unknown.id);
      return t.length && t;
    });
    expect(task).toMatchObject({ queue: 'supervisors', priority: 'high' });
    expect(task.title.en ?? task.title).toContain(
      'XC-404 (Unknown Buyer) is not a customer in the CRM',
    );
    // Over the limit is a credit hold, and says so.
    await settle('CF-3004', 'credit_hold');
    const over = await byRef('CF-3004');
    expect(over.data.holdReason).toMatch(
      /^over its credit limit: \d+ CNY left, 600000 CNY ordered$/,
    );
    expect(unknown.data.holdReason).toBeUndefined();
    const a = (await app.call('GET', `/api/flows/${FLOW}/analytics`)).body;
    const counters = Object.fromEntries(
      a.counters.map((c: { id: string; count: number }) => [c.id, c.count]),
    );
    expect(counters).toMatchObject({ unknown_customers: 1, credit_holds: 1 });
    expect(a.exceptions.byKind.map((k: { kind: string }) => k.kind)).toContain('unknown_customer');
    // Cancelling it releases nothing (nothing was reserved) and closes its task.
    const cancelled = await app.call(
      'POST',
      `/api/orders/${unknown.id}/events`,
      { type: 'cancel' },
      { as: supervisor },
    );
    expect(cancelled.body.state).toBe('cancelled');
  });

  it('boards reserved for an order whose line is full are released when it is cancelled', async () => {
    await settle('CF-3006', 'shortfall');
    const full = await byRef('CF-3006');
    expect(full.data.shortfall).toBe('line L1 is full on 2026-12-18');
    const { reservationId } = full.data.reservation;
    expect((await json(`${fakes.urls.wms}/reservations/${reservationId}`)).status).toBe(200);
    const before = await boardsFree('BOARD-E1-25');
    const cancel = await app.call(
      'POST',
      `/api/orders/${full.id}/events`,
      { type: 'cancel' },
      { as: supervisor },
    );
    expect(cancel.body.state).toBe('releasing_boards');
    await settle('CF-3006', 'cancelled');
    expect((await json(`${fakes.urls.wms}/reservations/${reservationId}`)).status).toBe(404);
    expect(await boardsFree('BOARD-E1-25')).toBe(before + 100);
  });

  it('short of boards: nothing reserved; a retry with boards held books the line again instead of reserving twice', async () => {
    await settle('CF-3002', 'shortfall');
    const short = await byRef('CF-3002');
    expect(short.data.shortfall).toBe('boards: 1500 in stock, 2000 needed');
    expect(short.data.reservation).toBeUndefined();

    // A line that is full on its day: boards held, then the supervisor retries the booking.
    const created = await order('CF-R1', { qty: 1001, line: 'L3' });
    await settle('CF-R1', 'shortfall');
    const held = (await byRef('CF-R1')).data.reservation.reservationId;
    const retried = await app.call(
      'POST',
      `/api/orders/${created.body.id}/events`,
      { type: 'retry' },
      { as: supervisor },
    );
    expect(retried.status).toBe(200);
    await settle('CF-R1', 'shortfall');
    const again = await byRef('CF-R1');
    expect(again.data.reservation.reservationId).toBe(held);
    const history = (await app.call('GET', `/api/orders/${again.id}/history`)).body.items;
    expect(
      history.filter((h: { transition?: string }) => h.transition === 'retry_booking'),
    ).toHaveLength(1);
    expect(
      history.filter((h: { transition?: string }) => h.transition === 'boards_reserved'),
    ).toHaveLength(1);
  });

  it('a robot secret that does not match: the robot refuses the signature, the work order is still issued and listed', async () => {
    await app.call('POST', '/api/credentials', {
      name: 'dingtalk-shop-floor',
      secret: { accessToken: FAKE_DINGTALK.accessToken, secret: 'SECnot-the-robots' },
      hosts: [`127.0.0.1:${new URL(fakes.urls.dingtalk).port}`],
    });
    const created = await order('CF-S1');
    await settle('CF-S1', 'work_order_issued');
    const dead = await waitFor(async () => {
      const items = (await app.call('GET', `/api/effects?orderId=${created.body.id}&status=dead`))
        .body.items;
      return items.length && items;
    });
    expect(dead[0]).toMatchObject({ type: 'notify' });
    expect(dead[0].lastError).toContain('310000');
    const code = (await byRef('CF-S1')).data.workOrder.trackingCode;
    const all = (await json(`${fakes.urls.dingtalk}/_test/messages`)).body
      .messages as RobotMessage[];
    expect(all.some((m) => m.text.includes(code))).toBe(false);
    const notes = (await app.call('GET', `/api/notifications?orderId=${created.body.id}`)).body
      .items;
    expect(notes.some((n: { message: { en: string } }) => n.message.en.includes(code))).toBe(true);
  });
});
