/**
 * Idempotency keys survive a crash (docs/security.md): the in-progress mark is a lease, so a
 * key whose request died mid-flight is free again once the lease runs out; the retry then
 * replays the committed answer (stored in the transaction of the request's write) or runs the
 * request — never two orders for one key. A request that outlived its lease and comes back
 * after a retry took the key over writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { idempotencyScope, requestHash } from '../src/idempotency/idempotency.hooks';
import { commitAnswer } from '../src/idempotency/keyed-answer';
import { IntakeService } from '../src/intake/intake.service';
import { readJsonLines } from '../src/intake/table-rows';
import { OrdersService } from '../src/orders/orders.service';
import { publishFlow, orderData } from './support/flows';
import { startOrdoProcess, type OrdoProcess } from './support/ordo-process';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

jest.setTimeout(120_000);

/** A flow whose `touch` event is not idempotent: every fire is one more transition. */
const touchFlow = {
  schemaVersion: 1,
  key: 'idem',
  name: 'Touch',
  fields: [{ key: 'n', type: 'integer', required: true }],
  states: [
    { id: 'open', initial: true },
    { id: 'closed', final: true },
  ],
  transitions: [
    { id: 'touch', from: 'open', to: 'open', event: 'touch' },
    { id: 'close', from: 'open', to: 'closed', event: 'close' },
  ],
};

/** Each order opens a task; resolving it may patch the order and fire `touch` (not idempotent). */
const taskFlow = {
  schemaVersion: 1,
  key: 'resolving',
  name: 'Resolving',
  fields: [
    { key: 'n', type: 'integer' },
    { key: 'note', type: 'string' },
  ],
  states: [
    { id: 'open', initial: true, entry: [{ task: { queue: 'ops', title: 'Check' } }] },
    { id: 'closed', final: true },
  ],
  transitions: [
    { id: 'touch', from: 'open', to: 'open', event: 'touch' },
    { id: 'close', from: 'open', to: 'closed', event: 'close' },
  ],
};

describe.each(databaseKinds())('idempotency keys after a crash on %s', (db) => {
  let app: TestApp;
  const admin = { id: 'admin', roles: ['admin', 'operator'] };
  beforeAll(async () => {
    app = await startTestApp({ db, config: { idempotencyLeaseMs: 1000 } });
    await publishFlow(app);
    await publishFlow(app, touchFlow);
    await publishFlow(app, taskFlow);
  });
  afterAll(async () => app.close());

  /** What a request that died mid-flight leaves behind: an in-progress mark and nothing else. */
  const leaveMark = async (key: string, url: string, body: unknown, lockedUntil: Date) => {
    const token = `dead-${randomBytes(6).toString('hex')}`;
    await app.server.db.run(
      'INSERT INTO idempotency_records (principal_id, key, request_hash, status_code, response, created_at, lease_token, locked_until) VALUES (?, ?, ?, 0, ?, ?, ?, ?)',
      [
        idempotencyScope(`Bearer ${app.adminKey}`),
        key,
        requestHash('POST', url, body),
        '',
        new Date().toISOString(),
        token,
        lockedUntil.toISOString(),
      ],
    );
    return { scope: idempotencyScope(`Bearer ${app.adminKey}`), key, token };
  };
  const ordersOf = async (customer: string) =>
    (await app.call('GET', `/api/orders?customer=${customer}&limit=500`)).body.items;

  it('a mark whose lease ran out: the retry runs the request, once, and is replayed after', async () => {
    const body = { flow: 'standard-order', data: { ...orderData(), customer: { id: 'IDEM-1' } } };
    const headers = { 'idempotency-key': `expired-${db}` };
    await leaveMark(headers['idempotency-key'], '/api/orders', body, new Date(Date.now() - 1000));
    const retry = await app.call('POST', '/api/orders', body, { headers });
    expect(retry.status).toBe(201);
    const again = await app.call('POST', '/api/orders', body, { headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retry.body);
    expect((await ordersOf('IDEM-1')).map((o: { id: string }) => o.id)).toEqual([retry.body.id]);
  });

  it('a live mark answers 409 with Retry-After; another body still 422', async () => {
    const body = { flow: 'standard-order', data: { ...orderData(), customer: { id: 'IDEM-2' } } };
    const headers = { 'idempotency-key': `live-${db}` };
    await leaveMark(headers['idempotency-key'], '/api/orders', body, new Date(Date.now() + 20_000));
    const busy = await app.call('POST', '/api/orders', body, { headers });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('idempotency_in_progress');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(10);
    const other = await app.call('POST', '/api/orders', { ...body, channel: 'csv' }, { headers });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await ordersOf('IDEM-2')).toEqual([]);
  });

  it('the answer is committed with the order: the stored record is the answer given', async () => {
    const body = { flow: 'standard-order', data: { ...orderData(), customer: { id: 'IDEM-3' } } };
    const key = `committed-${db}`;
    const first = await app.call('POST', '/api/orders', body, {
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const [record] = await app.server.db.query<{ status_code: number; response: string }>(
      'SELECT status_code, response FROM idempotency_records WHERE key = ?',
      [key],
    );
    expect(Number(record.status_code)).toBe(201);
    expect(JSON.parse(record.response)).toEqual(first.body);
    // A PATCH with a key is kept too: the same answer, one change.
    const patchKey = { 'idempotency-key': `patch-${db}` };
    const patched = await app.call(
      'PATCH',
      `/api/orders/${first.body.id}`,
      { carrier: 'DHL' },
      {
        headers: patchKey,
      },
    );
    const patchedAgain = await app.call(
      'PATCH',
      `/api/orders/${first.body.id}`,
      { carrier: 'DHL' },
      {
        headers: patchKey,
      },
    );
    expect(patched.status).toBe(200);
    expect(patchedAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(patchedAgain.body).toEqual(patched.body);
    expect((await app.call('GET', `/api/orders/${first.body.id}`)).body.version).toBe(
      patched.body.version,
    );
  });

  it('a keyed bulk event cut off half-way: the retry fires only the orders not yet fired', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 4; n++)
      ids.push((await app.call('POST', '/api/orders', { flow: 'idem', data: { n } })).body.id);
    const body = { ids, type: 'touch' };
    const key = `bulk-${db}`;
    // The first run fired two orders (each with its result, in its own transaction), then died.
    const claim = await leaveMark(key, '/api/orders/bulk/events', body, new Date(Date.now() - 1));
    const orders = app.server.app.get(OrdersService);
    const partial = await orders.fireMany(ids.slice(0, 2), { type: 'touch' }, admin, claim);
    expect(partial.fired).toBe(2);
    const retry = await app.call('POST', '/api/orders/bulk/events', body, {
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ fired: 4, refused: 0 });
    expect(retry.body.results.slice(0, 2)).toEqual(partial.results);
    for (const id of ids) expect((await app.call('GET', `/api/orders/${id}`)).body.version).toBe(2);
    // The stalled first run, back after the takeover, finds the results committed: fires nothing.
    const late = await orders.fireMany(ids.slice(2), { type: 'touch' }, admin, claim);
    expect(late.results).toEqual(retry.body.results.slice(2));
    for (const id of ids) expect((await app.call('GET', `/api/orders/${id}`)).body.version).toBe(2);
  });

  it('a task resolution is one transaction: racing retries patch, fire and comment once', async () => {
    const order = (await app.call('POST', '/api/orders', { flow: 'resolving', data: { n: 1 } }))
      .body;
    const task = await waitFor(
      async () => (await app.call('GET', `/api/tasks?orderId=${order.id}`)).body.items[0],
    );
    const body = { patch: { note: 'checked' }, event: 'touch', comment: 'Checked by phone' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => app.call('POST', `/api/tasks/${task.id}/resolve`, body)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const after = (await app.call('GET', `/api/tasks/${task.id}`)).body;
    expect(after.comments.map((c: { body: string }) => c.body)).toEqual(['Checked by phone']);
    const now = (await app.call('GET', `/api/orders/${order.id}`)).body;
    expect(now.version).toBe(order.version + 2);
    expect(now.data.note).toBe('checked');

    // With a key, the answer is stored with the resolution: a retry gets it, nothing again.
    const second = (await app.call('POST', '/api/orders', { flow: 'resolving', data: { n: 2 } }))
      .body;
    const other = await waitFor(
      async () => (await app.call('GET', `/api/tasks?orderId=${second.id}`)).body.items[0],
    );
    const headers = { 'idempotency-key': `resolve-${db}` };
    const first = await app.call('POST', `/api/tasks/${other.id}/resolve`, body, { headers });
    const again = await app.call('POST', `/api/tasks/${other.id}/resolve`, body, { headers });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await app.call('GET', `/api/tasks/${other.id}`)).body.comments).toHaveLength(1);
  });

  it('a keyed import stores its report with the orders; a stalled one imports nothing', async () => {
    const content = [1, 2, 3].map((n) => JSON.stringify({ n })).join('\n');
    const body = { format: 'jsonl', content, channel: 'keyed' };
    const url = '/api/flows/idem/imports';
    const key = `import-${db}`;
    const stalled = await leaveMark(key, url, body, new Date(Date.now() - 1));
    const first = await app.call('POST', url, body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect(first.body.imported).toBe(3);
    const [record] = await app.server.db.query<{ response: string }>(
      'SELECT response FROM idempotency_records WHERE key = ?',
      [key],
    );
    expect(JSON.parse(record.response)).toEqual(first.body);
    const again = await app.call('POST', url, body, { headers: { 'idempotency-key': key } });
    expect(again.body).toEqual(first.body);
    const intake = app.server.app.get(IntakeService);
    await expect(
      intake.import(
        'idem',
        readJsonLines(content),
        {
          mode: 'valid',
          channel: 'keyed',
          keyed: (tx, answer) => commitAnswer(tx, { ...stalled, status: 200 }, answer),
        },
        admin,
      ),
    ).rejects.toMatchObject({ code: 'idempotency_lease_lost' });
    const imported = (await app.call('GET', '/api/orders?channel=keyed&limit=500')).body.items;
    expect(imported).toHaveLength(3);
  });

  it('a request that outlived its lease writes nothing once a retry took the key over', async () => {
    const input = { flow: 'standard-order', data: { ...orderData(), customer: { id: 'IDEM-4' } } };
    const key = `stalled-${db}`;
    const stalled = await leaveMark(key, '/api/orders', input, new Date(Date.now() - 1));
    const retry = await app.call('POST', '/api/orders', input, {
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(201);
    // The first request comes back and writes with the claim it held: refused, rolled back.
    const orders = app.server.app.get(OrdersService);
    const late = { ...stalled, status: 201 };
    await expect(
      orders.create(input, admin, { keyed: (tx, answer) => commitAnswer(tx, late, answer) }),
    ).rejects.toMatchObject({ status: 409, code: 'idempotency_lease_lost' });
    expect((await ordersOf('IDEM-4')).map((o: { id: string }) => o.id)).toEqual([retry.body.id]);
    await expect(
      orders.fire(
        retry.body.id,
        { type: 'cancel' },
        undefined,
        admin,
        undefined,
        undefined,
        (tx, answer) => commitAnswer(tx, { ...late, status: 200 }, answer),
      ),
    ).rejects.toMatchObject({ code: 'idempotency_lease_lost' });
    const now = (await app.call('GET', `/api/orders/${retry.body.id}`)).body;
    expect(now.version).toBe(retry.body.version);
    const replay = await app.call('POST', '/api/orders', input, {
      headers: { 'idempotency-key': key },
    });
    expect(replay.body).toEqual(retry.body);
  });
});

const ORDERS = 150;

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(databaseKinds())('keyed requests killed mid-flight (SIGKILL) on %s', (db) => {
  it('the retries after the lease give the committed answer or run once: never two orders', async () => {
    const fresh = await freshDatabase(db);
    const adminKey = `idem-admin-${randomBytes(8).toString('hex')}`;
    const env = {
      DATABASE_URL:
        fresh.database.kind === 'sqlite' ? `sqlite:${fresh.database.file}` : fresh.database.url,
      ORDO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ordo-idem-')),
      ORDO_IDEMPOTENCY_LEASE_MS: '1000',
    };
    const keyed = (ordo: OrdoProcess, method: string, route: string, key: string, body: unknown) =>
      fetch(ordo.url + route, {
        method,
        headers: {
          authorization: `Bearer ${adminKey}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    const all = async (ordo: OrdoProcess) =>
      (await ordo.call('GET', `/api/orders?flow=idem&limit=500`)).body.items as {
        id: string;
        version: number;
        data: { n: number };
      }[];
    const processes: OrdoProcess[] = [];
    const start = async () => {
      const ordo = await startOrdoProcess(env, adminKey);
      processes.push(ordo);
      return ordo;
    };
    try {
      // 1. Keyed creates in flight when the process is killed.
      const first = await start();
      await first.call('POST', '/api/flows', touchFlow);
      await first.call('POST', '/api/flows/idem/publish', {});
      const creates = Array.from({ length: ORDERS }, (_, n) =>
        keyed(first, 'POST', '/api/orders', `create-${n}`, { flow: 'idem', data: { n } }).catch(
          () => undefined,
        ),
      );
      await until(
        async () => ((await first.call('GET', '/api/orders/counts?flow=idem')).body.total ?? 0) > 0,
        30_000,
        'the first orders',
      );
      await first.kill('SIGKILL');
      const before = await Promise.all(creates);
      // Some requests were cut off (no answer): the case the lease is for.
      expect(before.filter((r) => r?.status === 201).length).toBeLessThan(ORDERS);

      // 2. The retries, once the leases ran out: every key answers 201, one order per key.
      const second = await start();
      await new Promise((r) => setTimeout(r, 1100));
      const retries = await Promise.all(
        Array.from({ length: ORDERS }, (_, n) =>
          keyed(second, 'POST', '/api/orders', `create-${n}`, { flow: 'idem', data: { n } }),
        ),
      );
      expect(retries.filter((r) => r.status !== 201)).toEqual([]);
      const orders = await all(second);
      expect(orders).toHaveLength(ORDERS);
      const byN = new Map(orders.map((o) => [o.data.n, o.id]));
      expect(byN.size).toBe(ORDERS);
      retries.forEach((r, n) => expect(r.body.id).toBe(byN.get(n)));
      // A request answered before the kill is replayed with the same order.
      before.forEach((r, n) => r?.status === 201 && expect(r.body.id).toBe(byN.get(n)));

      // 3. A keyed bulk event killed mid-way: the retry fires only the orders not yet fired.
      const ids = orders.map((o) => o.id);
      const bulk = { ids, type: 'touch' };
      const cut = keyed(second, 'POST', '/api/orders/bulk/events', 'bulk-1', bulk).catch(
        () => undefined,
      );
      await until(
        async () => (await all(second)).some((o) => o.version > 1),
        30_000,
        'the first touches',
      );
      await second.kill('SIGKILL');
      await cut;
      const third = await start();
      await new Promise((r) => setTimeout(r, 1100));
      const retried = await keyed(third, 'POST', '/api/orders/bulk/events', 'bulk-1', bulk);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ fired: ORDERS, refused: 0 });
      expect((await all(third)).every((o) => o.version === 2)).toBe(true);
      const replayed = await keyed(third, 'POST', '/api/orders/bulk/events', 'bulk-1', bulk);
      expect(replayed.body).toEqual(retried.body);
    } finally {
      for (const p of processes) await p.kill();
      await fresh.drop();
    }
  });
});
