/**
 * Business time: a flow's task due times and SLAs marked `in: "business"` are counted in the
 * working hours of its calendar data set (its current version, recorded in the history), by the
 * runtime clock; a calendar that cannot be counted in is refused at upload, naming the row.
 */
import { JourneyRollup } from '../src/analytics/journey-rollup';
import { DB } from '../src/database/database.module';
import type { Db } from '../src/database/db';
import { TimerRunner } from '../src/timers/timer-runner';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { waitFor } from './support/wait-for';

const CALENDAR = [
  'day,hours,note',
  'timezone,Asia/Shanghai,',
  'mon,09:00-12:00 13:00-18:00,',
  'tue,09:00-12:00 13:00-18:00,',
  'wed,09:00-12:00 13:00-18:00,',
  'thu,09:00-12:00 13:00-18:00,',
  'fri,09:00-12:00 13:00-18:00,',
  'sat,,',
  'sun,,',
].join('\n');

const flow = {
  schemaVersion: 1,
  key: 'holds',
  name: 'Holds',
  calendar: 'work-hours',
  fields: [{ key: 'ref', type: 'string' }],
  queues: { desk: { roles: ['clerk'] } },
  states: [
    { id: 'new', initial: true },
    {
      id: 'on_hold',
      sla: { within: 'PT3H', in: 'business', onBreach: { event: 'late' } },
      entry: [{ task: { queue: 'desk', title: 'Release {{ref}}', due: 'PT2H', in: 'business' } }],
    },
    { id: 'late_hold' },
    { id: 'released', final: true },
  ],
  transitions: [
    { id: 'hold', from: 'new', to: 'on_hold', event: 'hold' },
    { id: 'late', from: 'on_hold', to: 'late_hold', event: 'late' },
    { id: 'release', from: ['on_hold', 'late_hold'], to: 'released', event: 'release' },
  ],
  measures: [
    {
      id: 'hold_time',
      from: { state: 'on_hold' },
      to: { state: 'released' },
      target: 'PT2H',
      in: 'business',
    },
  ],
};

/** An approval whose auto transition stays blocked: after 30 minutes, a task due in business time. */
const stuckFlow = {
  schemaVersion: 1,
  key: 'approvals',
  name: 'Approvals',
  calendar: 'work-hours',
  fields: [{ key: 'approved', type: 'boolean' }],
  queues: { supervisors: { roles: ['supervisor'] } },
  states: [
    { id: 'approval', initial: true },
    { id: 'approved', final: true },
  ],
  transitions: [
    {
      id: 'go',
      from: 'approval',
      to: 'approved',
      auto: true,
      guard: { '==': [{ var: 'approved' }, true] },
    },
  ],
  exceptions: [
    {
      kind: 'auto_blocked',
      after: 'PT30M',
      task: { queue: 'supervisors', title: 'Approval stuck', due: 'PT2H', in: 'business' },
    },
  ],
};

const HOUR = 3_600_000;

describe.each(databaseKinds())('business calendar on %s', (db) => {
  let app: TestApp;
  const clock = new TestClock();
  /** Moves the runtime clock to an instant (it then runs on from there). */
  const setNow = (iso: string) => (clock.offset = Date.parse(iso) - Date.now());
  const upload = (content: string) =>
    app.call('PUT', '/api/datasets/work-hours', { format: 'csv', content });
  const held = async (ref: string) => {
    const order = (await app.call('POST', '/api/orders', { flow: 'holds', data: { ref } })).body;
    await app.call('POST', `/api/orders/${order.id}/events`, { type: 'hold' });
    const [task] = await waitFor(async () => {
      const t = (await app.call('GET', `/api/tasks?orderId=${order.id}`)).body.items;
      return t.length && t;
    });
    return { order, task };
  };
  /** Within five seconds after `iso` (the clock runs on while the test works). */
  const near = (actual: string, iso: string) => {
    const late = Date.parse(actual) - Date.parse(iso);
    expect([actual, late >= 0 && late < 5_000]).toEqual([actual, true]);
  };

  beforeAll(async () => {
    app = await startTestApp({ db, clock });
    expect((await upload(CALENDAR)).status).toBe(200);
    await publishFlow(app, flow);
    await publishFlow(app, stuckFlow);
  });
  afterAll(() => app.close());

  it('makes a task opened Friday 17:00 with PT2H business due Monday 10:00, recording the calendar version', async () => {
    setNow('2026-12-04T09:00:00.000Z'); // Friday 17:00 in Shanghai
    const { order, task } = await held('H-1');
    near(task.dueAt, '2026-12-07T02:00:00.000Z'); // Monday 10:00
    const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ transition: 'hold', dataSets: { 'work-hours': 1 } });
  });

  it('fires the SLA in business time: not over the weekend, at Monday 11:00', async () => {
    setNow('2026-12-04T09:00:00.000Z');
    const { order } = await held('H-2');
    const [timer] = await waitFor(async () => {
      const t = (await app.call('GET', `/api/orders/${order.id}/timers`)).body.items;
      return t.length && t;
    });
    near(timer.at, '2026-12-07T03:00:00.000Z'); // Friday 17–18, Monday 09–11
    const runner = app.server.app.get(TimerRunner);
    setNow('2026-12-06T12:00:00.000Z'); // Sunday: 20 wall-clock hours later, 1 working hour
    await runner.drain();
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('on_hold');
    setNow('2026-12-07T02:59:00.000Z'); // Monday 10:59
    await runner.drain();
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('on_hold');
    setNow('2026-12-07T03:00:05.000Z'); // Monday 11:00:05
    await runner.drain();
    expect((await app.call('GET', `/api/orders/${order.id}`)).body.state).toBe('late_hold');
    // Analytics count the stay late against the same business-time due.
    await app.server.app.get(JourneyRollup).catchUp('holds');
    const [stay] = await app.server.app
      .get<Db>(DB)
      .query<{ due_at: string }>(
        "SELECT due_at FROM journey_stays WHERE order_id = ? AND state = 'on_hold'",
        [order.id],
      );
    near(stay.due_at, '2026-12-07T03:00:00.000Z');
  });

  it('measures a hold in working hours: Friday 17:00 to Monday 11:00 is 3 h, late against 2 h', async () => {
    // The week after the SLA's test: the analytics' catch-up has rolled up to its Monday.
    setNow('2026-12-11T09:00:00.000Z'); // Friday 17:00
    const { order } = await held('H-5');
    setNow('2026-12-14T03:00:00.000Z'); // Monday 11:00
    expect(
      (await app.call('POST', `/api/orders/${order.id}/events`, { type: 'release' })).status,
    ).toBe(200);
    await app.server.app.get(JourneyRollup).catchUp('holds');
    const [m] = await app.server.app
      .get<Db>(DB)
      .query<{ duration_ms: string | number; due_at: string; late: number }>(
        "SELECT duration_ms, due_at, late FROM journey_measures WHERE order_id = ? AND measure = 'hold_time'",
        [order.id],
      );
    // About 3 working hours (the clock ran on a little while the test worked), not 66.
    expect(Math.abs(Number(m.duration_ms) - 3 * HOUR)).toBeLessThan(10_000);
    near(m.due_at, '2026-12-14T02:00:00.000Z'); // Friday 17–18 and Monday 09–10
    expect(Number(m.late)).toBe(1);
  });

  it('uses the current version: a new holiday moves the next due time, the old order keeps its own', async () => {
    const v2 = await upload(`${CALENDAR}\n2026-12-07,,Company holiday`);
    expect(v2.body.dataset.version).toBe(2);
    setNow('2026-12-04T09:00:00.000Z');
    const { order, task } = await held('H-3');
    near(task.dueAt, '2026-12-08T02:00:00.000Z'); // Tuesday 10:00
    const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
    expect(history.at(-1).dataSets).toEqual({ 'work-hours': 2 });
    await upload(CALENDAR);
  });

  it('makes an exception task routed "in": "business" due in working hours', async () => {
    setNow('2026-12-04T08:30:00.000Z'); // Friday 16:30
    const order = (
      await app.call('POST', '/api/orders', { flow: 'approvals', data: { approved: false } })
    ).body;
    await waitFor(
      async () => (await app.call('GET', `/api/orders/${order.id}/timers`)).body.items.length,
    );
    setNow('2026-12-04T09:00:01.000Z'); // Friday 17:00:01: blocked for 30 minutes
    await app.server.app.get(TimerRunner).drain();
    const [task] = await waitFor(async () => {
      const t = (await app.call('GET', `/api/tasks?orderId=${order.id}`)).body.items;
      return t.length && t;
    });
    expect(task).toMatchObject({ queue: 'supervisors', title: 'Approval stuck' });
    near(task.dueAt, '2026-12-07T02:00:01.000Z'); // Monday 10:00:01
    // The calendar version it was counted in, as its first comment (no order change records
    // it): version 3, after the holiday test's two uploads.
    const { comments } = (await app.call('GET', `/api/tasks/${task.id}`)).body;
    expect(comments[0]).toMatchObject({
      author: 'system',
      body: 'Due in the working hours of the calendar "work-hours", version 3',
    });
  });

  it('refuses a calendar it cannot count in, naming line and column, and writes nothing', async () => {
    const before = (await app.call('GET', '/api/datasets/work-hours')).body.version;
    const bad = await upload(
      CALENDAR.replace('timezone,Asia/Shanghai', 'timezone,Mars/Olympus').replace(
        'wed,09:00-12:00 13:00-18:00',
        'wed,18:00-09:00',
      ) + '\nholiday,,',
    );
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(
      bad.body.errors.map((e: { line: number; column: string; code: string }) => [
        e.line,
        e.column,
        e.code,
      ]),
    ).toEqual([
      [2, 'hours', 'bad_calendar'],
      [5, 'hours', 'bad_calendar'],
      [10, 'day', 'bad_calendar'],
    ]);
    expect((await app.call('GET', '/api/datasets/work-hours')).body.version).toBe(before);
  });

  it('checks the calendar a flow names: not there yet is a warning, not a calendar an error', async () => {
    const missing = await app.call('POST', '/api/flows/validate', { ...flow, calendar: 'nope' });
    expect(missing.body.problems).toContainEqual(
      expect.objectContaining({ path: '/calendar', code: 'unknown_calendar', severity: 'warning' }),
    );
    expect(missing.body.ok).toBe(true);
    await app.call('PUT', '/api/datasets/sku-bins', {
      format: 'csv',
      content: 'sku,bin\nSKU-1,A-01',
    });
    const other = { ...flow, key: 'holds-by-bins', calendar: 'sku-bins' };
    expect((await app.call('POST', '/api/flows', other)).status).toBe(201);
    const published = await app.call('POST', '/api/flows/holds-by-bins/publish', {});
    expect(published.status).toBe(422);
    expect(published.body.errors).toEqual([
      expect.objectContaining({
        path: '/calendar',
        code: 'bad_calendar',
        message: expect.stringContaining(
          'The data set "sku-bins" (version 1) is not a business calendar',
        ),
      }),
    ]);
  });

  it('counts in wall-clock time when the calendar data set is gone, and says so', async () => {
    await app.call('DELETE', '/api/datasets/work-hours');
    setNow('2026-12-04T09:00:00.000Z');
    const { order, task } = await held('H-4');
    near(task.dueAt, new Date(Date.parse('2026-12-04T09:00:00.000Z') + 2 * HOUR).toISOString());
    const effects = (await app.call('GET', `/api/orders/${order.id}/effects`)).body.items;
    const opened = effects.find((e: { type: string }) => e.type === 'task.open');
    expect(opened.effect.calendar).toEqual({
      name: 'work-hours',
      problem: 'The calendar data set "work-hours" does not exist',
    });
  });
});
