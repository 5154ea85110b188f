/**
 * The pharma distribution template against the fake systems, on SQLite and PostgreSQL: the drug
 * catalogue and its restrictions, clinic facts from the clinic register (never the order),
 * cold-chain quotes within budget, payment found by the 15-minute poll, and an unpaid order
 * going overdue to finance.
 */
import { startFakeSystems } from '@ordo/fake-systems';
import { TestClock } from './support/test-clock';
import { TimerRunner } from '../src/timers/timer-runner';
import { deploy, type Fakes, json, ordersOf } from './support/templates';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

describe.each(databaseKinds())('the pharma template on %s', (db) => {
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

  it('deploys with its samples; refuses lines outside the catalogue or its restrictions', async () => {
    const done = await deploy(app, 'pharma-distribution', {
      carrier: fakes.urls.carrier,
      bank: fakes.urls.bank,
    });
    expect(done.body).toMatchObject({ published: true, samples: { created: 5, refused: [] } });
    // The bank's token is stored with the bank connector's host:port, and nothing else.
    const { items } = (await app.call('GET', '/api/credentials')).body;
    expect(items.find((c: { name: string }) => c.name === 'bank-api')).toMatchObject({
      fields: ['token'],
      hosts: [`127.0.0.1:${new URL(fakes.urls.bank).port}`],
    });
    expect(items.find((c: { name: string }) => c.name === 'sync-hook')?.hosts ?? []).toEqual([]);
    const base = (await app.call('GET', '/api/templates/pharma-distribution')).body.samples[0].data;
    const unknown = await app.call('POST', '/api/orders', {
      flow: 'pharma-distribution',
      data: { ...base, ref: 'PH-X1', lines: [{ drugCode: 'X00NOPE', qty: 1 }] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'lines', code: 'in_catalogue' });
    const narcotic = await app.call('POST', '/api/orders', {
      flow: 'pharma-distribution',
      data: { ...base, ref: 'PH-X2', lines: [{ drugCode: 'XN02AA01', qty: 5 }] },
    });
    expect(narcotic.status).toBe(422);
    expect(narcotic.body.errors.map((e: { code: string }) => e.code)).toContain('hospital_only');
    expect(unknown.body.detail).toContain('drug-codes v1 has no row "X00NOPE"');
    expect(done.body.datasets).toEqual({
      created: ['drug-codes', 'clinics', 'depot-calendar'],
      existing: [],
      refreshed: [],
    });
  });

  it('reads clinic facts from the clinic register, whatever the order says', async () => {
    const base = (await app.call('GET', '/api/templates/pharma-distribution')).body.samples[0].data;
    const order = (clinic: Record<string, unknown>, lines: unknown[]) =>
      app.call('POST', '/api/orders', {
        flow: 'pharma-distribution',
        data: { ...base, ref: `PH-C${Math.random()}`, clinic, lines },
      });
    // An order that claims to be a hospital is refused: the flow has no such field.
    const claim = await order({ id: 'CL-101', name: 'x', type: 'hospital' }, [
      { drugCode: 'XN02AA01', qty: 1 },
    ]);
    expect(claim.status).toBe(422);
    expect(claim.body.code).toBe('invalid_data');
    // A restricted drug for a clinic the register says is a clinic: the row is named.
    const restricted = await order({ id: 'CL-101', name: 'x' }, [
      { drugCode: 'XN02AA01', qty: 1 },
      { drugCode: 'XV03AB15', qty: 1 },
    ]);
    expect(restricted.status).toBe(422);
    expect(restricted.body.detail).toContain(
      'clinics v1 row "CL-101" type was "clinic", needed == "hospital"',
    );
    // A clinic not in the register, and one whose licence has lapsed, are their own refusals.
    const unknown = await order({ id: 'CL-404', name: 'x' }, [{ drugCode: 'XA10BA02', qty: 1 }]);
    expect(unknown.body.errors.map((e: { code: string }) => e.code)).toContain('known_clinic');
    const lapsed = await order({ id: 'CL-199', name: 'x' }, [{ drugCode: 'XA10BA02', qty: 1 }]);
    expect(lapsed.body.errors.map((e: { code: string }) => e.code)).toEqual(['licence_valid']);
    // Over the catalogue's maximum, and a non-reimbursable drug claimed as reimbursed.
    const over = await order({ id: 'H-201', name: 'x' }, [
      { drugCode: 'XA10AE04', qty: 51 },
      { drugCode: 'XM01AE01', qty: 1, reimbursed: true },
    ]);
    expect(over.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'max_qty',
      'reimbursable',
    ]);
    // The register changes: the clinic gets its licence renewed, and the same order passes.
    const register = (await app.call('GET', '/api/datasets/clinics/rows?limit=500')).body.items;
    const csv = [
      'id,name,type,licenceExpires,psychotropicLicence,vaccinationLicence,oncologyWard',
      ...register.map((r: { values: Record<string, unknown> }) => {
        const v = r.values;
        const expires = v.id === 'CL-199' ? '2030-01-01' : v.licenceExpires;
        return [
          v.id,
          v.name,
          v.type,
          expires,
          v.psychotropicLicence,
          v.vaccinationLicence,
          v.oncologyWard,
        ].join(',');
      }),
    ].join('\n');
    const put = await app.call('PUT', '/api/datasets/clinics', { format: 'csv', content: csv });
    expect(put.body).toMatchObject({ written: true, diff: { changed: 1, added: 0, removed: 0 } });
    const renewed = await order({ id: 'CL-199', name: 'x' }, [{ drugCode: 'XA10BA02', qty: 1 }]);
    expect(renewed.status).toBe(201);
    const history = (await app.call('GET', `/api/orders/${renewed.body.id}/history`)).body.items;
    expect(history[0].dataSets).toEqual({ 'drug-codes': 1, clinics: 2 });
  });

  it('happy path: cold chain quoted within budget, dispatched, paid (found by the 15-minute poll)', async () => {
    await settle('pharma-distribution', 'PH-4001', 'awaiting_payment');
    const order = await byRef('pharma-distribution', 'PH-4001');
    expect(order.data).toMatchObject({
      band: '2-8C',
      quote: { carrier: expect.any(String) },
      shipment: { trackingNo: expect.any(String) },
    });
    await waitFor(
      async () => (await app.call('GET', `/api/orders/${order.id}/timers`)).body.items.length === 1,
    );
    await json(`${fakes.urls.bank}/payments/PH-4001/settle`, {});
    clock.offset += 15 * 60_000;
    await app.server.app.get(TimerRunner).drain();
    await settle('pharma-distribution', 'PH-4001', 'paid');
  });

  it('unhappy paths: freight over budget goes to dispatch; an unpaid order goes overdue and finance is told', async () => {
    await settle('pharma-distribution', 'PH-4004', 'dispatch_review');
    const review = await byRef('pharma-distribution', 'PH-4004');
    const [reviewTask] = await waitFor(async () => {
      const t = await tasksOf(review.id);
      return t.length && t;
    });
    expect(reviewTask).toMatchObject({ queue: 'dispatch-desk' });

    await settle('pharma-distribution', 'PH-4003', 'awaiting_payment');
    const unpaid = await byRef('pharma-distribution', 'PH-4003');
    await waitFor(
      async () =>
        (await app.call('GET', `/api/orders/${unpaid.id}/timers`)).body.items.length === 1,
    );
    clock.offset += 7 * 24 * 3600_000;
    await app.server.app.get(TimerRunner).drain();
    await settle('pharma-distribution', 'PH-4003', 'overdue');
    const notes = await waitFor(async () => {
      const n = (await app.call('GET', `/api/notifications?orderId=${unpaid.id}`)).body.items;
      return n.length && n;
    });
    expect(notes[0]).toMatchObject({ to: { role: 'finance' } });
    const [task] = await waitFor(async () => {
      const t = await tasksOf(unpaid.id);
      return t.length && t;
    });
    expect(task).toMatchObject({ queue: 'finance', priority: 'high' });
  });

  it('names its customer, measures with targets, counters and exception states', async () => {
    const listed = await app.call('GET', '/api/orders?flow=pharma-distribution&customer=CL-101');
    expect(listed.body.items.length).toBeGreaterThan(0);
    const a = await app.call('GET', '/api/flows/pharma-distribution/analytics');
    expect(a.status).toBe(200);
    expect(a.body.measures.length).toBeGreaterThanOrEqual(3);
    expect(a.body.orders.created).toBeGreaterThan(0);
  });
});
