import { startFakeSystems } from '@ordo/fake-systems';
import { calendarOf, type DataSetRow, workedBetween } from '@ordo/engine';
import { TestClock } from './support/test-clock';
import { deliver } from './support/hooks';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { deploy, type Fakes, json, ordersOf } from './support/templates';
import { waitFor } from './support/wait-for';

describe.each(databaseKinds())('industry templates on %s', (db) => {
  let app: TestApp;
  let fakes: Fakes;
  const clock = new TestClock();
  const { settle, tasksOf, byRef } = ordersOf(() => app);

  beforeAll(async () => {
    fakes = await startFakeSystems();
    app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
  });
  afterAll(async () => {
    await app.close();
    await fakes.close();
  });

  it('lists the templates with what the gallery shows', async () => {
    const list = await app.call('GET', '/api/templates');
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining([
        'status-sync',
        'fmcg-distribution',
        'b2b-custom-manufacturing',
        'pharma-distribution',
      ]),
    );
    for (const t of list.body.items) {
      expect(t).toMatchObject({
        name: expect.anything(),
        summary: expect.anything(),
        checklist: expect.any(Array),
      });
      expect(t.flow.states.length).toBeGreaterThan(2);
      expect(t.samples).toBeGreaterThan(0);
    }
    expect((await app.call('GET', '/api/templates/nope')).status).toBe(404);
    expect((await app.call('GET', '/api/templates/..%2Fpackages')).status).toBe(404);
  });

  it('refuses a deploy that names a connector the template does not have, writing nothing', async () => {
    const bad = await app.call('POST', '/api/templates/status-sync/deploy', {
      connectors: { ftp: { settings: { baseUrl: 'x' } } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/connectors/ftp');
    expect((await app.call('GET', '/api/flows/status-sync')).status).toBe(404);
  });

  describe('status-sync', () => {
    const systems = ['crm', 'erp', 'wms', 'tms'];
    let secret: string;
    const report = (system: string, ref: string, status: string, extra: object = {}) =>
      deliver(app, `status-sync/${system}-status`, { ref, status, ...extra }, { secret });
    const pushes = async (system: string, ref: string) =>
      (await json(`${fakes.urls[`${system}-status` as keyof Fakes['urls']]}/_test/pushes`)).pushes
        .filter((p: { ref: string }) => p.ref === ref)
        .map((p: { status: string }) => p.status);

    it('deploys once: flow, placeholder credential, sample orders; a second deploy changes nothing', async () => {
      const urls = Object.fromEntries(
        systems.map((s) => [s, fakes.urls[`${s}-status` as keyof Fakes['urls']]]),
      );
      const first = await deploy(app, 'status-sync', urls);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        flow: 'status-sync',
        version: 1,
        published: true,
        credentials: { placeholders: ['sync-hook'] },
        samples: { created: 5, existing: 0, refused: [] },
      });
      expect(first.body.checklist.length).toBeGreaterThan(2);
      const again = await deploy(app, 'status-sync', urls);
      expect(again.body).toMatchObject({
        version: 1,
        published: false,
        credentials: { placeholders: [], existing: ['sync-hook'] },
        samples: { created: 0, existing: 5 },
      });
      // The test plays the systems: it sets the secret they sign with.
      secret = `whsec_${Buffer.from('status-sync-test-secret-0123456').toString('base64')}`;
      await app.call('POST', '/api/credentials', {
        name: 'sync-hook',
        secret: { secret },
        hosts: [],
      });
      for (const s of systems) await waitFor(async () => (await pushes(s, 'SS-1001')).length === 1);
    });

    it('happy path: each system moves the order a step and hears the others in its own codes', async () => {
      expect((await report('crm', 'SS-1001', 'CONFIRMED')).body).toMatchObject({
        state: 'customer_confirmed',
      });
      expect((await report('erp', 'SS-1001', '30', { reviewer: 'li.na' })).body).toMatchObject({
        state: 'finance_reviewed',
      });
      expect((await report('wms', 'SS-1001', 'LOCKED', { available: 500 })).body).toMatchObject({
        state: 'stock_locked',
      });
      expect(
        (await report('tms', 'SS-1001', 'T-BOOKED', { carrier: 'SF Express', trackingNo: 'SF123' }))
          .body,
      ).toMatchObject({ state: 'logistics_booked' });
      expect((await report('tms', 'SS-1001', 'T-DELIVERED')).body).toMatchObject({ state: 'done' });
      const order = await byRef('status-sync', 'SS-1001');
      expect(order.data).toMatchObject({
        finance: { approved: true, reviewer: 'li.na' },
        stock: { available: 500 },
        logistics: { carrier: 'SF Express' },
      });
      // Each system hears the states it did not report, in order; a push that would land after
      // a newer state it is told (or reported) is dropped, so one in between may be missing.
      const inOrder = (told: string[], expected: string[]) =>
        told.every(
          (c, i) =>
            expected.includes(c) &&
            (i === 0 || expected.indexOf(told[i - 1]) < expected.indexOf(c)),
        );
      await waitFor(async () => (await pushes('crm', 'SS-1001')).at(-1) === 'CLOSED');
      const crm = await pushes('crm', 'SS-1001');
      expect(inOrder(crm, ['OPEN', 'CREDIT_OK', 'ALLOCATED', 'SHIPPING', 'CLOSED'])).toBe(true);
      const tms = await pushes('tms', 'SS-1001');
      expect(tms[0]).toBe('T-NEW');
      expect(inOrder(tms, ['T-NEW', 'T-ACK', 'T-FIN', 'T-READY'])).toBe(true);
    });

    it('unhappy paths: stock locked before finance, too little stock, an unknown order', async () => {
      expect((await report('wms', 'SS-1002', 'LOCKED', { available: 999 })).status).toBe(422);
      await report('crm', 'SS-1002', 'CONFIRMED');
      await report('erp', 'SS-1002', '30');
      const short = await report('wms', 'SS-1002', 'LOCKED', { available: 10 });
      expect(short.status).toBe(422);
      expect(short.body.code).toBe('guard_failed');
      expect((await byRef('status-sync', 'SS-1002')).state).toBe('finance_reviewed');
      // The refused report is kept with the WMS's payload, and a person on the sync desk sees it.
      const kept = (await app.call('GET', `/api/exceptions/${short.body.exceptionId}`)).body;
      expect(kept).toMatchObject({
        kind: 'refused_delivery',
        resolution: 'task',
        detail: {
          system: 'wms',
          problem: 'guard_failed',
          payload: { ref: 'SS-1002', available: 10 },
        },
      });
      const desk = (await app.call('GET', '/api/tasks?queue=sync-desk')).body.items;
      expect(
        desk.find((t: { exceptionId: number }) => t.exceptionId === kept.id).title.en,
      ).toContain('wms reported a status Ordo refused');
      const ghost = await report('erp', 'SS-9999', '20');
      expect(ghost.status).toBe(202);
      const tasks = (await app.call('GET', '/api/tasks?queue=sync-desk')).body.items;
      expect(
        tasks.some((t: { exceptionId: number }) => t.exceptionId === ghost.body.exceptionId),
      ).toBe(true);
    });
  });
  it('status-sync: reconciliation repairs a drifted system, and a refusing one goes to the sync desk', async () => {
    const erp = fakes.urls['erp-status'];
    await json(`${erp}/_test/disagree`, { ref: 'SS-1003', status: '40' });
    await json(`${erp}/_test/disagree`, { ref: 'SS-1004', status: '50' });
    await json(`${erp}/_test/refuse`, { ref: 'SS-1004' });
    const run = await app.call('POST', '/api/flows/status-sync/reconciliations', { system: 'erp' });
    const [report] = run.body.items;
    const byRef = Object.fromEntries(report.drift.map((d: any) => [d.externalRef, d]));
    // SS-1002's finance review was the ERP's own report (never echoed back to it; its earlier
    // push may have been dropped as stale): the ERP still says 10 or 20. SS-1003 drifted. Both
    // are told our status again.
    expect(byRef['SS-1003']).toMatchObject({ code: '40', state: 'new', repair: 'repaired' });
    expect(byRef['SS-1002']).toMatchObject({ state: 'finance_reviewed', repair: 'repaired' });
    expect(['10', '20']).toContain(byRef['SS-1002'].code);
    expect((await json(`${erp}/orders/SS-1002/status`)).status).toBe('30');
    expect(byRef['SS-1004']).toMatchObject({ repair: 'refused' });
    expect(report).toMatchObject({ repaired: 2, refused: 1 });
    expect((await json(`${erp}/orders/SS-1003/status`)).status).toBe('10');
    const desk = (await app.call('GET', '/api/tasks?queue=sync-desk')).body.items;
    const task = desk.find((t: any) => t.exceptionId === byRef['SS-1004'].exceptionId);
    expect(task).toMatchObject({ priority: 'high' });
    expect(task.title.en).toContain('erp refuses the status of SS-1004');
    const rates = (await app.call('GET', '/api/flows/status-sync/reconciliations/rates?system=erp'))
      .body.items;
    expect(rates.at(-1)).toMatchObject({ id: report.id, drifted: 3, repaired: 2, refused: 1 });
  });
  describe('fmcg-distribution', () => {
    it('deploys with its samples', async () => {
      const done = await deploy(app, 'fmcg-distribution', {
        wms: fakes.urls.wms,
        carrier: fakes.urls.carrier,
        'bin-master': fakes.urls['bin-master'],
      });
      expect(done.body).toMatchObject({
        published: true,
        samples: { created: 6, refused: [] },
        datasets: { created: ['sku-bins', 'sku-aliases'], existing: [], refreshed: ['sku-bins'] },
      });
      const bins = (await app.call('GET', '/api/datasets/sku-bins')).body;
      expect(bins).toMatchObject({
        version: 1,
        keyColumn: 'sku',
        title: { en: 'SKU primary bins', 'zh-CN': 'SKU 主库位' },
      });
    });

    it('blocks a wrong bin by the bin data set, whatever the order says', async () => {
      // The order claims its own "primary bin": the flow has no such field, and the rule reads
      // the warehouse's data set.
      const claim = await app.call('POST', '/api/orders', {
        flow: 'fmcg-distribution',
        data: {
          store: 'S-0199',
          lines: [{ sku: 'SKU-OIL-1L', qty: 1, bin: 'P-02', primaryBin: 'P-02' }],
          amount: 30000,
        },
      });
      expect(claim.status).toBe(422);
      const order = await app.call('POST', '/api/orders', {
        flow: 'fmcg-distribution',
        data: {
          store: 'S-0199',
          lines: [{ sku: 'SKU-OIL-1L', qty: 1, bin: 'P-02' }],
          amount: 30000,
        },
      });
      // A large order is not sent for approval with a wrong bin: it waits in received, where
      // the order desk gets a task to fix the bins — the manager never sees it stuck.
      expect(order.body.state).toBe('received');
      const watched = await waitFor(async () => {
        const items = (await app.call('GET', `/api/orders/${order.body.id}/timers`)).body.items;
        return items.length && items;
      });
      expect(watched).toEqual([expect.objectContaining({ timer: 'blocked:received' })]);
      // Fixed, it goes to the manager; a bin made wrong again meanwhile is refused at approval.
      const fix = (bin: string) =>
        app.call('PATCH', `/api/orders/${order.body.id}`, {
          lines: [{ sku: 'SKU-OIL-1L', qty: 1, bin }],
        });
      expect((await fix('P-01')).body.state).toBe('awaiting_approval');
      expect((await fix('P-02')).status).toBe(200);
      const refused = await app.call('POST', `/api/orders/${order.body.id}/events`, {
        type: 'approve',
      });
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain(
        'lines[0]: bin was "P-02", needed == sku-bins v1 row "SKU-OIL-1L" primaryBin ("P-01")',
      );
      expect(refused.body.errors[0].explanation.causes[0].values[1].dataSet).toEqual({
        name: 'sku-bins',
        version: 1,
        key: 'SKU-OIL-1L',
        column: 'primaryBin',
        found: true,
      });
      // Deploying again keeps the data set (it may be the user's own by now).
      const again = await deploy(app, 'fmcg-distribution', {
        wms: fakes.urls.wms,
        carrier: fakes.urls.carrier,
        'bin-master': fakes.urls['bin-master'],
      });
      expect(again.body.datasets).toEqual({
        created: [],
        existing: ['sku-bins', 'sku-aliases'],
        refreshed: [],
      });
    });

    it('happy path: auto-approved, stock locked by the WMS, a pick list released', async () => {
      // Pick and pack, the carrier, the WeCom group and rush counts: template-fmcg.e2e-spec.ts.
      await settle('fmcg-distribution', 'FM-2001', 'picking');
      const order = await byRef('fmcg-distribution', 'FM-2001');
      expect(order.data).toMatchObject({
        approval: { auto: true },
        reservation: { reservationId: expect.stringMatching(/^R-/) },
        pick: { pickId: expect.stringMatching(/^PK-/) },
      });
      const notes = (await app.call('GET', `/api/notifications?orderId=${order.id}`)).body.items;
      expect(notes.map((n: { message: { en: string } }) => n.message.en)).toEqual(
        expect.arrayContaining(['Stock locked for Hongqiao Store (S-0101)']),
      );
    });

    it('blocks shipping from a non-primary bin, and sends large orders to a manager', async () => {
      const wrongBin = await byRef('fmcg-distribution', 'FM-2004');
      expect(wrongBin.state).toBe('received');
      const blocked = (await app.call('GET', `/api/orders/${wrongBin.id}/transitions`)).body.items;
      expect(blocked.find((t: { id: string }) => t.id === 'auto_approve')).toMatchObject({
        enabled: true,
      });
      expect((await app.call('GET', `/api/orders/${wrongBin.id}/timers`)).body.items).toEqual([
        expect.objectContaining({ timer: 'blocked:received' }),
      ]);

      const large = await byRef('fmcg-distribution', 'FM-2003');
      expect(large.state).toBe('awaiting_approval');
      const clerk = (
        await app.call('POST', '/api/keys', { name: 'fmcg-clerk', roles: ['operator'] })
      ).body.key;
      const refused = await app.call(
        'POST',
        `/api/orders/${large.id}/events`,
        { type: 'approve' },
        { as: clerk },
      );
      expect(refused.status).toBe(403);
    });

    it('a reservation the WMS cannot fill goes to the order desk', async () => {
      const short = await byRef('fmcg-distribution', 'FM-2005');
      await app.call('POST', `/api/orders/${short.id}/events`, { type: 'approve' });
      await settle('fmcg-distribution', 'FM-2005', 'stock_short');
      const [task] = await waitFor(async () => {
        const t = await tasksOf(short.id);
        return t.length && t;
      });
      expect(task).toMatchObject({ queue: 'order-desk', priority: 'high' });
    });
  });

  describe('b2b-custom-manufacturing', () => {
    it('deploys with its samples', async () => {
      const done = await deploy(app, 'b2b-custom-manufacturing', {
        crm: fakes.urls.crm,
        wms: fakes.urls.wms,
        production: fakes.urls.production,
      });
      expect(done.body).toMatchObject({ published: true, samples: { created: 6, refused: [] } });
      expect(done.body.datasets.created).toContain('work-hours');
    });

    it('happy path: credit, board stock, line booked, work order with a tracking code', async () => {
      await settle('b2b-custom-manufacturing', 'CF-3001', 'work_order_issued');
      const order = await byRef('b2b-custom-manufacturing', 'CF-3001');
      expect(order.data.workOrder.trackingCode).toMatch(/^WO-2026-\d{6}$/);
      expect(order.data.booking.bookingId).toMatch(/^B-/);
      const notes = await waitFor(async () => {
        const n = (await app.call('GET', `/api/notifications?orderId=${order.id}`)).body.items;
        return n.length && n;
      });
      expect(notes[0]).toMatchObject({ to: { role: 'shop_floor' } });
    });

    it('unhappy paths: over the credit limit, unknown customer, short of boards, line full', async () => {
      await settle('b2b-custom-manufacturing', 'CF-3004', 'credit_hold');
      await settle('b2b-custom-manufacturing', 'CF-3003', 'unknown_customer');
      await settle('b2b-custom-manufacturing', 'CF-3002', 'shortfall');
      await settle('b2b-custom-manufacturing', 'CF-3006', 'shortfall');
      const boards = await byRef('b2b-custom-manufacturing', 'CF-3002');
      expect(boards.data.shortfall).toBe('boards: 1500 in stock, 2000 needed');
      const line = await byRef('b2b-custom-manufacturing', 'CF-3006');
      expect(line.data.shortfall).toBe('line L1 is full on 2026-12-18');
      const [task] = await waitFor(async () => {
        const t = await tasksOf(boards.id);
        return t.length && t;
      });
      expect(task).toMatchObject({ queue: 'supervisors', priority: 'urgent' });
      // The credit hold's task is due in 2 working hours of the plant's calendar.
      const over = await byRef('b2b-custom-manufacturing', 'CF-3004');
      const [hold] = await waitFor(async () => {
        const t = await tasksOf(over.id);
        return t.length && t;
      });
      const history = (await app.call('GET', `/api/orders/${over.id}/history`)).body.items;
      const entered = history.find((h: { to: string }) => h.to === 'credit_hold');
      expect(entered.dataSets).toMatchObject({ 'work-hours': 1 });
      const stored = (await app.call('GET', '/api/datasets/work-hours/rows?limit=100')).body.items;
      const calendarRows = new Map<string, DataSetRow>(
        stored.map((r: { key: string; values: DataSetRow }) => [r.key, r.values]),
      );
      const plant = calendarOf(
        { row: (_n, k) => calendarRows.get(k), version: () => 1 },
        'work-hours',
      );
      const worked = workedBetween(plant, entered.at, hold.dueAt);
      expect(worked).toBe(2 * 3_600_000);
    });
  });

  it('every template names its customer, measures with targets, counters and exception states', async () => {
    const customers: Record<string, string> = {
      'fmcg-distribution': 'S-0101',
      'b2b-custom-manufacturing': 'C-1001',
      'status-sync': 'Chongqing Auto Parts Export',
    };
    for (const [flow, customer] of Object.entries(customers)) {
      const listed = await app.call(
        'GET',
        `/api/orders?flow=${flow}&customer=${encodeURIComponent(customer)}`,
      );
      expect({ flow, found: listed.body.items.length > 0 }).toEqual({ flow, found: true });
      const a = await app.call('GET', `/api/flows/${flow}/analytics`);
      expect(a.status).toBe(200);
      expect(a.body.measures.length).toBeGreaterThanOrEqual(3);
      expect(a.body.orders.created).toBeGreaterThan(0);
    }
    // The exceptions a flow routes by design count in its analytics.
    const fmcg = (await app.call('GET', '/api/flows/fmcg-distribution/analytics')).body;
    expect(fmcg.exceptions.byKind.map((k: { kind: string }) => k.kind)).toContain('stock_short');
  });
});
