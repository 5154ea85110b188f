/**
 * Cluster mode: work one process writes is taken by another at once, woken through Redis, not
 * at its next poll. Each process here polls once a minute (`pollMs`), so only the wake can
 * explain work done within the wait; the writer's own loop is stopped.
 */
import { reservationFlow, startFakeSystems } from '@ordo/fake-systems';
import { EffectDispatcher } from '../src/runtime/effect-dispatcher';
import { TimerRunner } from '../src/timers/timer-runner';
import { publishFlow } from './support/flows';
import { freshDatabase, startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** A state whose SLA runs out in a moment; its breach moves the order on. */
const slaFlow = {
  schemaVersion: 1,
  key: 'quick-sla',
  name: 'Quick SLA',
  fields: [{ key: 'ref', type: 'string' }],
  states: [
    { id: 'waiting', initial: true, sla: { within: 'PT0.2S', onBreach: { event: 'late' } } },
    { id: 'late', final: true },
  ],
  transitions: [{ id: 'late', from: 'waiting', to: 'late', event: 'late' }],
};

/** Two processes of one cluster, each polling once a minute. */
async function pair(fresh: Awaited<ReturnType<typeof freshDatabase>>) {
  const config = {
    outboundAllow: ['127.0.0.1:*'],
    redisUrl: process.env.REDIS_URL,
    pollMs: 60_000,
  };
  const a = await startTestApp({ db: 'postgres', database: fresh.database, config });
  const b = await startTestApp({
    db: 'postgres',
    database: fresh.database,
    config: { ...config, adminKey: a.adminKey },
  });
  return { a, b, close: () => Promise.all([a.close(), b.close()]) };
}

const clustered = process.env.DATABASE_URL?.startsWith('postgres') && process.env.REDIS_URL;
(clustered ? describe : describe.skip)('cluster mode: processes wake each other', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let fake: Awaited<ReturnType<typeof startFakeSystems>>;
  beforeAll(async () => {
    fresh = await freshDatabase('postgres');
    fake = await startFakeSystems();
  });
  afterAll(async () => {
    await fresh?.drop();
    await fake?.close();
  });

  it("claims on B the effect of an order created on A while A's dispatcher is stopped", async () => {
    const { a, b, close } = await pair(fresh);
    try {
      await publishFlow(a, reservationFlow(fake.urls.wms, 'wake'));
      // B looked at the outbox when it started and found nothing: it sleeps for a minute.
      await a.server.app.get(EffectDispatcher).onApplicationShutdown();
      const created = await a.call('POST', '/api/orders', {
        flow: 'wake',
        data: { lines: [{ sku: 'S-1', qty: 2 }] },
      });
      expect(created.status).toBe(201);
      const order = await waitFor(async () => {
        const got = await a.call('GET', `/api/orders/${created.body.id}`);
        return got.body.state === 'reserved' && got.body;
      }, 5000);
      expect(order.data.reservation.id).toMatch(/^R-\d+$/);
      // B answers with the shared admin key (every process of a cluster reads the same rows).
      const effects = (
        await b.call('GET', `/api/effects?orderId=${created.body.id}`, undefined, {
          as: a.adminKey,
        })
      ).body;
      expect(effects.items).toEqual([
        expect.objectContaining({ type: 'connector.call', status: 'done', attempts: 1 }),
      ]);
    } finally {
      await close();
    }
  });

  it("fires on B the timer A stored while A's timer poller is stopped", async () => {
    const { a, b, close } = await pair(fresh);
    try {
      await publishFlow(a, slaFlow);
      // A runs the effect that stores the timer; only B's timer poller can fire it.
      await b.server.app.get(EffectDispatcher).onApplicationShutdown();
      await a.server.app.get(TimerRunner).onApplicationShutdown();
      const created = await a.call('POST', '/api/orders', { flow: 'quick-sla', data: {} });
      expect(created.status).toBe(201);
      const order = await waitFor(async () => {
        const got = await a.call('GET', `/api/orders/${created.body.id}`);
        return got.body.state === 'late' && got.body;
      }, 5000);
      expect(order.state).toBe('late');
      expect((await a.call('GET', `/api/orders/${created.body.id}/timers`)).body.items).toEqual([]);
    } finally {
      await close();
    }
  });
});
