import { startFakeSystems } from '@ordo/fake-systems';
import { deliver } from './support/hooks';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

type Fakes = Awaited<ReturnType<typeof startFakeSystems>>;

/** Deploys a template with its connectors pointed at the fake systems of this test. */
async function deploy(
  app: TestApp,
  id: string,
  baseUrls: Record<string, string>,
  loadSamples = true,
) {
  const connectors = Object.fromEntries(
    Object.entries(baseUrls).map(([name, baseUrl]) => [name, { settings: { baseUrl } }]),
  );
  return app.call('POST', `/api/templates/${id}/deploy`, { loadSamples, connectors });
}

const json = (url: string, body?: unknown) =>
  fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  }).then((r) => r.json() as Promise<any>);

describe.each(databaseKinds())('industry templates on %s', (db) => {
  let app: TestApp;
  let fakes: Fakes;
  const byRef = async (flow: string, ref: string) =>
    (await app.call('GET', `/api/orders?flow=${flow}&externalRef=${ref}`)).body.items[0];

  beforeAll(async () => {
    fakes = await startFakeSystems();
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await app.close();
    await fakes.close();
  });

  it('lists the templates with what the gallery shows', async () => {
    const list = await app.call('GET', '/api/templates');
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining(['status-sync']),
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
      secret = 'status-sync-test-secret-0123';
      await app.call('POST', '/api/credentials', { name: 'sync-hook', secret: { secret } });
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
      await waitFor(async () => (await pushes('crm', 'SS-1001')).length === 5);
      expect(await pushes('crm', 'SS-1001')).toEqual([
        'OPEN',
        'CREDIT_OK',
        'ALLOCATED',
        'SHIPPING',
        'CLOSED',
      ]);
      expect(await pushes('tms', 'SS-1001')).toEqual(['T-NEW', 'T-ACK', 'T-FIN', 'T-READY']);
    });

    it('unhappy paths: stock locked before finance, too little stock, an unknown order', async () => {
      expect((await report('wms', 'SS-1002', 'LOCKED', { available: 999 })).status).toBe(422);
      await report('crm', 'SS-1002', 'CONFIRMED');
      await report('erp', 'SS-1002', '30');
      const short = await report('wms', 'SS-1002', 'LOCKED', { available: 10 });
      expect(short.status).toBe(422);
      expect(short.body.code).toBe('guard_failed');
      expect((await byRef('status-sync', 'SS-1002')).state).toBe('finance_reviewed');
      const ghost = await report('erp', 'SS-9999', '20');
      expect(ghost.status).toBe(202);
      const tasks = (await app.call('GET', '/api/tasks?queue=sync-desk')).body.items;
      expect(
        tasks.some((t: { exceptionId: number }) => t.exceptionId === ghost.body.exceptionId),
      ).toBe(true);
    });
  });
});
