import { createErp } from '@ordo/fake-systems';
import { standardOrderFlow } from '@ordo/engine/testing';
import { ErpPullService } from '../src/intake/erp-pull.service';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';

/** The standard order flow with a pull of the ERP's new orders, 2 a page. */
const pullFlow = (erpUrl: string) => ({
  ...standardOrderFlow,
  key: 'erp-orders',
  connectors: {
    erp: { type: 'http', credential: 'erp-api', settings: { baseUrl: erpUrl, auth: 'bearer' } },
  },
  triggers: [
    {
      id: 'erp-new',
      pull: {
        connector: 'erp',
        path: '/orders',
        every: 'PT5M',
        query: { limit: 2 },
        mapping: {
          number: 'externalRef',
          customer: 'customer.id',
          'lines[].code': 'lines[].sku',
          'lines[].quantity': 'lines[].qty',
        },
      },
    },
  ],
});

const order = (n: number, qty = 1) => ({
  number: `ERP-${n}`,
  customer: `C${n}`,
  lines: [
    { code: `SKU-${n}`, quantity: qty },
    { code: 'SKU-X', quantity: 2 },
  ],
});

describe.each(databaseKinds())('ERP pull on %s', (db) => {
  const erp = createErp();
  let erpUrl: string;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let app: TestApp;
  const start = () =>
    startTestApp({ db, database: fresh.database, config: { outboundAllow: ['127.0.0.1:*'] } });
  const post = (path: string, body: unknown) =>
    fetch(`${erpUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const pull = () => app.server.app.get(ErpPullService).runNow('erp-orders', 'erp-new');
  const stored = async () =>
    (await app.call('GET', '/api/orders?flow=erp-orders&limit=100')).body.items as {
      externalRef: string;
      channel: string;
      data: { lines: unknown[] };
    }[];

  beforeAll(async () => {
    erpUrl = await erp.start(0);
    fresh = await freshDatabase(db);
    app = await start();
    const port = new URL(erpUrl).port;
    expect(
      (
        await app.call('POST', '/api/credentials', {
          name: 'erp-api',
          secret: { token: 'erp-secret-token' },
          hosts: [`127.0.0.1:${port}`],
        })
      ).status,
    ).toBe(201);
    await app.call('POST', '/api/flows', pullFlow(erpUrl));
    expect((await app.call('POST', '/api/flows/erp-orders/publish', {})).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await erp.close();
    await fresh.drop();
  });

  it('pulls every page, each record with its lines one order; resumes from its cursor after a restart; never takes one twice', async () => {
    for (let n = 1; n <= 5; n++) await post('/orders', order(n));
    const first = await pull();
    expect(first).toMatchObject({ outcome: 'ok', pages: 4, taken: 5, refused: 0, cursor: '5' });
    const orders = await stored();
    expect(orders.map((o) => o.externalRef).sort()).toEqual([
      'ERP-1',
      'ERP-2',
      'ERP-3',
      'ERP-4',
      'ERP-5',
    ]);
    expect(orders[0]).toMatchObject({ channel: 'erp' });
    expect(orders.every((o) => o.data.lines.length === 2)).toBe(true);
    // Each order records the pull and the page it came by, for its timeline.
    const erp1 = (orders as unknown as { id: string; externalRef: string }[]).find(
      (o) => o.externalRef === 'ERP-1',
    )!;
    const [created] = (await app.call('GET', `/api/orders/${erp1.id}/history`)).body.items;
    expect(created.source).toEqual({
      kind: 'pull',
      id: 'erp-new',
      page: 1,
      lines: expect.any(Array),
    });

    await app.close();
    await post('/orders', order(6));
    app = await start();
    const again = await pull();
    expect(again).toMatchObject({ outcome: 'ok', taken: 1, cursor: '6' });
    expect(await stored()).toHaveLength(6);
    const state = (await app.server.app.get(ErpPullService).state('erp-orders'))[0];
    expect(state).toMatchObject({ trigger: 'erp-new', cursor: '6', taken: 6, outcome: 'ok' });

    // The ERP sends an order again under a new position: refused as a duplicate, not taken.
    await post('/orders', order(3));
    expect(await pull()).toMatchObject({ outcome: 'ok', taken: 0, cursor: '7' });
    expect(await stored()).toHaveLength(6);
  });

  it('records a bad page as the outcome with a clear message, keeping the cursor; an invalid record is refused by name', async () => {
    await post('/orders/_corrupt', {});
    await post('/orders', order(8, 0));
    const bad = await pull();
    expect(bad).toMatchObject({ outcome: 'failed', taken: 0, cursor: '7' });
    expect(bad!.message).toContain('/items is not a list of records');
    expect((await app.server.app.get(ErpPullService).state('erp-orders'))[0]).toMatchObject({
      outcome: 'failed',
      cursor: '7',
    });
    const next = await pull();
    expect(next).toMatchObject({ outcome: 'ok', taken: 0, refused: 1, cursor: '8' });
    expect(next!.message).toContain(
      'record 1 of this run, lines[].quantity: qty must be at least 1',
    );
  });

  it('refuses to send the credential to a host outside its hosts', async () => {
    expect(
      (await app.call('PATCH', '/api/credentials/erp-api', { hosts: ['erp.example.com:443'] }))
        .status,
    ).toBe(200);
    await post('/orders', order(9));
    const refused = await pull();
    expect(refused).toMatchObject({ outcome: 'failed', taken: 0, cursor: '8' });
    expect(refused!.message).toMatch(/erp-api|host/);
    expect(await stored()).toHaveLength(6);
  });
});
