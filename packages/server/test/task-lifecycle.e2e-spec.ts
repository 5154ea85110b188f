/**
 * A task is about the order being in a state: it closes by itself (with a note) when the order
 * leaves that state, and one still open at its due time escalates — to another queue, made
 * urgent, and/or an event fired on the order as the system — once, also with two processes.
 */
import { TaskEscalator } from '../src/tasks/task-escalator';
import { publishFlow } from './support/flows';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { waitFor } from './support/wait-for';

const flow = {
  schemaVersion: 1,
  key: 'holds',
  name: 'Holds',
  fields: [{ key: 'ref', type: 'string' }],
  queues: { desk: { roles: ['clerk'] }, supervisors: { roles: ['supervisor'] } },
  states: [
    { id: 'new', initial: true },
    {
      id: 'on_hold',
      entry: [
        {
          task: {
            queue: 'desk',
            title: 'Release {{ref}}',
            due: 'PT2H',
            escalate: { queue: 'supervisors', event: 'hold_overdue' },
          },
        },
      ],
    },
    { id: 'overdue_hold' },
    { id: 'released', final: true },
  ],
  transitions: [
    { id: 'hold', from: 'new', to: 'on_hold', event: 'hold' },
    { id: 'note', from: 'on_hold', to: 'on_hold', event: 'note' },
    { id: 'hold_overdue', from: 'on_hold', to: 'overdue_hold', event: 'hold_overdue' },
    { id: 'release', from: ['on_hold', 'overdue_hold'], to: 'released', event: 'release' },
  ],
};

describe.each(databaseKinds())('task lifecycle on %s', (db) => {
  let app: TestApp;
  const clock = new TestClock();
  const fire = (id: string, type: string) => app.call('POST', `/api/orders/${id}/events`, { type });
  const tasksOf = async (orderId: string, status = '') =>
    (await app.call('GET', `/api/tasks?orderId=${orderId}${status && `&status=${status}`}`)).body
      .items;
  const held = async (ref: string) => {
    const order = (await app.call('POST', '/api/orders', { flow: 'holds', data: { ref } })).body;
    await fire(order.id, 'hold');
    const [task] = await waitFor(async () => {
      const t = await tasksOf(order.id);
      return t.length && t;
    });
    return { order, task };
  };

  beforeAll(async () => {
    app = await startTestApp({ db, clock });
    await publishFlow(app, flow);
  });
  afterAll(() => app.close());

  it('closes the task by itself, with a note, when the order leaves the state', async () => {
    const { order, task } = await held('H-1');
    expect(task).toMatchObject({ queue: 'desk', state: 'on_hold', status: 'open' });
    // A self-transition stays in the state: the task stays open.
    await fire(order.id, 'note');
    expect((await fire(order.id, 'release')).body.state).toBe('released');
    const [closed] = await waitFor(async () => {
      const t = await tasksOf(order.id, 'closed');
      return t.length && t;
    });
    expect(closed).toMatchObject({
      id: task.id,
      status: 'closed',
      closedBy: 'system',
      resolution: { auto: true, note: 'Closed by itself: the order left on_hold for released' },
    });
    const detail = (await app.call('GET', `/api/tasks/${task.id}`)).body;
    expect(detail.comments.map((c: { body: string }) => c.body)).toEqual([
      'Closed by itself: the order left on_hold for released',
    ]);
    expect(await tasksOf(order.id)).toEqual([]);
  });

  it('escalates a task still open at its due time: other queue, urgent, event fired, once', async () => {
    const { order, task } = await held('H-2');
    const escalator = app.server.app.get(TaskEscalator);
    clock.offset += 60 * 60_000;
    await escalator.drain();
    expect((await app.call('GET', `/api/tasks/${task.id}`)).body.escalatedAt).toBeNull();
    clock.offset += 61 * 60_000;
    await escalator.drain();
    const escalated = (await app.call('GET', `/api/tasks/${task.id}`)).body;
    expect(escalated).toMatchObject({
      queue: 'supervisors',
      roles: ['supervisors', 'supervisor'],
      priority: 'urgent',
      escalatedAt: expect.any(String),
    });
    expect(escalated.comments[0].body).toMatch(
      /^Escalated: still open at its due time .*; moved from desk to supervisors, fires hold_overdue$/,
    );
    const moved = (await app.call('GET', `/api/orders/${order.id}`)).body;
    expect(moved.state).toBe('overdue_hold');
    const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({
      event: 'hold_overdue',
      actor: { id: 'task-escalation' },
    });
    // Leaving on_hold by the escalation's own event closes the task it escalated.
    await waitFor(async () => (await tasksOf(order.id)).length === 0);
    clock.offset += 24 * 60 * 60_000;
    await escalator.drain();
    const after = (await app.call('GET', `/api/tasks/${task.id}`)).body;
    expect(
      after.comments.filter((c: { body: string }) => c.body.startsWith('Escalated')),
    ).toHaveLength(1);
  });

  it('does not escalate a task that closed with its state', async () => {
    const { order, task } = await held('H-3');
    await fire(order.id, 'release');
    // The task closed with the state; a task escalating after its order moved on is about nothing.
    await waitFor(async () => (await tasksOf(order.id)).length === 0);
    clock.offset += 3 * 60 * 60_000;
    await app.server.app.get(TaskEscalator).drain();
    expect((await app.call('GET', `/api/tasks/${task.id}`)).body.escalatedAt).toBeNull();
  });

  it('refuses an escalation without a due time, naming the path', async () => {
    const bad = structuredClone(flow);
    delete (bad.states[1].entry![0].task as { due?: string }).due;
    const saved = await app.call('POST', '/api/flows/validate', bad);
    expect(JSON.stringify(saved.body)).toContain('/states/1/entry/0/task/escalate');
    expect(JSON.stringify(saved.body)).toContain('escalate_needs_due');
  });
});

describe('task escalation with two processes', () => {
  it('escalates each task once', async () => {
    const fresh = await freshDatabase(databaseKinds().includes('postgres') ? 'postgres' : 'sqlite');
    const clock = new TestClock();
    const db = fresh.database.kind;
    const one = await startTestApp({ db, database: fresh.database, clock });
    const two = await startTestApp({ db, database: fresh.database, clock });
    try {
      await publishFlow(one, flow);
      const orders = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          one.call('POST', '/api/orders', { flow: 'holds', data: { ref: `C-${i}` } }),
        ),
      );
      for (const o of orders)
        await one.call('POST', `/api/orders/${o.body.id}/events`, { type: 'hold' });
      await waitFor(
        async () => (await one.call('GET', '/api/tasks?queue=desk')).body.items.length === 10,
      );
      clock.offset += 3 * 60 * 60_000;
      await Promise.all([
        one.server.app.get(TaskEscalator).drain(),
        two.server.app.get(TaskEscalator).drain(),
      ]);
      for (const o of orders) {
        const history = (await one.call('GET', `/api/orders/${o.body.id}/history`)).body.items;
        expect(history.filter((h: { event?: string }) => h.event === 'hold_overdue')).toHaveLength(
          1,
        );
      }
    } finally {
      await two.close();
      await one.close();
      await fresh.drop();
    }
  });
});
