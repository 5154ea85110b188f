/**
 * Leases fence every claim-holder's write (docs/security.md, "Leases fence every
 * claim-holder's write"). Each test stalls a runner past its lease, deterministically: runner A
 * claims, the clock moves past A's lease, runner B claims the same row and finishes it; then A
 * comes back and does what a late runner does — settles, reschedules, fires, records an attempt
 * or writes its report. None of that may change anything: a finished effect stays finished, an
 * answer is applied once, a timer fires once, a delivered webhook stays delivered.
 */
import { randomBytes } from 'node:crypto';
import { startTestServer } from '@ordo/connectors/testing';
import { type CompiledFlow, type EngineContext, type Order, systemActor } from '@ordo/engine';
import { LeaseLostError } from '../src/database/lease';
import { FlowCache } from '../src/flows/flow-cache';
import { OrdersService } from '../src/orders/orders.service';
import { EffectRunner } from '../src/runtime/effect-runner';
import { OutboxRepository } from '../src/runtime/outbox.repository';
import { ReconciliationService } from '../src/systems/reconciliation.service';
import { TimerRunner } from '../src/timers/timer-runner';
import { TimersRepository } from '../src/timers/timers.repository';
import { WebhookSender } from '../src/webhooks/webhook-sender';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository';
import { publishFlow } from './support/flows';
import { TestClock } from './support/test-clock';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const LEASE_MS = 60_000;

/** A connector call on entry whose answer is written at `answer` (no transition). */
const callFlow = (baseUrl: string) => ({
  schemaVersion: 1,
  key: 'fenced-call',
  name: 'Fenced call',
  connectors: {
    sys: { type: 'http', settings: { baseUrl }, retry: { attempts: 5, backoff: 'PT0.01S' } },
  },
  fields: [
    { key: 'ref', type: 'string', required: true },
    { key: 'answer', type: 'object', fields: [{ key: 'n', type: 'number' }] },
  ],
  states: [
    {
      id: 'new',
      initial: true,
      entry: [
        {
          call: {
            connector: 'sys',
            action: 'request',
            input: { path: '/answer', 'map.n': '/n' },
            resultPath: 'answer',
          },
        },
      ],
    },
    { id: 'done', final: true },
  ],
  transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'finish' }],
});

/** An SLA timer on `review`: its breach opens a task. */
const slaFlow = {
  schemaVersion: 1,
  key: 'fenced-sla',
  name: 'Fenced SLA',
  fields: [{ key: 'ref', type: 'string' }],
  states: [
    { id: 'start', initial: true },
    {
      id: 'review',
      sla: { within: 'PT1H', onBreach: { task: { queue: 'supervisors', title: 'Late' } } },
    },
    { id: 'done', final: true },
  ],
  transitions: [
    { id: 'to_review', from: 'start', to: 'review', event: 'review' },
    { id: 'reviewed', from: 'review', to: 'done', event: 'reviewed' },
  ],
};

/** A system read every hour (a scheduled reconciliation). */
const reconFlow = (baseUrl: string) => ({
  schemaVersion: 1,
  key: 'fenced-recon',
  name: 'Fenced reconciliation',
  connectors: { bank: { type: 'http', settings: { baseUrl }, retry: { attempts: 1 } } },
  fields: [{ key: 'ref', type: 'string', required: true }],
  states: [
    { id: 'new', initial: true },
    { id: 'done', final: true },
  ],
  transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'finish' }],
  systems: {
    bank: {
      statuses: [
        { code: 'NEW', state: 'new' },
        { code: 'DONE', state: 'done', event: 'finish' },
      ],
      read: {
        call: {
          connector: 'bank',
          action: 'request',
          input: { path: '/status/{ref}', 'params.ref': { var: 'ref' } },
        },
        status: '/body/status',
        every: 'PT1H',
      },
    },
  },
});

describe.each(databaseKinds())('leases fence their holders on %s', (db) => {
  let app: TestApp;
  let clock: TestClock;
  /** What the other system answers now. */
  let answer: { status: number; json: unknown };
  let system: Awaited<ReturnType<typeof startTestServer>>;
  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();
  const get = <T>(type: new (...args: never[]) => T): T => app.server.app.get(type as never);

  beforeEach(async () => {
    answer = { status: 200, json: { n: 1 } };
    system = await startTestServer(() => answer);
    clock = new TestClock();
    // The runners do not run on their own: the test is each runner.
    app = await startTestApp({
      db,
      clock,
      runEffects: false,
      config: { outboundAllow: ['127.0.0.1:*'] },
    });
  });
  afterEach(async () => {
    await app.close();
    await system.close();
  });

  /** A's lease runs out; B takes the rows A held. */
  const stallPastLease = () => (clock.offset += LEASE_MS + 1000);

  it('outbox: a stalled runner neither re-applies an answer nor puts a finished effect back', async () => {
    await publishFlow(app, callFlow(system.url));
    const outbox = get(OutboxRepository);
    const runner = get(EffectRunner);
    const order = (
      await app.call('POST', '/api/orders', { flow: 'fenced-call', data: { ref: 'a' } })
    ).body;
    const [a] = await outbox.claim(iso(), iso(LEASE_MS), 10);
    expect(a.orderId).toBe(order.id);
    stallPastLease();
    expect(await outbox.reclaimExpired(iso())).toBe(1);
    const [b] = await outbox.claim(iso(), iso(LEASE_MS), 10);
    expect(b.id).toBe(a.id);
    await runner.run(b);
    const settled = await outbox.get(a.id);
    expect(settled).toMatchObject({ status: 'done', attempts: 2 });
    const historyAfterB = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.data.answer).toEqual({ n: 1 });

    // A comes back with another answer: its settle is fenced, so the answer is rolled back.
    answer = { status: 200, json: { n: 2 } };
    await runner.run(a);
    const after = (await app.call('GET', `/api/orders/${order.id}`)).body;
    expect(after.data.answer).toEqual({ n: 1 });
    expect(after.version).toBe(historyAfterB.length);
    expect((await app.call('GET', `/api/orders/${order.id}/history`)).body.items).toEqual(
      historyAfterB,
    );
    expect(await outbox.get(a.id)).toEqual(settled);

    // A comes back with a failure worth retrying: the finished effect stays finished.
    answer = { status: 503, json: { error: 'busy' } };
    await runner.run(a);
    expect(await outbox.get(a.id)).toEqual(settled);
    expect(await outbox.reschedule(a, iso(), 'late')).toBe(false);
    expect(await outbox.settle(a, 'dead', null, 'late', iso())).toBe(false);
    expect(await outbox.get(a.id)).toEqual(settled);
    // Nothing is due: no stalled write put the effect back in the queue.
    expect(await outbox.claim(iso(LEASE_MS * 10), iso(LEASE_MS * 11), 10)).toEqual([]);
  });

  it('outbox: an answer applied on a stale order is re-applied on the fresh one, settled once with it', async () => {
    await publishFlow(app, callFlow(system.url));
    const outbox = get(OutboxRepository);
    const orders = get(OrdersService);
    const create = async (ref: string) =>
      (await app.call('POST', '/api/orders', { flow: 'fenced-call', data: { ref } })).body;
    const [one, two] = [await create('one'), await create('two')];
    const claims = await outbox.claim(iso(), iso(LEASE_MS), 10);
    expect(claims.map((c) => c.orderId).sort()).toEqual([one.id, two.id].sort());
    const stale = await orders.get(one.id);
    // Another change lands between the runner's read and its write.
    await app.call('PATCH', `/api/orders/${one.id}`, { ref: 'one-b' });
    const actor = systemActor('connector:sys');
    const answer = (n: number) => (flow: CompiledFlow, order: Order, ctx: EngineContext) =>
      flow.update(order, { answer: { n } }, ctx);
    // Both answers in one turn: on PostgreSQL one statement; the stale one loses and is retried.
    await Promise.all(
      claims.map((c) =>
        orders.applyOutcome(
          c.orderId,
          answer(c.orderId === one.id ? 7 : 8),
          actor,
          outbox.settlement(c, 'done', { n: 1 }, null, iso()),
          c.orderId === one.id ? stale : undefined,
        ),
      ),
    );
    const after = (await app.call('GET', `/api/orders/${one.id}`)).body;
    expect(after.data).toMatchObject({ ref: 'one-b', answer: { n: 7 } });
    expect(after.version).toBe(stale.version + 2);
    expect((await app.call('GET', `/api/orders/${two.id}`)).body.data.answer).toEqual({ n: 8 });
    for (const c of claims)
      expect(await outbox.get(c.id)).toMatchObject({ status: 'done', attempts: 1 });
    // The same claim settles nothing twice: the answer is refused whole.
    const claim = claims.find((c) => c.orderId === one.id)!;
    await expect(
      orders.applyOutcome(
        one.id,
        answer(9),
        actor,
        outbox.settlement(claim, 'done', { n: 9 }, null, iso()),
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect((await app.call('GET', `/api/orders/${one.id}`)).body).toMatchObject({
      version: after.version,
      data: { answer: { n: 7 } },
    });
  });

  it('outbox: renewing renews only the leases this runner still holds', async () => {
    await publishFlow(app, callFlow(system.url));
    const outbox = get(OutboxRepository);
    await app.call('POST', '/api/orders', { flow: 'fenced-call', data: { ref: 'r' } });
    const [a] = await outbox.claim(iso(), iso(LEASE_MS), 10);
    stallPastLease();
    await outbox.reclaimExpired(iso());
    const [b] = await outbox.claim(iso(), iso(LEASE_MS), 10);
    const heldUntil = (
      await app.server.db.query<{ locked_until: string }>(
        'SELECT locked_until FROM outbox WHERE id = ?',
        [b.id],
      )
    )[0].locked_until;
    await outbox.renew([a], iso(LEASE_MS * 5));
    const [row] = await app.server.db.query<{ locked_until: string; lease_token: string }>(
      'SELECT locked_until, lease_token FROM outbox WHERE id = ?',
      [b.id],
    );
    expect(row).toEqual({ locked_until: heldUntil, lease_token: b.lease });
  });

  it('timers: a stalled runner fires nothing and frees nothing; the holder fires once', async () => {
    await publishFlow(app, slaFlow);
    const outbox = get(OutboxRepository);
    const timers = get(TimersRepository);
    const runner = get(TimerRunner);
    const order = (await app.call('POST', '/api/orders', { flow: 'fenced-sla', data: {} })).body;
    await app.call('POST', `/api/orders/${order.id}/events`, { type: 'review' });
    // The timer.start effect stores the timer (the dispatcher's work, done here by hand).
    for (const effect of await outbox.claim(iso(), iso(LEASE_MS), 50))
      await get(EffectRunner).run(effect);
    expect(await timers.forOrder(order.id)).toHaveLength(1);

    clock.offset += 2 * 3600_000;
    const [a] = await timers.claim(iso(), iso(LEASE_MS), 64);
    stallPastLease();
    const [b] = await timers.claim(iso(), iso(LEASE_MS), 64);
    expect(b.id).toBe(a.id);
    const before = (await app.call('GET', `/api/orders/${order.id}`)).body;

    // A comes back while B holds the timer: A's firing is rolled back, its release changes nothing.
    await runner.fire(a);
    await timers.release(a, iso(LEASE_MS * 10));
    expect((await app.call('GET', `/api/orders/${order.id}`)).body).toEqual(before);
    const [held] = await app.server.db.query<{ lease_token: string; due_at: string }>(
      'SELECT lease_token, due_at FROM timers WHERE id = ?',
      [b.id],
    );
    expect(held).toEqual({ lease_token: b.lease, due_at: b.at });
    expect(await timers.remove(a)).toBe(0);

    // B, the holder, fires it: once.
    await runner.fire(b);
    const fired = (await app.call('GET', `/api/orders/${order.id}`)).body;
    expect(fired.version).toBe(before.version + 1);
    expect(await timers.forOrder(order.id)).toEqual([]);
    await runner.fire(a);
    expect((await app.call('GET', `/api/orders/${order.id}`)).body).toEqual(fired);
  });

  it('webhook deliveries: a stalled sender does not put a delivered webhook back', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const subscribed = await app.call('POST', '/api/webhooks', {
      url: `${system.url}/hook`,
      events: ['*'],
      secret,
    });
    expect(subscribed.status).toBe(201);
    const webhooks = get(WebhooksRepository);
    const sender = get(WebhookSender);
    expect(
      await webhooks.fanOut('lease-test', 'order.created', { n: 1 }, iso(), app.server.db),
    ).toBe(1);
    const [a] = await webhooks.claim(iso(), iso(LEASE_MS), 32);
    stallPastLease();
    const [b] = await webhooks.claim(iso(), iso(LEASE_MS), 32);
    expect(b.id).toBe(a.id);
    await sender.send(b);
    const delivered = await webhooks.delivery(a.id);
    expect(delivered).toMatchObject({ status: 'delivered', lastStatus: 200, attempts: 2 });

    answer = { status: 500, json: { error: 'down' } };
    await sender.send(a);
    expect(await webhooks.delivery(a.id)).toEqual(delivered);
    expect(
      await webhooks.attempted(a, { status: null, error: 'late', delivered: false }, iso()),
    ).toBe(false);
    expect(await webhooks.delivery(a.id)).toEqual(delivered);
    expect(await webhooks.claim(iso(LEASE_MS * 10), iso(LEASE_MS * 11), 32)).toEqual([]);
  });

  it('flow schedules: a stalled run writes no report; a live run holds the schedule', async () => {
    answer = { status: 200, json: { status: 'NEW' } };
    await publishFlow(app, reconFlow(system.url));
    await app.call('POST', '/api/orders', { flow: 'fenced-recon', data: { ref: 'R-1' } });
    const service = get(ReconciliationService);
    const flow = await get(FlowCache).latest('fenced-recon');
    const key = 'reconcile:fenced-recon:bank';
    const first = iso();
    expect(await service.schedules.next(key, first)).toBe(first);

    const a = (await service.schedules.claim(key, iso(), iso(3600_000), iso(LEASE_MS)))!;
    expect(a).toBeDefined();
    // Due again an hour on, while A still runs (it renews its lease): nobody else takes it.
    expect(await service.schedules.renew(a, iso(2 * 3600_000))).toBe(true);
    expect(await service.schedules.claim(key, iso(3600_000), iso(7200_000), iso(LEASE_MS))).toBe(
      undefined,
    );
    clock.offset += 3 * 3600_000;
    const b = (await service.schedules.claim(key, iso(), iso(3600_000), iso(LEASE_MS)))!;
    expect(b).toBeDefined();
    const report = await service.runScheduled(flow, 'bank', b);
    expect(report).toMatchObject({ checked: 1, drifted: 0 });

    // A comes back: its run calls the system, but its report is not written.
    expect(await service.runScheduled(flow, 'bank', a)).toBeUndefined();
    expect(await service.schedules.renew(a, iso(LEASE_MS))).toBe(false);
    expect(await service.list('fenced-recon', 'bank', 10)).toEqual([report]);
  });
});
