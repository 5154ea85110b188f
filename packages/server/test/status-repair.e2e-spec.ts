import { createStatusSystem } from '@ordo/fake-systems';
import { publishFlow } from './support/flows';
import { SECRET, SYSTEMS, syncFlow } from './support/status-sync-flow';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * Reconciliation repairs drift: it tells a disagreeing system Ordo's status again; a refusal
 * is a `drift_refused` exception (a task for a person) that settles, and closes its task, by
 * itself once the system agrees again.
 */
describe.each(databaseKinds())('drift repair on %s', (db) => {
  let app: TestApp;
  const systems = Object.fromEntries(SYSTEMS.map((s) => [s, createStatusSystem(s)]));
  const urls: Record<string, string> = {};
  const pushes = (system: string, ref: string) =>
    fetch(`${urls[system]}/_test/pushes`)
      .then((r) => r.json() as Promise<{ pushes: { ref: string; status: string }[] }>)
      .then((b) => b.pushes.filter((p) => p.ref === ref).map((p) => p.status));
  const wms = (path: string, body: unknown) =>
    fetch(`${urls.wms}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const repairFlow = (key: string) => {
    const flow = syncFlow(urls) as any;
    flow.key = key;
    for (const s of SYSTEMS) flow.systems[s].read.repair = true;
    flow.exceptions = [
      {
        kind: 'drift_refused',
        task: { queue: 'sync-desk', title: '{{$exception.system}} refuses the status of {{ref}}' },
      },
    ];
    flow.queues = { 'sync-desk': { roles: ['operator'] } };
    return flow;
  };
  const create = async (flow: string, ref: string) => {
    const id = (await app.call('POST', '/api/orders', { flow, data: { ref }, externalRef: ref }))
      .body.id as string;
    await waitFor(async () => (await pushes('wms', ref)).length === 1);
    return id;
  };

  beforeAll(async () => {
    for (const s of SYSTEMS) urls[s] = await systems[s].start();
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/credentials', {
      name: 'sync-hook',
      secret: { secret: SECRET },
      hosts: [],
    });
  });
  afterAll(async () => {
    await app.close();
    await Promise.all(SYSTEMS.map((s) => systems[s].close()));
  });

  it('repairs drift: our status pushed again; a system that refuses yields a task; the rate over time', async () => {
    await publishFlow(app, repairFlow('sync-repair'));
    const ids: Record<string, string> = {};
    for (const ref of ['RR-1', 'RR-2', 'RR-3']) ids[ref] = await create('sync-repair', ref);
    await wms('/_test/disagree', { ref: 'RR-1', status: 'PICKED' });
    await wms('/_test/disagree', { ref: 'RR-2', status: 'W2' });
    await wms('/_test/refuse', { ref: 'RR-2' });
    const run = async () =>
      (await app.call('POST', '/api/flows/sync-repair/reconciliations', { system: 'wms' })).body
        .items[0];
    const first = await run();
    expect(first).toMatchObject({ checked: 3, drifted: 2, repaired: 1, refused: 1, failed: 0 });
    expect(first.disagreementRate).toBeCloseTo(2 / 3);
    expect(first.unrepairedRate).toBeCloseTo(1 / 3);
    const byRef = Object.fromEntries(first.drift.map((d: any) => [d.externalRef, d]));
    expect(byRef['RR-1']).toMatchObject({
      state: 'new',
      theirState: 'stock_locked',
      repair: 'repaired',
    });
    expect(byRef['RR-2']).toMatchObject({ repair: 'refused', exceptionId: expect.any(Number) });
    expect(byRef['RR-2'].repairError).toContain('409');
    // The WMS was told our status again, and agrees now.
    expect(await pushes('wms', 'RR-1')).toEqual(['W0', 'W0']);
    const view = await fetch(`${urls.wms}/orders/RR-1/status`).then((r) => r.json());
    expect(view).toMatchObject({ status: 'W0' });
    // The refusal is an exception routed to a person on the sync desk.
    const exception = (await app.call('GET', `/api/exceptions/${byRef['RR-2'].exceptionId}`)).body;
    expect(exception).toMatchObject({
      kind: 'drift_refused',
      orderId: ids['RR-2'],
      resolution: 'task',
      detail: { system: 'wms', connector: 'wms', state: 'new', status: 409 },
    });
    const desk = (await app.call('GET', '/api/tasks?queue=sync-desk')).body.items;
    expect(desk.find((t: any) => t.exceptionId === exception.id).title).toBe(
      'wms refuses the status of RR-2',
    );
    // The next run: RR-1 agrees; RR-2 still refused, but the same refusal opens no second task.
    const second = await run();
    expect(second).toMatchObject({ checked: 3, drifted: 1, repaired: 0, refused: 1 });
    const refusals = (await app.call('GET', '/api/exceptions?flow=sync-repair&kind=drift_refused'))
      .body.items;
    expect(refusals).toHaveLength(1);
    // Once the WMS takes pushes again, the run repairs it, and the refusal's task closes by
    // itself with a note (the exception is settled by the system).
    await wms('/_test/refuse', { ref: 'RR-2', refuse: false });
    expect(await run()).toMatchObject({ drifted: 1, repaired: 1, refused: 0 });
    const settled = (await app.call('GET', `/api/exceptions/${exception.id}`)).body;
    expect(settled).toMatchObject({ status: 'settled', settledBy: 'system' });
    expect(settled.note).toContain('told wms our status again');
    const closed = (await app.call('GET', '/api/tasks?queue=sync-desk&status=closed')).body.items;
    const task = closed.find((t: any) => t.exceptionId === exception.id);
    expect(task).toMatchObject({ status: 'closed', closedBy: 'system' });
    const comments = (await app.call('GET', `/api/tasks/${task.id}`)).body.comments;
    expect(comments.map((c: any) => c.body).join()).toContain('took it');
    expect(await run()).toMatchObject({ drifted: 0, disagreementRate: 0 });
    // The disagreement rate over time, oldest first.
    const rates = (await app.call('GET', '/api/flows/sync-repair/reconciliations/rates?system=wms'))
      .body.items;
    expect(rates.map((r: any) => [r.drifted, r.repaired, r.refused])).toEqual([
      [2, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(rates[0]).toMatchObject({ system: 'wms', checked: 3, finishedAt: expect.any(String) });
    expect(rates[0].drift).toBeUndefined();
    const latest = await app.call('GET', '/api/flows/sync-repair/reconciliations/rates?limit=1');
    expect(latest.body.items.map((r: any) => r.id)).toEqual([rates[3].id]);
    const future = await app.call(
      'GET',
      '/api/flows/sync-repair/reconciliations/rates?since=2999-01-01T00:00:00Z',
    );
    expect(future.body.items).toEqual([]);
    // A window: finished since the second run and before the last.
    const window = await app.call(
      'GET',
      `/api/flows/sync-repair/reconciliations/rates?system=wms&since=${rates[1].finishedAt}&until=${rates[3].finishedAt}`,
    );
    const inWindow = rates.filter(
      (r: any) => r.finishedAt >= rates[1].finishedAt && r.finishedAt < rates[3].finishedAt,
    );
    expect(inWindow.map((r: any) => r.id)).toContain(rates[2].id);
    expect(window.body.items.map((r: any) => r.id)).toEqual(inWindow.map((r: any) => r.id));
    const badUntil = await app.call(
      'GET',
      '/api/flows/sync-repair/reconciliations/rates?until=tomorrow',
    );
    expect(badUntil.body).toMatchObject({ status: 400, errors: [{ path: '/until' }] });
    const bad = await app.call(
      'GET',
      '/api/flows/sync-repair/reconciliations/rates?since=yesterday',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/since');
  });

  it('settles a refusal once the system agrees again without a repair (a person set it right)', async () => {
    await publishFlow(app, repairFlow('sync-agree'));
    await create('sync-agree', 'RA-1');
    await wms('/_test/disagree', { ref: 'RA-1', status: 'W2' });
    await wms('/_test/refuse', { ref: 'RA-1' });
    const run = async () =>
      (await app.call('POST', '/api/flows/sync-agree/reconciliations', { system: 'wms' })).body
        .items[0];
    const first = await run();
    expect(first).toMatchObject({ drifted: 1, refused: 1 });
    const exceptionId = first.drift[0].exceptionId;
    // Someone fixes the WMS by hand: it says W0 again, and still refuses pushes.
    await wms('/_test/disagree', { ref: 'RA-1', status: 'W0' });
    expect(await run()).toMatchObject({ drifted: 0, refused: 0 });
    const settled = (await app.call('GET', `/api/exceptions/${exceptionId}`)).body;
    expect(settled).toMatchObject({ status: 'settled', settledBy: 'system' });
    expect(settled.note).toContain('found wms agreeing');
    const tasks = (await app.call('GET', '/api/tasks?queue=sync-desk&status=closed')).body.items;
    expect(tasks.find((t: any) => t.exceptionId === exceptionId)).toBeDefined();
  });
});
