import { startTestServer } from '@ordo/connectors/testing';
import { createBank } from '@ordo/fake-systems';
import { TestClock } from './support/test-clock';
import { TimerRunner } from '../src/timers/timer-runner';
import { publishFlow } from './support/flows';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const MINUTE = 60_000;

/** BRIEF.md scenario 3, shortened: poll the bank every 15 minutes; overdue after an hour. */
const bankFlow = (bankUrl: string) => ({
  schemaVersion: 1,
  key: 'payments',
  name: 'Payments',
  connectors: { bank: { type: 'http', settings: { baseUrl: bankUrl }, retry: { attempts: 1 } } },
  fields: [
    { key: 'ref', type: 'string', required: true },
    { key: 'payment', type: 'object', fields: [{ key: 'status', type: 'string' }] },
  ],
  states: [
    { id: 'awaiting_payment', initial: true },
    { id: 'paid', final: true },
    { id: 'overdue' },
  ],
  transitions: [
    {
      id: 'paid',
      from: 'awaiting_payment',
      to: 'paid',
      event: 'payment_checked',
      guard: { '==': [{ var: 'payment.status' }, 'paid'] },
    },
    { id: 'overdue', from: 'awaiting_payment', to: 'overdue', event: 'payment_overdue' },
    { id: 'paid_late', from: 'overdue', to: 'paid', event: 'paid_late' },
  ],
  triggers: [
    {
      id: 'bank-poll',
      schedule: {
        every: 'PT15M',
        states: ['awaiting_payment'],
        call: {
          connector: 'bank',
          action: 'request',
          input: { path: '/payments/{ref}', 'params.ref': { var: 'ref' }, 'map.status': '/status' },
          resultPath: 'payment',
          onSuccess: 'payment_checked',
        },
        until: { '==': [{ var: 'payment.status' }, 'paid'] },
        deadline: {
          after: 'PT1H',
          event: 'payment_overdue',
          notify: { to: { role: 'finance' }, message: 'Payment of {{ref}} is overdue' },
        },
      },
    },
  ],
});

/** A review that must happen within two hours, a stuck approval, a flaky call, a warning. */
const opsFlow = (crmUrl: string) => ({
  schemaVersion: 1,
  key: 'ops',
  name: 'Exceptions',
  connectors: {
    crm: {
      type: 'http',
      settings: { baseUrl: crmUrl },
      retry: { attempts: 2, backoff: 'PT0.01S' },
    },
  },
  fields: [
    { key: 'amount', type: 'number' },
    { key: 'approved', type: 'boolean' },
    { key: 'flagged', type: 'boolean' },
    { key: 'call', type: 'boolean' },
  ],
  states: [
    { id: 'start', initial: true },
    {
      id: 'review',
      sla: {
        within: 'PT2H',
        onBreach: { task: { queue: 'supervisors', title: 'Review is late' } },
      },
    },
    { id: 'approval' },
    {
      id: 'calling',
      entry: [{ call: { connector: 'crm', action: 'request', input: { path: '/sync' } } }],
    },
    { id: 'manual' },
    { id: 'done', final: true },
  ],
  transitions: [
    { id: 'to_review', from: 'start', to: 'review', event: 'review' },
    { id: 'to_approval', from: 'start', to: 'approval', event: 'approve' },
    { id: 'to_calling', from: 'start', to: 'calling', event: 'call' },
    { id: 'reviewed', from: 'review', to: 'done', event: 'reviewed' },
    {
      id: 'approved',
      from: 'approval',
      to: 'done',
      auto: true,
      guard: { '==': [{ var: 'approved' }, true] },
    },
    { id: 'fallback', from: 'calling', to: 'manual', event: 'fallback' },
    { id: 'finish', from: ['manual', 'calling'], to: 'done', event: 'finish' },
  ],
  rules: [
    {
      id: 'big_amount',
      severity: 'warning',
      message: 'Large amount',
      logic: { '<': [{ var: 'amount' }, 10000] },
    },
  ],
  exceptions: [
    { kind: 'connector_failed', connector: 'crm', retry: { after: 'PT10M', times: 1 } },
    { kind: 'connector_failed', event: 'fallback' },
    {
      kind: 'auto_blocked',
      after: 'PT30M',
      task: { queue: 'supervisors', title: 'Approval stuck', priority: 'urgent' },
    },
    { kind: 'rule_warning', rule: 'big_amount', patch: { flagged: true } },
  ],
});

describe.each(databaseKinds())('timers, schedules and exceptions on %s', (db) => {
  let app: TestApp;
  let bank: ReturnType<typeof createBank>;
  let bankUrl: string;
  let crm: Awaited<ReturnType<typeof startTestServer>>;
  const clock = new TestClock();
  const advance = async (ms: number) => {
    clock.offset += ms;
    await app.server.app.get(TimerRunner).drain();
  };
  const order = (id: string) => app.call('GET', `/api/orders/${id}`).then((r) => r.body);
  const timers = (id: string) =>
    app.call('GET', `/api/orders/${id}/timers`).then((r) => r.body.items);

  beforeAll(async () => {
    bank = createBank();
    bankUrl = await bank.start();
    crm = await startTestServer(() => ({ status: 500, json: { error: 'down' } }));
    app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
    await publishFlow(app, bankFlow(bankUrl));
    await publishFlow(app, opsFlow(crm.url));
  });
  afterAll(async () => {
    await app.close();
    await bank.close();
    await crm.close();
  });

  it('polls the bank every 15 minutes and stops once paid', async () => {
    const created = (
      await app.call('POST', '/api/orders', { flow: 'payments', data: { ref: 'B-1' } })
    ).body;
    await fetch(`${bankUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'B-1', amount: 100 }),
    });
    await waitFor(async () => (await timers(created.id)).length === 1);
    await advance(15 * MINUTE);
    await waitFor(async () => (await order(created.id)).data.payment?.status === 'pending');
    // The test clock jumps 15 minutes at once, so a fire still in flight can lose its lease
    // (fenced: it writes nothing) and fire again a moment later: wait for the next poll's timer.
    await waitFor(async () => (await timers(created.id)).length === 1);
    const [next] = await timers(created.id);
    expect(Date.parse(next.at) - Date.parse(created.createdAt)).toBe(30 * MINUTE);
    expect(next.kind).toBe('poll');

    await fetch(`${bankUrl}/payments/B-1/settle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await advance(15 * MINUTE);
    await waitFor(async () => (await order(created.id)).state === 'paid');
    await waitFor(async () => (await timers(created.id)).length === 0);
    const kinds = (await app.call('GET', `/api/orders/${created.id}/history`)).body.items.map(
      (h: { kind: string }) => h.kind,
    );
    expect(kinds).toEqual(['created', 'timer', 'updated', 'timer', 'updated', 'transition']);
  });

  it('gives up at the deadline: the order goes overdue and finance is told', async () => {
    const created = (
      await app.call('POST', '/api/orders', { flow: 'payments', data: { ref: 'B-2' } })
    ).body;
    await waitFor(async () => (await timers(created.id)).length === 1);
    for (let i = 0; i < 4; i++) {
      await advance(15 * MINUTE);
      await waitFor(async () =>
        (await app.call('GET', `/api/orders/${created.id}/effects`)).body.items.every(
          (e: { status: string }) => e.status !== 'pending' && e.status !== 'running',
        ),
      );
    }
    await waitFor(async () => (await order(created.id)).state === 'overdue');
    const notices = await waitFor(async () => {
      const list = (await app.call('GET', `/api/notifications?orderId=${created.id}`)).body.items;
      return list.length && list;
    });
    expect(notices[0]).toMatchObject({
      to: { role: 'finance' },
      message: 'Payment of B-2 is overdue',
    });
    expect(await timers(created.id)).toEqual([]);
  });

  /** An `ops` order put in review and left there past its 2 h SLA: its breach task is open. */
  const breachedReview = async () => {
    const created = (await app.call('POST', '/api/orders', { flow: 'ops', data: { amount: 5 } }))
      .body;
    await app.call('POST', `/api/orders/${created.id}/events`, { type: 'review' });
    await waitFor(async () =>
      (await timers(created.id)).some((t: { timer: string }) => t.timer === 'sla:review'),
    );
    await advance(2 * 60 * MINUTE);
    const task = await waitFor(
      async () => (await app.call('GET', `/api/tasks?orderId=${created.id}`)).body.items[0],
    );
    return { created, task };
  };

  it('opens a task at an SLA breach; resolving it settles the exception as done by a person', async () => {
    const { created, task } = await breachedReview();
    expect(task).toMatchObject({ queue: 'supervisors', title: 'Review is late', priority: 'high' });
    const [exception] = (await app.call('GET', `/api/exceptions?orderId=${created.id}`)).body.items;
    expect(exception).toMatchObject({ kind: 'sla_breached', resolution: 'task', status: 'open' });
    const resolved = await app.call('POST', `/api/tasks/${task.id}/resolve`, { event: 'reviewed' });
    expect(resolved.body.status).toBe('closed');
    expect((await order(created.id)).state).toBe('done');
    expect((await app.call('GET', `/api/exceptions/${exception.id}`)).body).toMatchObject({
      status: 'settled',
      settledBy: 'person',
    });
  });

  it('an SLA breach settles by itself when the order leaves the state: its task closes', async () => {
    const { created, task } = await breachedReview();
    // The review is done in the order itself, not through the task.
    await app.call('POST', `/api/orders/${created.id}/events`, { type: 'reviewed' });
    const closed = await waitFor(async () => {
      const t = (await app.call('GET', `/api/tasks/${task.id}`)).body;
      return t.status === 'closed' && t;
    });
    expect(closed).toMatchObject({ closedBy: 'system' });
    const [exception] = (await app.call('GET', `/api/exceptions?orderId=${created.id}`)).body.items;
    expect(exception).toMatchObject({
      kind: 'sla_breached',
      status: 'settled',
      settledBy: 'system',
      note: 'Closed by itself: the order left review for done',
    });
  });

  it('routes each kind of exception to its auto-resolution or its queue', async () => {
    // A failed call: retried once ten minutes later, then the alternative event.
    const calling = (await app.call('POST', '/api/orders', { flow: 'ops', data: { amount: 5 } }))
      .body;
    await app.call('POST', `/api/orders/${calling.id}/events`, { type: 'call' });
    await waitFor(
      async () =>
        (await app.call('GET', `/api/exceptions?orderId=${calling.id}`)).body.items.length === 1,
    );
    expect(crm.requests).toHaveLength(2);
    clock.offset += 10 * MINUTE;
    await waitFor(async () => (await order(calling.id)).state === 'manual', 15_000);
    expect(crm.requests).toHaveLength(3);
    const failures = (await app.call('GET', `/api/exceptions?orderId=${calling.id}`)).body.items;
    expect(
      failures.map(
        (e: { resolution: string; settledBy: string }) => `${e.resolution}:${e.settledBy}`,
      ),
    ).toEqual(['event:system', 'retry:system']);

    // Blocked auto transitions: a task after 30 minutes.
    const stuck = (
      await app.call('POST', '/api/orders', { flow: 'ops', data: { amount: 5, approved: false } })
    ).body;
    await app.call('POST', `/api/orders/${stuck.id}/events`, { type: 'approve' });
    await waitFor(async () => (await timers(stuck.id)).length === 1);
    await advance(30 * MINUTE);
    const stuckTask = await waitFor(
      async () => (await app.call('GET', `/api/tasks?orderId=${stuck.id}`)).body.items[0],
    );
    expect(stuckTask).toMatchObject({
      queue: 'supervisors',
      title: 'Approval stuck',
      priority: 'urgent',
    });

    // A warning rule: the order is flagged without a person.
    const big = (await app.call('POST', '/api/orders', { flow: 'ops', data: { amount: 50_000 } }))
      .body;
    await waitFor(async () => (await order(big.id)).data.flagged === true);

    const stats = (await app.call('GET', '/api/exceptions/stats?flow=ops')).body;
    expect(stats.byKind).toMatchObject({
      connector_failed: { total: 2, automatic: 2 },
      auto_blocked: { total: 1, open: 1 },
      rule_warning: { total: 1, automatic: 1 },
      // One resolved through its task, one over when the order left the state (tests above).
      sla_breached: { total: 2, byPerson: 1, automatic: 1 },
    });
    expect(stats.total).toBe(6);
    expect(stats.automaticShare).toBeCloseTo(4 / 6);
  });
});

describe('timers survive a restart (SQLite file)', () => {
  it('fires a timer set before the server stopped', async () => {
    const fresh = await freshDatabase('sqlite');
    const clock = new TestClock();
    const first = await startTestApp({ db: 'sqlite', database: fresh.database, clock });
    await publishFlow(first, opsFlow('http://127.0.0.1:9'));
    const created = (await first.call('POST', '/api/orders', { flow: 'ops', data: { amount: 5 } }))
      .body;
    await first.call('POST', `/api/orders/${created.id}/events`, { type: 'review' });
    await waitFor(
      async () =>
        (await first.call('GET', `/api/orders/${created.id}/timers`)).body.items.length === 1,
    );
    await first.close();

    const second = await startTestApp({ db: 'sqlite', database: fresh.database, clock });
    try {
      clock.offset += 3 * 60 * MINUTE;
      await second.server.app.get(TimerRunner).drain();
      const task = await waitFor(
        async () => (await second.call('GET', `/api/tasks?orderId=${created.id}`)).body.items[0],
      );
      expect(task.title).toBe('Review is late');
    } finally {
      await second.close();
      await fresh.drop();
    }
  });
});

const clustered = process.env.DATABASE_URL?.startsWith('postgres') && process.env.REDIS_URL;
(clustered ? describe : describe.skip)('cluster mode: two processes, one database', () => {
  it('runs each poll once per tick', async () => {
    const fresh = await freshDatabase('postgres');
    const bankCalls = await startTestServer(() => ({ json: { status: 'pending' } }));
    const clock = new TestClock();
    const config = { outboundAllow: ['127.0.0.1:*'], redisUrl: process.env.REDIS_URL };
    const a = await startTestApp({ db: 'postgres', database: fresh.database, clock, config });
    const b = await startTestApp({
      db: 'postgres',
      database: fresh.database,
      clock,
      config: { ...config, adminKey: a.adminKey },
    });
    try {
      await publishFlow(a, bankFlow(bankCalls.url));
      const ids: string[] = [];
      for (let i = 0; i < 20; i++)
        ids.push(
          (await a.call('POST', '/api/orders', { flow: 'payments', data: { ref: `C-${i}` } })).body
            .id,
        );
      await waitFor(async () =>
        (await Promise.all(ids.map((id) => a.call('GET', `/api/orders/${id}/timers`)))).every(
          (r) => r.body.items.length === 1,
        ),
      );
      for (let tick = 1; tick <= 3; tick++) {
        clock.offset += 15 * MINUTE;
        await Promise.all([
          a.server.app.get(TimerRunner).drain(),
          b.server.app.get(TimerRunner).drain(),
        ]);
        await waitFor(async () => bankCalls.requests.length === 20 * tick, 15_000);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(bankCalls.requests).toHaveLength(60);
      const perOrder = new Map<string, number>();
      for (const r of bankCalls.requests) perOrder.set(r.url, (perOrder.get(r.url) ?? 0) + 1);
      expect([...perOrder.values()]).toEqual(Array(20).fill(3));
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
      await bankCalls.close();
    }
  });
});
