import { startTestServer, type ReceivedRequest } from '@ordo/connectors/testing';
import { Webhook } from 'standardwebhooks';
import { publishFlow } from './support/flows';
import { deliver, signedHeaders } from './support/hooks';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const SECRET = `whsec_${Buffer.from('crm-hook-secret-0123456789abcdef').toString('base64')}`;

/** Orders from a chat gateway: created by their first delivery, advanced by the next. */
const intakeFlow = {
  schemaVersion: 1,
  key: 'intake',
  name: 'Chat intake',
  fields: [
    { key: 'customer', type: 'string', required: true },
    { key: 'amount', type: 'number' },
    { key: 'hold', type: 'boolean' },
  ],
  states: [{ id: 'received', initial: true }, { id: 'confirmed' }, { id: 'shipped', final: true }],
  transitions: [
    { id: 'confirm', from: 'received', to: 'confirmed', event: 'confirm' },
    {
      id: 'ship',
      from: 'confirmed',
      to: 'shipped',
      event: 'ship',
      actions: [
        { emit: { event: 'order.shipped', payload: { carrier: { var: '$event.carrier' } } } },
      ],
    },
  ],
  triggers: [
    {
      id: 'chat',
      webhook: {
        secret: 'chat-hook',
        find: { by: 'externalRef', value: { var: '$body.orderNo' } },
        create: { data: { customer: { var: '$body.customer' }, amount: { var: '$body.amount' } } },
        event: { type: { var: '$body.event' } },
      },
    },
    {
      id: 'payments',
      webhook: {
        secret: 'chat-hook',
        find: { by: 'externalRef', value: { var: '$body.orderNo' } },
        event: { type: 'confirm' },
      },
    },
  ],
  exceptions: [
    {
      kind: 'unmatched_delivery',
      trigger: 'payments',
      task: { queue: 'finance', title: 'Payment {{$exception.error}}', priority: 'high' },
    },
  ],
  queues: { finance: { roles: ['accountant'] } },
};

describe.each(databaseKinds())('inbound and outbound webhooks on %s', (db) => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startTestServer>>;
  let failNext = 0;

  beforeAll(async () => {
    receiver = await startTestServer(() =>
      failNext-- > 0 ? { status: 500, json: { no: true } } : { json: { ok: true } },
    );
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/credentials', {
      name: 'chat-hook',
      secret: { secret: SECRET },
      hosts: [],
    });
    await publishFlow(app, intakeFlow);
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('refuses a missing, malformed, wrong or stale signature (401, nothing written)', async () => {
    const body = { orderNo: 'S-0', customer: 'C1', event: 'confirm' };
    const raw = JSON.stringify(body);
    const post = (headers: Record<string, string>) =>
      app.call('POST', '/api/hooks/intake/chat', undefined, { as: '', raw, headers });
    const signed = signedHeaders(SECRET, raw, { id: 'msg_refused' });
    const other = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    for (const [headers, code, words] of [
      [{}, 'unsigned', 'webhook-id, webhook-timestamp and webhook-signature are required'],
      [{ ...signed, 'webhook-signature': 'v1=abc' }, 'unsigned', 'v1,<base64'],
      [{ ...signed, 'webhook-timestamp': 'soon' }, 'unsigned', 'Unix seconds'],
      [signedHeaders(other, raw), 'bad_signature', 'No webhook-signature matches'],
      [signedHeaders(SECRET, raw + ' '), 'bad_signature', 'No webhook-signature matches'],
      [
        signedHeaders(SECRET, raw, { at: Math.floor(Date.now() / 1000) - 360 }),
        'stale_delivery',
        'stale',
      ],
      [
        signedHeaders(SECRET, raw, { at: Math.floor(Date.now() / 1000) + 360 }),
        'stale_delivery',
        'stale',
      ],
    ] as const) {
      const answer = await post(headers);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ code });
      expect(answer.body.detail).toContain(words);
    }
    const listed = await app.call('GET', '/api/orders?flow=intake');
    expect(listed.body.items).toHaveLength(0);
  });

  it('answers 404 for an unknown trigger and 503 when its secret is not stored', async () => {
    const missing = await deliver(app, 'intake/nope', {}, { secret: SECRET });
    expect(missing.status).toBe(404);
    await publishFlow(app, {
      ...intakeFlow,
      key: 'unconfigured',
      triggers: [
        {
          ...intakeFlow.triggers[0],
          webhook: { ...intakeFlow.triggers[0].webhook, secret: 'not-stored' },
        },
      ],
      exceptions: [],
    });
    const unconfigured = await deliver(
      app,
      'unconfigured/chat',
      { orderNo: 'x' },
      { secret: SECRET },
    );
    expect(unconfigured.status).toBe(503);
    expect(unconfigured.body.detail).toContain('"not-stored"');
  });

  it('starts an order on a new reference, then correlates the next deliveries to it', async () => {
    const created = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-1', customer: 'C1', amount: 40 },
      { secret: SECRET, id: 'd-1' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ outcome: 'created', state: 'received' });
    const order = await app.call('GET', `/api/orders/${created.body.orderId}`);
    expect(order.body).toMatchObject({
      channel: 'webhook',
      externalRef: 'S-1',
      data: { customer: 'C1', amount: 40 },
    });

    const fired = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-1', event: 'confirm' },
      { secret: SECRET, id: 'd-2' },
    );
    expect(fired.status).toBe(200);
    expect(fired.body).toMatchObject({
      outcome: 'fired',
      orderId: created.body.orderId,
      state: 'confirmed',
    });
    const history = await app.call('GET', `/api/orders/${created.body.orderId}/history`);
    expect(history.body.items.at(-1)).toMatchObject({
      event: 'confirm',
      actor: { id: 'hook:chat' },
    });
  });

  it('applies a webhook-id once: a repeat gets the first answer, even concurrently', async () => {
    const first = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-2', customer: 'C2' },
      { secret: SECRET, id: 'd-dup' },
    );
    const again = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-2', customer: 'C2' },
      { secret: SECRET, id: 'd-dup' },
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('x-ordo-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body).toMatchObject({ state: 'received', version: 1 });

    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        deliver(
          app,
          'intake/chat',
          { orderNo: 'S-2', event: 'confirm' },
          { secret: SECRET, id: 'd-burst' },
        ),
      ),
    );
    expect(burst.map((b) => b.status)).toEqual(Array(8).fill(200));
    const history = await app.call('GET', `/api/orders/${first.body.orderId}/history`);
    expect(
      history.body.items.filter((h: { event?: string }) => h.event === 'confirm'),
    ).toHaveLength(1);
  });

  it('answers a refusal with a problem, and a repeat of it with the same problem', async () => {
    const refused = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-1', event: 'teleport' },
      { secret: SECRET, id: 'd-bad' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'no_transition' });
    const again = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-1', event: 'teleport' },
      { secret: SECRET, id: 'd-bad' },
    );
    expect(again.status).toBe(422);
    expect(again.headers.get('x-ordo-replayed')).toBe('true');
    const noRef = await deliver(
      app,
      'intake/chat',
      { customer: 'C9' },
      { secret: SECRET, id: 'd-noref' },
    );
    expect(noRef.status).toBe(422);
    expect(noRef.body.code).toBe('no_reference');
  });

  it('routes a delivery that matches no order to a task in the right queue', async () => {
    const answer = await deliver(
      app,
      'intake/payments',
      { orderNo: 'GHOST-1', paymentId: 'p-77' },
      { secret: SECRET },
    );
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ outcome: 'unmatched', reference: 'GHOST-1' });
    const exception = await app.call('GET', `/api/exceptions/${answer.body.exceptionId}`);
    expect(exception.body).toMatchObject({
      kind: 'unmatched_delivery',
      resolution: 'task',
      status: 'open',
    });

    // Queues map to roles: an accountant sees the finance task, a warehouse clerk does not.
    const token = async (role: string) => {
      const created = await app.call('POST', '/api/keys', {
        name: `k-${role}`,
        roles: ['operator', role],
      });
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      const key = created.body.key as string;
      return { key, id: (await app.call('GET', '/api/auth/me', undefined, { as: key })).body.id };
    };
    const { key: accountant, id: accountantId } = await token('accountant');
    const { key: clerk } = await token('warehouse');
    const seen = await app.call('GET', '/api/tasks?queue=finance', undefined, { as: accountant });
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0]).toMatchObject({
      priority: 'high',
      title: 'Payment No order with reference "GHOST-1"',
      orderId: null,
    });
    expect((await app.call('GET', '/api/tasks', undefined, { as: clerk })).body.items).toHaveLength(
      0,
    );
    const id = seen.body.items[0].id;
    expect(
      (await app.call('POST', `/api/tasks/${id}/claim`, undefined, { as: clerk })).status,
    ).toBe(404);

    const claimed = await app.call('POST', `/api/tasks/${id}/claim`, undefined, { as: accountant });
    expect(claimed.body).toMatchObject({ status: 'claimed', assignee: accountantId });
    const twice = await app.call('POST', `/api/tasks/${id}/claim`, undefined, { as: accountant });
    expect(twice.status).toBe(409);
    const event = await app.call(
      'POST',
      `/api/tasks/${id}/resolve`,
      { event: 'confirm' },
      { as: accountant },
    );
    expect(event.status).toBe(422);
    expect(event.body.code).toBe('no_order');
    const resolved = await app.call(
      'POST',
      `/api/tasks/${id}/resolve`,
      { comment: 'Refunded by hand' },
      { as: accountant },
    );
    expect(resolved.body).toMatchObject({ status: 'closed', closedBy: accountantId });
    expect(
      (await app.call('GET', `/api/tasks/${id}`, undefined, { as: accountant })).body.comments,
    ).toMatchObject([{ body: 'Refunded by hand' }]);
    expect(
      (await app.call('GET', `/api/exceptions/${answer.body.exceptionId}`)).body,
    ).toMatchObject({ status: 'settled', settledBy: 'person' });
  });

  it('delivers emitted events and state changes to subscribers, signed, with retries and a log', async () => {
    const bad = await app.call('POST', '/api/webhooks', {
      url: 'ftp://x',
      events: [],
      secret: 'a-plain-secret-of-old-0123',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/events',
      '/secret',
      '/url',
    ]);
    const short = await app.call('POST', '/api/webhooks', {
      url: `${receiver.url}/ordo`,
      events: ['*'],
      secret: `whsec_${Buffer.alloc(8).toString('base64')}`,
    });
    expect(short.status).toBe(422);
    expect(short.body.errors).toMatchObject([{ path: '/secret', code: 'invalid_secret' }]);
    // Ordo makes the secret (whsec_, 32 bytes) and shows it in this answer only.
    const subscription = await app.call('POST', '/api/webhooks', {
      url: `${receiver.url}/ordo`,
      events: ['order.shipped', 'order.state_changed'],
    });
    expect(subscription.status).toBe(201);
    const hookSecret = subscription.body.secret as string;
    expect(hookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listedSubscriptions = await app.call('GET', '/api/webhooks');
    expect(JSON.stringify(listedSubscriptions.body)).not.toContain(hookSecret);
    failNext = 1; // the first attempt fails: it is retried
    const created = await deliver(
      app,
      'intake/chat',
      { orderNo: 'S-3', customer: 'C3' },
      { secret: SECRET },
    );
    const id = created.body.orderId;
    await app.call('POST', `/api/orders/${id}/events`, { type: 'confirm' });
    await app.call('POST', `/api/orders/${id}/events`, {
      type: 'ship',
      payload: { carrier: 'SF' },
    });

    const received = await waitFor(async () => {
      const mine = receiver.requests.filter(
        (r) =>
          (r.json as { order?: { id: string } })?.order?.id === id && r.headers['x-ordo-event'],
      );
      const events = new Set(
        mine.map(
          (r) =>
            `${(r.json as { event: string }).event}:${JSON.stringify((r.json as { data: unknown }).data)}`,
        ),
      );
      return events.size >= 4 && mine;
    }, 15_000);
    const events = received.map(
      (r: ReceivedRequest) => r.json as { event: string; data: { to?: string } },
    );
    expect(events.filter((e) => e.event === 'order.state_changed').map((e) => e.data.to)).toEqual(
      expect.arrayContaining(['received', 'confirmed', 'shipped']),
    );
    expect(events.find((e) => e.event === 'order.shipped')).toMatchObject({
      data: { carrier: 'SF' },
    });
    // A receiver using the standardwebhooks package verifies every delivery (retries included).
    const receiverHook = new Webhook(hookSecret);
    for (const r of received) {
      const headers = r.headers as Record<string, string>;
      expect(receiverHook.verify(r.body, headers)).toEqual(r.json);
      expect(headers['webhook-id']).toMatch(/^msg_\d+$/);
    }
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 9).toString('base64')}`).verify(
        received[0].body,
        received[0].headers as Record<string, string>,
      ),
    ).toThrow();
    const log = await waitFor(async () => {
      const page = await app.call('GET', `/api/webhooks/${subscription.body.id}/deliveries`);
      return (
        page.body.items.every((d: { status: string }) => d.status === 'delivered') && page.body
      );
    }, 15_000);
    expect(log.items.some((d: { attempts: number }) => d.attempts === 2)).toBe(true);
    // The retried delivery kept its webhook-id (a receiver applies it once).
    const ids = receiver.requests
      .filter((r) => (r.json as { order?: { id: string } })?.order?.id === id)
      .map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBeLessThan(ids.length);

    const count = receiver.requests.length;
    const again = await app.call(
      'POST',
      `/api/webhooks/${subscription.body.id}/deliveries/${log.items[0].id}/redeliver`,
    );
    expect(again.status).toBe(202);
    await waitFor(async () => receiver.requests.length > count);
    expect(
      (await app.call('POST', `/api/webhooks/${subscription.body.id}/deliveries/999999/redeliver`))
        .status,
    ).toBe(404);
    expect((await app.call('DELETE', `/api/webhooks/${subscription.body.id}`)).status).toBe(204);
  });
});
