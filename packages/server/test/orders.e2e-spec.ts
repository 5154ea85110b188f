import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

describe.each(databaseKinds())('orders on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
  });
  afterAll(() => app.close());

  const count = async () => (await app.call('GET', '/api/orders?limit=500')).body.items.length;

  it('creates an order (201) answering the order itself', async () => {
    const res = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
      externalRef: 'ERP-1',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      flow: 'standard-order',
      flowVersion: 1,
      state: 'new',
      version: 1,
      data: { customer: { id: 'C1', tier: 'C' } },
    });
    expect(typeof res.body.id).toBe('string');
    expect((await app.call('GET', `/api/orders/${res.body.id}`)).body).toMatchObject({
      id: res.body.id,
      state: 'new',
    });
  });

  it('lists the orders named by ids (one request for the names other lists show)', async () => {
    const make = async (externalRef: string) =>
      (
        await app.call('POST', '/api/orders', {
          flow: 'standard-order',
          data: orderData(),
          externalRef,
        })
      ).body.id as string;
    const [a, b] = [await make('IDS-A'), await make('IDS-B')];
    await make('IDS-C');
    const listed = await app.call('GET', `/api/orders?ids=${a},${b}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((o: any) => o.externalRef).sort()).toEqual(['IDS-A', 'IDS-B']);
    const bad = await app.call('GET', `/api/orders?ids=${a},x'%20OR%201=1`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/ids');
  });

  it('returns warnings with the order', async () => {
    const res = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: { ...orderData(), lines: [{ sku: 'A', qty: 2000 }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([{ rule: 'big-order', message: expect.any(String) }]);
  });

  it('moves an order through events, auto transitions, history, transitions and effects', async () => {
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    const confirmed = await app.call('POST', `/api/orders/${order.id}/events`, { type: 'confirm' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      state: 'customer_confirmed',
      version: 2,
      data: { confirmedBy: 'admin-key' },
    });
    const reviewed = await app.call('POST', `/api/orders/${order.id}/events`, {
      type: 'review',
      payload: { approved: true },
      expectedVersion: 2,
    });
    expect(reviewed.body).toMatchObject({ state: 'stock_locked', version: 4 });
    const history = await app.call('GET', `/api/orders/${order.id}/history`);
    expect(
      history.body.items.map((h: { kind: string; to: string; version: number }) => [
        h.kind,
        h.to,
        h.version,
      ]),
    ).toEqual([
      ['created', 'new', 1],
      ['transition', 'customer_confirmed', 2],
      ['transition', 'finance_reviewed', 3],
      ['transition', 'stock_locked', 4],
    ]);
    const transitions = await app.call('GET', `/api/orders/${order.id}/transitions`);
    expect(transitions.body.items).toEqual([
      expect.objectContaining({
        id: 'book',
        event: 'book',
        auto: false,
        to: 'logistics_booked',
        enabled: false,
        reason: expect.stringContaining('$event.carrier'),
      }),
    ]);
    const effects = await app.call('GET', `/api/orders/${order.id}/effects`);
    expect(
      effects.body.items.map((e: { type: string; idempotencyKey: string }) => [
        e.type,
        e.idempotencyKey,
      ]),
    ).toEqual([
      ['notify', `${order.id}:4:0`],
      ['timer.start', `${order.id}:4:1`],
    ]);
  });

  it('applies a JSON merge patch and records it', async () => {
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    const res = await app.call('PATCH', `/api/orders/${order.id}`, { carrier: 'SF', stock: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      customer: { id: 'C1', tier: 'C' },
      lines: orderData().lines,
      carrier: 'SF',
    });
    expect(
      (await app.call('GET', `/api/orders/${order.id}/history`)).body.items.at(-1),
    ).toMatchObject({ kind: 'updated', payload: { carrier: 'SF', stock: null } });
  });

  describe('refusals write nothing and name the offending path', () => {
    it.each([
      [
        'invalid data',
        { flow: 'standard-order', data: { customer: {}, lines: [{ sku: 'SKU', qty: 0 }] } },
        422,
        'invalid_data',
        ['/customer/id', '/lines/0/qty'],
      ],
      [
        'a rule',
        {
          flow: 'standard-order',
          data: { ...orderData(), lines: [{ sku: 'A', qty: 1, bin: 'X-1' }] },
        },
        422,
        'rule_failed',
        ['/lines'],
      ],
      [
        'a body that breaks the schema',
        { flow: 'standard-order', data: [], extra: 1 },
        422,
        'invalid_body',
        ['/data', '/extra'],
      ],
      ['an unknown flow', { flow: 'nope', data: {} }, 404, 'not_found', []],
    ])('%s', async (_what, body, status, code, paths) => {
      const before = await count();
      const res = await app.call('POST', '/api/orders', body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe(code);
      for (const p of paths)
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(p);
      expect(await count()).toBe(before);
    });

    it('malformed JSON → 400', async () => {
      const before = await count();
      const res = await app.call('POST', '/api/orders', undefined, {
        raw: '{"flow": "standard-order", ',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('malformed_json');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await count()).toBe(before);
    });

    it('a body over the limit → 413', async () => {
      const before = await count();
      const res = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: { note: 'x'.repeat(1_100_000) },
      });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('body_too_large');
      expect(await count()).toBe(before);
    });

    it('unknown order → 404, guard → 422 with explanation, role → 403, no transition → 422', async () => {
      expect((await app.call('GET', '/api/orders/nope')).status).toBe(404);
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: orderData(),
      });
      await app.call('POST', `/api/orders/${order.id}/events`, { type: 'confirm' });
      const guard = await app.call('POST', `/api/orders/${order.id}/events`, {
        type: 'review',
        payload: { approved: false },
      });
      expect(guard.status).toBe(422);
      expect(guard.body).toMatchObject({ code: 'guard_failed', explanation: { operator: '==' } });
      const none = await app.call('POST', `/api/orders/${order.id}/events`, { type: 'ship' });
      expect(none.body.code).toBe('no_transition');
      const key = await app.call('POST', '/api/keys', {
        name: 'sales desk',
        roles: ['operator', 'sales'],
      });
      const forbidden = await app.call(
        'POST',
        `/api/orders/${order.id}/events`,
        { type: 'review', payload: { approved: true } },
        { as: key.body.key },
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('forbidden');
      expect((await app.call('GET', `/api/orders/${order.id}`)).body.version).toBe(2);
    });

    it('a duplicate external reference → 409 naming the existing order', async () => {
      const first = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: orderData(),
        externalRef: 'DUP-1',
      });
      const second = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: orderData(),
        externalRef: 'DUP-1',
      });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ code: 'duplicate_external_ref', orderId: first.body.id });
    });
  });

  describe('concurrency', () => {
    it('20 concurrent fires with the same expectedVersion: exactly one 200, the rest 409', async () => {
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: orderData(),
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          app.call('POST', `/api/orders/${order.id}/events`, {
            type: 'confirm',
            expectedVersion: 1,
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      const conflict = results.find((r) => r.status === 409)!;
      expect(conflict.body).toMatchObject({
        code: 'version_conflict',
        order: { id: order.id, version: 2 },
      });
      const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
      expect(history.map((h: { version: number }) => h.version)).toEqual([1, 2]);
    });

    it('20 concurrent fires without expectedVersion: exactly one transition, no 500', async () => {
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'standard-order',
        data: orderData(),
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          app.call('POST', `/api/orders/${order.id}/events`, { type: 'confirm' }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(
        results.every(
          (r) => r.status === 200 || (r.status === 422 && r.body.code === 'no_transition'),
        ),
      ).toBe(true);
      const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
      expect(history).toHaveLength(2);
    });
    it('30 concurrent creates are all stored whole; of those sharing a reference one wins', async () => {
      // Creates that arrive together share one commit: the batch must still answer each alone.
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          app.call('POST', '/api/orders', {
            flow: 'standard-order',
            data: orderData(),
            externalRef: i % 10 === 0 ? `SHARED-${db}` : `BURST-${db}-${i}`,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(28);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, r.body.code])).toEqual([
        [409, 'duplicate_external_ref'],
        [409, 'duplicate_external_ref'],
      ]);
      for (const { body: order } of results.filter((r) => r.status === 201)) {
        const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
        expect(history.map((h: { kind: string }) => h.kind)).toEqual(['created']);
      }
      const shared = await app.call('GET', `/api/orders?externalRef=SHARED-${db}`);
      expect(shared.body.items).toHaveLength(1);
    });
    it('concurrent creates that pass auto transitions keep every history and outbox row', async () => {
      await publishFlow(app, {
        schemaVersion: 1,
        key: 'burst',
        name: 'Burst',
        fields: [{ key: 'n', type: 'integer', required: true }],
        states: [
          { id: 'received', initial: true },
          {
            id: 'queued',
            sla: { within: 'PT1H', onBreach: { task: { queue: 'ops', title: 'Late' } } },
            entry: [{ notify: { to: { role: 'ops' }, message: 'Order {{$order.id}} queued' } }],
          },
        ],
        transitions: [{ id: 'queue', from: 'received', to: 'queued', auto: true }],
      });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, n) =>
          app.call('POST', '/api/orders', { flow: 'burst', data: { n } }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
      for (const { body: order } of results) {
        expect(order.state).toBe('queued');
        const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
        expect(history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'transition']);
        const effects = (await app.call('GET', `/api/orders/${order.id}/effects`)).body.items;
        expect(effects.map((e: { idempotencyKey: string }) => e.idempotencyKey).sort()).toEqual(
          effects.map((_: unknown, i: number) => `${order.id}:2:${i}`),
        );
        expect(effects.length).toBeGreaterThanOrEqual(2);
      }
    });
  });

  describe('idempotency keys', () => {
    it('replays the first answer for the same key and body, refuses another body', async () => {
      const headers = { 'idempotency-key': `k-${db}-1` };
      const body = { flow: 'standard-order', data: orderData() };
      const first = await app.call('POST', '/api/orders', body, { headers });
      const again = await app.call('POST', '/api/orders', body, { headers });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await app.call(
        'POST',
        '/api/orders',
        { ...body, externalRef: 'other' },
        { headers },
      );
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency_key_reused');
      // The refused request ran nothing: no order with its reference.
      const byRef = await app.call('GET', '/api/orders?externalRef=other');
      expect(byRef.body.items).toEqual([]);
    });

    it('replays a refusal with its status', async () => {
      const headers = { 'idempotency-key': `k-${db}-2` };
      const first = await app.call('POST', '/api/orders', { flow: 'nope', data: {} }, { headers });
      const again = await app.call('POST', '/api/orders', { flow: 'nope', data: {} }, { headers });
      expect([first.status, again.status]).toEqual([404, 404]);
      expect(again.body).toEqual(first.body);
    });
  });

  describe('lists', () => {
    it('filters, searches and pages with a cursor', async () => {
      for (let i = 0; i < 5; i++)
        await app.call('POST', '/api/orders', {
          flow: 'standard-order',
          data: { ...orderData(), customer: { id: `LIST-${i % 2}` } },
          channel: 'csv',
        });
      const byCustomer = await app.call('GET', '/api/orders?customer=LIST-1&channel=csv');
      expect(byCustomer.body.items).toHaveLength(2);
      const search = await app.call('GET', '/api/orders?q=list-0');
      expect(search.body.items).toHaveLength(3);
      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } =
          await app.call(
            'GET',
            `/api/orders?channel=csv&limit=2&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`,
          );
        pages.push(...res.body.items.map((o) => o.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(new Set(pages).size).toBe(5);
      expect(
        (await app.call('GET', '/api/orders?state=new,cancelled&limit=1')).body.items,
      ).toHaveLength(1);
      expect((await app.call('GET', '/api/orders?limit=0')).status).toBe(400);
      expect((await app.call('GET', '/api/orders?bogus=1')).status).toBe(400);
      expect((await app.call('GET', '/api/orders?cursor=zzz')).body.code).toBe('bad_cursor');
    });
  });
});
