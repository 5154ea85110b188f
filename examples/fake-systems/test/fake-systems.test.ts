import { startFakeSystems } from '../src';

type Systems = Awaited<ReturnType<typeof startFakeSystems>>;

async function call(
  url: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

describe('fake systems', () => {
  let fake: Systems;
  beforeAll(async () => {
    fake = await startFakeSystems();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    for (const url of Object.values(fake.urls)) {
      await call(`${url}/_admin/reset`, 'POST');
      await call(`${url}/_admin/knobs`, 'POST', { latencyMs: 0, failureRate: 0, seed: 1 });
    }
  });

  it('CRM: the same customer every run; unknown X-ids; credit checks use the limit', async () => {
    const a = await call(`${fake.urls.crm}/customers/C-1`);
    const b = await call(`${fake.urls.crm}/customers/C-1`);
    expect(a.body).toEqual(b.body);
    expect(a.body).toMatchObject({ id: 'C-1', tier: expect.stringMatching(/^[ABC]$/) });
    expect((await call(`${fake.urls.crm}/customers/X-9`)).status).toBe(404);
    const huge = await call(`${fake.urls.crm}/credit-checks`, 'POST', {
      customerId: 'C-1',
      amount: 10_000_000,
    });
    expect(huge.body.approved).toBe(false);
    const small = await call(`${fake.urls.crm}/credit-checks`, 'POST', {
      customerId: 'C-1',
      amount: 10,
    });
    expect(small.body.approved).toBe(true);
  });

  it('WMS: a reservation takes stock, all or nothing; release gives it back', async () => {
    const wms = fake.urls.wms;
    const reserved = await call(`${wms}/reservations`, 'POST', {
      orderId: 'o-1',
      lines: [{ sku: 'A', qty: 1200 }],
    });
    expect(reserved.status).toBe(201);
    expect(reserved.body.lines).toEqual([
      { sku: 'A', bin: 'P-01', qty: 1000 },
      { sku: 'A', bin: 'P-02', qty: 200 },
    ]);
    const short = await call(`${wms}/reservations`, 'POST', {
      orderId: 'o-2',
      lines: [
        { sku: 'B', qty: 1 },
        { sku: 'A', qty: 301 },
      ],
    });
    expect(short).toMatchObject({ status: 409, body: { error: 'insufficient_stock', sku: 'A' } });
    // Nothing of the refused reservation was taken (B untouched).
    expect((await call(`${wms}/stock/B`)).body.bins[0].available).toBe(1000);
    expect(
      (await call(`${wms}/reservations/${reserved.body.reservationId}`, 'DELETE')).status,
    ).toBe(204);
    expect(
      (await call(`${wms}/stock/A`)).body.bins.map((b: { available: number }) => b.available),
    ).toEqual([1000, 500]);
    expect((await call(`${wms}/reservations/R-404`, 'DELETE')).status).toBe(404);
  });

  it('applies an idempotency key once and replays the first answer', async () => {
    const reserve = () =>
      call(
        `${fake.urls.wms}/reservations`,
        'POST',
        { orderId: 'o-1', lines: [{ sku: 'K', qty: 100 }] },
        { 'idempotency-key': 'o-1:2:0' },
      );
    const first = await reserve();
    const again = await reserve();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call(`${fake.urls.wms}/stock/K`)).body.bins[0].available).toBe(900);
    expect((await call(`${fake.urls.wms}/_admin/keys`)).body).toEqual({
      received: { 'o-1:2:0': 2 },
      applied: ['o-1:2:0'],
    });
  });

  it('fails the same requests for the same seed, applying nothing when it fails', async () => {
    const run = async () => {
      await call(`${fake.urls.bank}/_admin/reset`, 'POST');
      await call(`${fake.urls.bank}/_admin/knobs`, 'POST', { failureRate: 0.5, seed: 42 });
      const statuses = [];
      for (let i = 0; i < 20; i++)
        statuses.push(
          (
            await call(
              `${fake.urls.bank}/payments`,
              'POST',
              { orderId: `o-${i}`, amount: 1 },
              {
                'idempotency-key': `k-${i}`,
              },
            )
          ).status,
        );
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(201);
    const failed = first.findIndex((s) => s === 503);
    // Read back without outages: the failed request applied nothing.
    await call(`${fake.urls.bank}/_admin/knobs`, 'POST', { failureRate: 0 });
    expect((await call(`${fake.urls.bank}/payments/o-${failed}`)).status).toBe(404);
    const keys = (await call(`${fake.urls.bank}/_admin/keys`)).body;
    expect(keys.applied).not.toContain(`k-${failed}`);
    expect(keys.received[`k-${failed}`]).toBe(1);
  });

  it('bank: a failed payment says why, and may be requested again', async () => {
    const b = fake.urls.bank;
    expect((await call(`${b}/payments`, 'POST', { orderId: 'p-1', amount: 10 })).status).toBe(201);
    expect((await call(`${b}/payments`, 'POST', { orderId: 'p-1', amount: 10 })).status).toBe(409);
    const failed = await call(`${b}/payments/p-1/settle`, 'POST', {
      failed: true,
      reason: 'account_closed',
    });
    expect(failed.body).toMatchObject({ status: 'failed', reason: 'account_closed' });
    expect((await call(`${b}/payments`, 'POST', { orderId: 'p-1', amount: 10 })).body).toEqual({
      orderId: 'p-1',
      amount: 10,
      status: 'pending',
    });
    expect((await call(`${b}/payments/p-1/settle`, 'POST', {})).body.status).toBe('paid');
  });

  it('waits the latency it is told to', async () => {
    await call(`${fake.urls.carrier}/_admin/knobs`, 'POST', { latencyMs: 80 });
    const started = Date.now();
    await call(`${fake.urls.carrier}/quotes`, 'POST', {
      band: 'ambient',
      distanceKm: 10,
      weightKg: 1,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('production books capacity until the line is full; carriers quote by band', async () => {
    const p = fake.urls.production;
    const book = (qty: number) =>
      call(`${p}/bookings`, 'POST', { orderId: 'o', line: 'L1', qty, date: '2026-12-01' });
    expect((await book(900)).status).toBe(201);
    expect(await book(200)).toMatchObject({ status: 409, body: { error: 'line_full', free: 100 } });
    const capacity = await call(`${p}/capacity?line=L1&from=2026-12-01&days=2`);
    expect(capacity.body.days[0]).toMatchObject({ date: '2026-12-01', booked: 900, free: 100 });
    expect(capacity.body.days[1].date).toBe('2026-12-02');
    const cold = await call(`${fake.urls.carrier}/quotes`, 'POST', {
      band: '2-8C',
      distanceKm: 300,
      weightKg: 20,
    });
    expect(cold.body.quotes.map((q: { carrier: string }) => q.carrier)).toContain('SinoPharm-Log');
  });

  it('carriers: every carrier quotes with its nearest vehicle, its band and an ETA; vehicles move', async () => {
    const c = fake.urls.carrier;
    const job = { band: '2-8C', distanceKm: 35, weightKg: 40 };
    const { body } = await call(`${c}/quotes`, 'POST', job);
    const by = (id: string) => body.quotes.find((q: { carrier: string }) => q.carrier === id);
    expect(body.quotes).toHaveLength(4);
    expect(by('SF-Express')).toMatchObject({ band: 'ambient', price: { amount: 114 } });
    expect(by('JD-Cold')).toMatchObject({
      band: '2-8C',
      price: { amount: 187, currency: 'CNY' },
      vehicle: { id: 'JD-C3', position: { lat: 39.85, lng: 116.45 } },
    });
    // BlueCold is cheaper, but its truck is in Shijiazhuang: far from the pickup, a longer ETA.
    expect(by('BlueCold').price.amount).toBe(151);
    expect(by('BlueCold').vehicle.distanceKm).toBeGreaterThan(250);
    expect(by('BlueCold').etaHours).toBeGreaterThan(by('JD-Cold').etaHours);
    const moved = await call(`${c}/_test/vehicles/BC-7`, 'POST', {
      position: { lat: 39.92, lng: 116.41 },
    });
    expect(moved.body.position).toEqual({ lat: 39.92, lng: 116.41 });
    const again = (await call(`${c}/quotes`, 'POST', job)).body.quotes;
    expect(
      again.find((q: { carrier: string }) => q.carrier === 'BlueCold').vehicle.distanceKm,
    ).toBeLessThan(5);
    const fleet = (await call(`${c}/vehicles`)).body.items;
    expect(fleet.find((v: { id: string }) => v.id === 'BC-7').position.lat).toBe(39.92);
    const booked = await call(`${c}/shipments`, 'POST', {
      orderId: 'o-1',
      carrier: 'JD-Cold',
      vehicleId: 'JD-C3',
    });
    expect(booked).toMatchObject({ status: 201, body: { carrier: 'JD-Cold', vehicleId: 'JD-C3' } });
    expect(
      await call(`${c}/shipments`, 'POST', {
        orderId: 'o',
        carrier: 'JD-Cold',
        vehicleId: 'SF-A1',
      }),
    ).toMatchObject({ status: 422, body: { field: 'vehicleId' } });
    expect(
      await call(`${c}/_test/vehicles/BC-7`, 'POST', { position: { lat: 91, lng: 0 } }),
    ).toMatchObject({ status: 422, body: { field: 'position' } });
    expect(
      (await call(`${c}/_test/vehicles/NOPE`, 'POST', { position: { lat: 1, lng: 1 } })).status,
    ).toBe(404);
  });

  it('answers bad input with 400 or 422 naming the field, unknown routes 404', async () => {
    expect((await call(`${fake.urls.carrier}/quotes`, 'POST', '{nope')).status).toBe(400);
    expect(await call(`${fake.urls.carrier}/quotes`, 'POST', { band: 'hot' })).toMatchObject({
      status: 422,
      body: { field: 'band' },
    });
    expect((await call(`${fake.urls.crm}/nothing`)).status).toBe(404);
  });
});
