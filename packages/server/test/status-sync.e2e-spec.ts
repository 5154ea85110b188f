import { createStatusSystem } from '@ordo/fake-systems';
import { publishFlow } from './support/flows';
import { deliver } from './support/hooks';
import { RuntimeClock } from '../src/runtime/runtime-clock';
import { EffectDispatcher } from '../src/runtime/effect-dispatcher';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { CODES, SECRET, STATES, SYSTEMS, syncFlow } from './support/status-sync-flow';

describe.each(databaseKinds())('the status translator on %s', (db) => {
  let app: TestApp;
  const systems = Object.fromEntries(SYSTEMS.map((s) => [s, createStatusSystem(s)]));
  const urls: Record<string, string> = {};

  /** What each system was told about an order, in its own codes. */
  const pushes = (system: string, ref: string) =>
    fetch(`${urls[system]}/_test/pushes`)
      .then((r) => r.json() as Promise<{ pushes: { ref: string; status: string }[] }>)
      .then((b: { pushes: { ref: string; status: string }[] }) =>
        b.pushes.filter((p) => p.ref === ref).map((p) => p.status),
      );

  /** A system changes an order's status itself and tells Ordo (a signed webhook). */
  const report = async (system: string, ref: string, status: string) => {
    const answer = await fetch(`${urls[system]}/_test/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ref, status }),
    }).then((r) => r.json() as Promise<{ status: number; answer: unknown }>);
    expect(answer.status).toBe(200);
    return answer.answer;
  };

  beforeAll(async () => {
    for (const s of SYSTEMS) urls[s] = await systems[s].start();
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/credentials', {
      name: 'sync-hook',
      secret: { secret: SECRET },
      hosts: [],
    });
    await publishFlow(app, syncFlow(urls));
    for (const s of SYSTEMS)
      await fetch(`${urls[s]}/_test/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${app.url}/api/hooks/sync/${s}-status`, secret: SECRET }),
      });
  });
  afterAll(async () => {
    await app.close();
    await Promise.all(SYSTEMS.map((s) => systems[s].close()));
  });

  it('tells every system each change in its own codes, and never echoes one back', async () => {
    const ref = 'R-1';
    const created = await app.call('POST', '/api/orders', {
      flow: 'sync',
      data: { ref },
      externalRef: ref,
    });
    expect(created.status).toBe(201);
    for (const s of SYSTEMS) await waitFor(async () => (await pushes(s, ref)).length === 1);

    // Each system in turn moves the order one step, as it would in real life.
    const movers = ['crm', 'erp', 'wms', 'tms', 'tms'];
    for (const [i, system] of movers.entries()) {
      const answer = await report(system, ref, CODES[system][i + 1]);
      expect(answer).toMatchObject({ outcome: 'fired', state: STATES[i + 1] });
    }
    const order = await app.call('GET', `/api/orders/${created.body.id}`);
    expect(order.body.state).toBe('done');

    for (const s of SYSTEMS) {
      // The states this system did not report itself, in its own codes and in order — a push
      // that would arrive after a newer state is dropped, so some in between may be missing,
      // but the last one is always told and none comes out of order.
      const expected = CODES[s].filter((_code, i) => i === 0 || movers[i - 1] !== s);
      // The TMS reported the last two states itself: what it is told last may be dropped.
      if (s !== 'tms') await waitFor(async () => (await pushes(s, ref)).at(-1) === expected.at(-1));
      const told = await pushes(s, ref);
      expect(told.map((c) => expected.indexOf(c))).toEqual(
        [...told.map((c) => expected.indexOf(c))].sort((a, b) => a - b),
      );
      expect(told.every((c) => expected.includes(c))).toBe(true);
    }
    const history = await app.call('GET', `/api/orders/${created.body.id}/history`);
    expect(history.body.items.slice(1).map((h: { actor: { id: string } }) => h.actor.id)).toEqual(
      movers.map((m) => `system:${m}`),
    );
  });

  it('changes nothing when a system reports the state the order is in, and refuses unknown codes', async () => {
    const ref = 'R-2';
    await app.call('POST', '/api/orders', { flow: 'sync', data: { ref }, externalRef: ref });
    expect(await report('erp', ref, '10')).toMatchObject({ outcome: 'unchanged', state: 'new' });
    const unknown = await deliver(
      app,
      'sync/erp-status',
      { ref, status: '77' },
      { secret: SECRET },
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_status' });
    expect(unknown.body.detail).toContain('"77"');
  });

  it('reports drift when a system disagrees, with the disagreement rate', async () => {
    for (const ref of ['R-3', 'R-4']) {
      await app.call('POST', '/api/orders', { flow: 'sync', data: { ref }, externalRef: ref });
      await waitFor(async () => (await pushes('wms', ref)).length === 1);
    }
    await waitFor(async () => (await pushes('wms', 'R-2')).length === 1);
    const agreed = await app.call('POST', '/api/flows/sync/reconciliations', { system: 'wms' });
    expect(agreed.status).toBe(200);
    expect(agreed.body.items[0]).toMatchObject({
      system: 'wms',
      checked: 3,
      drifted: 0,
      disagreementRate: 0,
    });

    await fetch(`${urls.wms}/_test/disagree`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ref: 'R-3', status: 'PICKED' }),
    });
    const all = await app.call('POST', '/api/flows/sync/reconciliations', {});
    expect(all.body.items).toHaveLength(4);
    const wms = all.body.items.find((r: { system: string }) => r.system === 'wms');
    expect(wms).toMatchObject({ checked: 3, drifted: 1, failed: 0 });
    expect(wms.disagreementRate).toBeCloseTo(1 / 3);
    expect(wms.drift).toEqual([
      expect.objectContaining({
        externalRef: 'R-3',
        state: 'new',
        code: 'PICKED',
        theirState: 'stock_locked',
      }),
    ]);
    const listed = await app.call('GET', '/api/flows/sync/reconciliations?system=wms');
    expect(listed.body.items[0].id).toBe(wms.id);
    const none = await app.call('POST', '/api/flows/sync/reconciliations', { system: 'nope' });
    expect(none.status).toBe(422);
  });

  it("keeps a report the flow refuses as an exception with the sender's payload", async () => {
    const ref = 'R-5';
    const order = (
      await app.call('POST', '/api/orders', { flow: 'sync', data: { ref }, externalRef: ref })
    ).body;
    const refused = () =>
      app
        .call('GET', '/api/exceptions?flow=sync&kind=refused_delivery&limit=100')
        .then((r) => r.body.items as any[]);
    const before = (await refused()).length;
    // A code the flow does not map.
    const payload = { ref, status: '77', note: 'manual override' };
    const unknown = await deliver(app, 'sync/erp-status', payload, {
      secret: SECRET,
      id: 'msg_refused_1',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_status', exceptionId: expect.any(Number) });
    const kept = await app.call('GET', `/api/exceptions/${unknown.body.exceptionId}`);
    expect(kept.body).toMatchObject({
      kind: 'refused_delivery',
      flow: 'sync',
      orderId: order.id,
      status: 'open',
      detail: {
        trigger: 'erp-status',
        system: 'erp',
        problem: 'unknown_status',
        status: 422,
        payload,
      },
    });
    expect(kept.body.detail.error).toContain('"77"');
    // The sender's retry (the same webhook-id) hears the same answer and keeps nothing more.
    const again = await deliver(app, 'sync/erp-status', payload, {
      secret: SECRET,
      id: 'msg_refused_1',
    });
    expect(again.status).toBe(422);
    expect(again.body.exceptionId).toBe(unknown.body.exceptionId);
    expect(again.headers.get('x-ordo-replayed')).toBe('true');
    // A transition the order's state does not allow (stock locked while new).
    const early = await deliver(app, 'sync/erp-status', { ref, status: '40' }, { secret: SECRET });
    expect(early.status).toBe(422);
    expect((await app.call('GET', `/api/exceptions/${early.body.exceptionId}`)).body).toMatchObject(
      { orderId: order.id, detail: { problem: 'no_transition', payload: { ref, status: '40' } } },
    );
    // A payload without the reference: kept, with no order.
    const bad = await deliver(
      app,
      'sync/erp-status',
      { status: '20', ref: null },
      { secret: SECRET },
    );
    expect(bad.status).toBe(422);
    expect((await app.call('GET', `/api/exceptions/${bad.body.exceptionId}`)).body).toMatchObject({
      orderId: null,
      detail: { problem: 'no_reference', payload: { status: '20', ref: null } },
    });
    expect(await refused()).toHaveLength(before + 3);
    // An unsigned (forged) delivery is refused before anything is read or kept.
    const forged = await deliver(app, 'sync/erp-status', payload, {
      secret: `whsec_${Buffer.from('not-the-secret-0123456789abcdef').toString('base64')}`,
    });
    expect(forged.status).toBe(401);
    expect(await refused()).toHaveLength(before + 3);
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('new');
  });

  it('a system subscribed to our events verifies each delivery with standardwebhooks', async () => {
    const subscription = await app.call('POST', '/api/webhooks', {
      url: `${urls.erp}/events`,
      events: ['order.state_changed'],
    });
    expect(subscription.status).toBe(201);
    const unsubscribed = await fetch(`${urls.erp}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unsubscribed.status).toBe(409);
    await fetch(`${urls.erp}/_test/subscription`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: subscription.body.secret }),
    });
    const forged = await fetch(`${urls.erp}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'x', 'webhook-timestamp': '1' },
      body: '{}',
    });
    expect(forged.status).toBe(401);
    const created = await app.call('POST', '/api/orders', {
      flow: 'sync',
      data: { ref: 'R-9' },
      externalRef: 'R-9',
    });
    const events = await waitFor(async () => {
      const answer = (await fetch(`${urls.erp}/_test/events`).then((r) => r.json())) as {
        events: { event: string; order?: string }[];
      };
      const mine = answer.events.filter((e) => e.order === created.body.id);
      return mine.length > 0 && mine;
    });
    expect(events[0]).toMatchObject({
      event: 'order.state_changed',
      id: expect.stringMatching(/^msg_/),
    });
    expect((await app.call('DELETE', `/api/webhooks/${subscription.body.id}`)).status).toBe(204);
  });
});

/** A clock the test moves, whose retry dice always roll high: a retry waits its whole back-off. */
class SlowRetryClock extends RuntimeClock {
  offset = 0;
  constructor() {
    super(
      () => Date.now() + this.offset,
      () => 0.99,
    );
  }
}

describe.each(databaseKinds())('a stale status push on %s', (db) => {
  it('never overwrites a newer report: the push is dropped when it would arrive after it', async () => {
    const systems = Object.fromEntries(SYSTEMS.map((s) => [s, createStatusSystem(s)]));
    const urls: Record<string, string> = {};
    for (const s of SYSTEMS) urls[s] = await systems[s].start();
    const clock = new SlowRetryClock();
    const app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
    const pushes = (system: string, ref: string) =>
      fetch(`${urls[system]}/_test/pushes`)
        .then((r) => r.json() as Promise<{ pushes: { ref: string; status: string }[] }>)
        .then((b) => b.pushes.filter((p) => p.ref === ref).map((p) => p.status));
    const knobs = (system: string, body: object) =>
      fetch(`${urls[system]}/_admin/knobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      await app.call('POST', '/api/credentials', {
        name: 'sync-hook',
        secret: { secret: SECRET },
        hosts: [],
      });
      const flow = syncFlow(urls);
      // The TMS is retried 10 minutes apart: its push waits while the TMS reports a newer state.
      flow.connectors.tms.retry = { attempts: 3, backoff: 'PT10M' };
      await publishFlow(app, flow);
      const ref = 'S-1';
      const order = (
        await app.call('POST', '/api/orders', { flow: 'sync', data: { ref }, externalRef: ref })
      ).body;
      for (const s of SYSTEMS) await waitFor(async () => (await pushes(s, ref)).length === 1);

      await knobs('tms', { failureRate: 1 });
      await app.call('POST', `/api/orders/${order.id}/events`, { type: 'customer_confirmed' });
      const tmsPush = async () =>
        ((await app.call('GET', `/api/orders/${order.id}/effects`)).body.items as any[]).find(
          (e) =>
            e.type === 'connector.call' &&
            e.effect.push?.system === 'tms' &&
            e.effect.push.state === 'customer_confirmed',
        );
      await waitFor(async () => (await tmsPush())?.attempts === 1);
      // Meanwhile the TMS reports a newer state itself.
      const reported = await deliver(
        app,
        'sync/tms-status',
        { ref, status: 'T-FIN' },
        { secret: SECRET },
      );
      expect(reported.body).toMatchObject({ outcome: 'fired', state: 'finance_reviewed' });
      await knobs('tms', { failureRate: 0 });
      clock.offset += 60 * 60_000;
      app.server.app.get(EffectDispatcher).wake();
      const dropped = await waitFor(async () => {
        const e = await tmsPush();
        return e?.status === 'done' && e;
      });
      expect(dropped.result).toMatchObject({ dropped: 'stale' });
      expect(await pushes('tms', ref)).toEqual(['T-NEW']);
      // The systems that did not report it are told the newer state.
      await waitFor(async () => (await pushes('crm', ref)).at(-1) === 'CREDIT_OK');
    } finally {
      await app.close();
      await Promise.all(SYSTEMS.map((s) => systems[s].close()));
    }
  });
});
