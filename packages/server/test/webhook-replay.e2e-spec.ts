import { createHmac } from 'node:crypto';
import { HooksService } from '../src/hooks/hooks.service';
import { publishFlow } from './support/flows';
import { deliver, signedHeaders } from './support/hooks';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const SECRET = `whsec_${Buffer.from('payments-hook-key-0123456789abcdef').toString('base64')}`;
const PLAIN = 'a-plain-secret-stored-before-whsec';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Payments reported by a bank: the first delivery starts the order, the next ones fire events. */
const paymentsFlow = {
  schemaVersion: 1,
  key: 'payments',
  name: 'Payments',
  fields: [{ key: 'amount', type: 'number' }],
  states: [{ id: 'open', initial: true }, { id: 'paid' }, { id: 'refunded', final: true }],
  transitions: [
    { id: 'pay', from: 'open', to: 'paid', event: 'paid' },
    { id: 'refund', from: 'paid', to: 'refunded', event: 'refunded' },
  ],
  triggers: [
    {
      id: 'bank',
      webhook: {
        secret: 'bank-hook',
        find: { by: 'externalRef', value: { var: '$body.ref' } },
        create: { data: { amount: { var: '$body.amount' } } },
        event: { type: { var: '$body.event' } },
      },
    },
    {
      id: 'legacy',
      webhook: {
        secret: 'legacy-hook',
        find: { by: 'externalRef', value: { var: '$body.ref' } },
        create: { data: { amount: { var: '$body.amount' } } },
      },
    },
  ],
};

describe.each(databaseKinds())('signed webhooks cannot be replayed on %s', (db) => {
  let app: TestApp;
  const clock = new TestClock();
  const now = () => Math.floor(clock.now() / 1000);
  const post = (route: string, raw: string, headers: Record<string, string>) =>
    app.call('POST', `/api/hooks/${route}`, undefined, { as: '', raw, headers });
  /** What a delivery could have written: orders, history, receipts, exceptions. */
  const written = async () => {
    const count = async (table: string) =>
      Number((await app.server.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return {
      orders: await count('orders'),
      history: await count('order_history'),
      receipts: await count('hook_deliveries'),
      exceptions: await count('exceptions'),
    };
  };

  beforeAll(async () => {
    app = await startTestApp({ db, clock });
    await app.call('POST', '/api/credentials', {
      name: 'bank-hook',
      secret: { secret: SECRET },
      hosts: [],
    });
    await app.call('POST', '/api/credentials', {
      name: 'legacy-hook',
      secret: { secret: PLAIN },
      hosts: [],
    });
    await publishFlow(app, paymentsFlow);
  });
  afterAll(() => app.close());

  it('accepts a standardwebhooks sender; a plain secret signs as its bytes (format raw)', async () => {
    const created = await deliver(
      app,
      'payments/bank',
      { ref: 'P-1', amount: 10 },
      { secret: SECRET },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ outcome: 'created', state: 'open', version: 1 });
    const legacy = await deliver(
      app,
      'payments/legacy',
      { ref: 'L-1', amount: 5 },
      { secret: PLAIN },
    );
    expect(legacy.status).toBe(201);
  });

  it('refuses a captured delivery under a new id, no id, a stale time, a changed body, another secret', async () => {
    const raw = JSON.stringify({ ref: 'P-2', amount: 20 });
    const captured = signedHeaders(SECRET, raw, { id: 'msg_captured', at: now() });
    const first = await post('payments/bank', raw, captured);
    expect(first.status).toBe(201);
    const before = await written();

    const { 'webhook-id': _id, ...noId } = captured;
    const oldStyle = {
      'x-ordo-signature': `t=${now()},v1=${createHmac('sha256', PLAIN).update(`${now()}.${raw}`).digest('hex')}`,
      'x-ordo-delivery': 'd-new',
    };
    const attacks: [string, string, Record<string, string>, string][] = [
      ['a new id', raw, { ...captured, 'webhook-id': 'msg_another' }, 'bad_signature'],
      ['no id', raw, noId, 'unsigned'],
      ['no headers but the old unsigned delivery id', raw, oldStyle, 'unsigned'],
      [
        'a re-dated signature',
        raw,
        { ...captured, 'webhook-timestamp': String(now() + 1) },
        'bad_signature',
      ],
      ['a changed body', raw.replace('20', '2000'), captured, 'bad_signature'],
      [
        'another secret',
        raw,
        signedHeaders(`whsec_${Buffer.alloc(32, 3).toString('base64')}`, raw),
        'bad_signature',
      ],
      // A new id with an old time: refused, though correctly signed.
      [
        'a new id, 6 minutes old',
        raw,
        signedHeaders(SECRET, raw, { at: now() - 360 }),
        'stale_delivery',
      ],
      [
        'a new id, 6 minutes ahead',
        raw,
        signedHeaders(SECRET, raw, { at: now() + 360 }),
        'stale_delivery',
      ],
    ];
    for (const [what, body, headers, code] of attacks) {
      const answer = await post('payments/bank', body, headers);
      expect({ what, status: answer.status, code: answer.body.code }).toEqual({
        what,
        status: 401,
        code,
      });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await written()).toEqual(before);

    // The same delivery again (a sender's retry, or a replay within 5 minutes): the first answer.
    const again = await post('payments/bank', raw, captured);
    expect(again.status).toBe(201);
    expect(again.headers.get('x-ordo-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body).toMatchObject({ orderId: first.body.orderId, state: 'open', version: 1 });

    // The captured bytes, 6 minutes later: stale, whatever id they carry.
    clock.offset += 6 * MINUTE;
    expect((await post('payments/bank', raw, captured)).body.code).toBe('stale_delivery');
    expect(await written()).toEqual(before);
  });

  it('answers a retry signed anew under the same id as the first time, for 3 days', async () => {
    await deliver(
      app,
      'payments/bank',
      { ref: 'P-3', amount: 30 },
      { secret: SECRET, id: 'msg_p3-new', at: now() },
    );
    const payRaw = JSON.stringify({ ref: 'P-3', event: 'paid' });
    const paid = await post(
      'payments/bank',
      payRaw,
      signedHeaders(SECRET, payRaw, { id: 'msg_p3-paid', at: now() }),
    );
    expect(paid.body).toMatchObject({ outcome: 'fired', state: 'paid', version: 2 });
    // The order moves on; a retry of the old delivery still gets the answer it had.
    const refundRaw = JSON.stringify({ ref: 'P-3', event: 'refunded' });
    await post('payments/bank', refundRaw, signedHeaders(SECRET, refundRaw, { at: now() }));
    const before = await written();

    clock.offset += 2 * DAY;
    await app.server.app.get(HooksService).prune();
    const retried = await post(
      'payments/bank',
      payRaw,
      signedHeaders(SECRET, payRaw, { id: 'msg_p3-paid', at: now() }),
    );
    expect(retried.status).toBe(200);
    expect(retried.headers.get('x-ordo-replayed')).toBe('true');
    expect(retried.body).toEqual({
      outcome: 'fired',
      orderId: paid.body.orderId,
      state: 'paid',
      version: 2,
    });
    expect(await written()).toEqual(before);
  });
});

describe.each(databaseKinds())('webhook subscriptions to refused addresses on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db });
  });
  afterAll(() => app.close());

  const subscribe = (url: string) =>
    app.call('POST', '/api/webhooks', { url, events: ['order.state_changed'] });

  it('refuses loopback, private, link-local and unresolvable URLs at creation (422 at /url, nothing stored)', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:10.0.0.1]/hook',
      'http://10.1.2.3/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/hook',
      'https://no-such-host.invalid/hook',
    ]) {
      const answer = await subscribe(url);
      expect({ url, status: answer.status }).toEqual({ url, status: 422 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors).toMatchObject([{ path: '/url', code: 'refused_address' }]);
    }
    expect((await app.call('GET', '/api/webhooks')).body.items).toEqual([]);
    const [row] = await app.server.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM webhook_subscriptions',
    );
    expect(Number(row.n)).toBe(0);
  });

  it('accepts a public address, and refuses an update to a refused one', async () => {
    // A public address (example.com's): no order exists here, so nothing is ever sent to it.
    const created = await subscribe('http://93.184.215.14/ordo-events');
    expect(created.status).toBe(201);
    try {
      const moved = await app.call('PATCH', `/api/webhooks/${created.body.id}`, {
        url: 'http://10.0.0.7/ordo-events',
      });
      expect(moved.status).toBe(422);
      expect(moved.body.errors).toMatchObject([{ path: '/url', code: 'refused_address' }]);
      const listed = await app.call('GET', '/api/webhooks');
      expect(listed.body.items).toMatchObject([{ url: 'http://93.184.215.14/ordo-events' }]);
      const events = await app.call('PATCH', `/api/webhooks/${created.body.id}`, {
        events: ['order.shipped'],
      });
      expect(events.body).toMatchObject({ events: ['order.shipped'] });
    } finally {
      // Stop deliveries to it at once.
      expect((await app.call('DELETE', `/api/webhooks/${created.body.id}`)).status).toBe(204);
    }
  });
});
