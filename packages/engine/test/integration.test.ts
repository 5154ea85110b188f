import {
  compileFlow,
  type Effect,
  type Flow,
  nextTick,
  type Order,
  replayHistory,
  routeException,
  validateFlow,
} from '../src';
import { testContext } from '../src/testing';

const SYSTEMS = ['crm', 'erp', 'wms'] as const;

/** A status-sync flow: three systems, each mapping its codes to our states. */
const sync: Flow = {
  schemaVersion: 1,
  key: 'sync',
  name: 'Sync',
  connectors: Object.fromEntries(SYSTEMS.map((s) => [s, { type: 'http' }])),
  fields: [{ key: 'ref', type: 'string' }],
  states: [
    { id: 'new', initial: true },
    { id: 'confirmed' },
    { id: 'reviewed' },
    { id: 'done', final: true },
  ],
  transitions: [
    { id: 'confirm', from: 'new', to: 'confirmed', event: 'confirm' },
    { id: 'review', from: 'confirmed', to: 'reviewed', event: 'review' },
    { id: 'finish', from: 'reviewed', to: 'done', event: 'finish' },
  ],
  systems: Object.fromEntries(
    SYSTEMS.map((s) => [
      s,
      {
        statuses: [
          { code: `${s.toUpperCase()}-NEW`, state: 'new' },
          { code: `${s.toUpperCase()}-OK`, state: 'confirmed', event: 'confirm' },
          { code: `${s.toUpperCase()}-REV`, state: 'reviewed', event: 'review' },
          { code: `${s.toUpperCase()}-END`, state: 'done', event: 'finish' },
        ],
        push: {
          call: {
            connector: s,
            action: 'request',
            input: { ref: { var: 'ref' }, status: { var: '$status' } },
          },
        },
      },
    ]),
  ),
};

const ctx = testContext({ id: 'o-1' });
const calls = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'connector.call' ? [[e.connector, e.input.status]] : []));

function create(doc: Flow, data: Record<string, unknown> = {}) {
  const result = compileFlow(doc).create(data, ctx);
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

describe('the status translator', () => {
  it('validates', () => expect(validateFlow(sync)).toEqual({ ok: true, problems: [] }));

  it('tells every system the initial state in its own code', () => {
    expect(calls(create(sync, { ref: 'R1' }).effects)).toEqual([
      ['crm', 'CRM-NEW'],
      ['erp', 'ERP-NEW'],
      ['wms', 'WMS-NEW'],
    ]);
  });

  it('never echoes a change back to the system it came from', () => {
    const { order } = create(sync, { ref: 'R1' });
    const fired = compileFlow(sync).fire(order, { type: 'confirm', source: 'erp' }, ctx);
    expect(fired.ok && calls(fired.effects)).toEqual([
      ['crm', 'CRM-OK'],
      ['wms', 'WMS-OK'],
    ]);
    const byPerson = compileFlow(sync).fire(order, { type: 'confirm' }, ctx);
    expect(byPerson.ok && calls(byPerson.effects)).toHaveLength(3);
  });

  it('lints unknown states, duplicate codes and events that miss their state', () => {
    const bad = structuredClone(sync);
    bad.systems!.crm.statuses.push(
      { code: 'CRM-OK', state: 'nowhere' },
      { code: 'CRM-X', state: 'done', event: 'confirm' },
    );
    const codes = validateFlow(bad).problems.map((p) => `${p.path} ${p.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        '/systems/crm/statuses/4/code duplicate_code',
        '/systems/crm/statuses/4/state unknown_state',
        '/systems/crm/statuses/5/event event_misses_state',
      ]),
    );
  });
});

/** The bank poll of BRIEF.md scenario 3: every 15 minutes until paid, overdue after 3 days. */
const bank: Flow = {
  schemaVersion: 1,
  key: 'bank',
  name: 'Bank',
  connectors: { bank: { type: 'http' } },
  fields: [
    { key: 'ref', type: 'string' },
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
          input: { ref: { var: 'ref' } },
          resultPath: 'payment',
          onSuccess: 'payment_checked',
        },
        until: { '==': [{ var: 'payment.status' }, 'paid'] },
        deadline: {
          after: 'P3D',
          event: 'payment_overdue',
          notify: { to: { role: 'finance' }, message: 'Order {{ref}} is overdue' },
        },
      },
    },
  ],
};

const at = (iso: string) =>
  testContext({ id: 'o-1', now: iso, actor: { id: 'timer', roles: ['system'] } });
const timerOf = (effects: Effect[]) => effects.find((e) => e.type === 'timer.start');

describe('schedules (polling as a wait)', () => {
  const flow = compileFlow(bank);

  it('validates', () => expect(validateFlow(bank)).toEqual({ ok: true, problems: [] }));

  it('starts a poll on entering the state and cancels it on leaving', () => {
    const { order, effects } = create(bank, { ref: 'B1' });
    expect(timerOf(effects)).toEqual({
      type: 'timer.start',
      version: 1,
      timer: 'poll:bank-poll',
      kind: 'poll',
      state: 'awaiting_payment',
      at: '2026-01-01T00:15:00.000Z',
      since: '2026-01-01T00:00:00.000Z',
    });
    const left = flow.fire(order, { type: 'payment_overdue' }, ctx);
    expect(left.ok && left.effects).toEqual([
      { type: 'timer.cancel', version: 2, timer: 'poll:bank-poll' },
    ]);
  });

  it('calls the bank at each tick and schedules the next one', () => {
    const { order } = create(bank, { ref: 'B1' });
    const due = {
      timer: 'poll:bank-poll',
      state: 'awaiting_payment',
      at: '2026-01-01T00:15:00.000Z',
      since: '2026-01-01T00:00:00.000Z',
    };
    const tick = flow.timer(order, due, at(due.at));
    if (!tick.ok) throw new Error(tick.error.message);
    expect(tick.history.map((h) => h.kind)).toEqual(['timer']);
    expect(tick.effects.map((e) => e.type)).toEqual(['connector.call', 'timer.start']);
    expect(timerOf(tick.effects)).toMatchObject({
      at: '2026-01-01T00:30:00.000Z',
      since: due.since,
    });
  });

  it('stops once paid (until holds)', () => {
    const { order } = create(bank, { ref: 'B1' });
    const paidOrder: Order = { ...order, data: { ...order.data, payment: { status: 'paid' } } };
    const tick = flow.timer(
      paidOrder,
      { timer: 'poll:bank-poll', state: 'awaiting_payment', at: '2026-01-01T00:15:00.000Z' },
      at('2026-01-01T00:15:00.000Z'),
    );
    expect(tick.ok && [tick.history, tick.effects]).toEqual([[], []]);
  });

  it('at the deadline alerts finance and fires the overdue event instead of polling', () => {
    const { order } = create(bank, { ref: 'B1' });
    const due = {
      timer: 'poll:bank-poll',
      state: 'awaiting_payment',
      at: '2026-01-04T00:00:00.000Z',
      since: '2026-01-01T00:00:00.000Z',
    };
    const tick = flow.timer(order, due, at(due.at));
    if (!tick.ok) throw new Error(tick.error.message);
    expect(tick.order.state).toBe('overdue');
    expect(tick.effects.map((e) => e.type)).toEqual(['notify', 'timer.cancel']);
    expect(tick.effects[0]).toMatchObject({
      message: 'Order B1 is overdue',
      to: { role: 'finance' },
    });
  });

  it('the last poll before the deadline is moved onto it', () => {
    const { order } = create(bank, { ref: 'B1' });
    const due = {
      timer: 'poll:bank-poll',
      state: 'awaiting_payment',
      at: '2026-01-03T23:50:00.000Z',
      since: '2026-01-01T00:00:00.000Z',
    };
    const tick = flow.timer(order, due, at(due.at));
    expect(tick.ok && timerOf(tick.effects)).toMatchObject({ at: '2026-01-04T00:00:00.000Z' });
  });

  it('a timer for a state the order left changes nothing', () => {
    const { order } = create(bank, { ref: 'B1' });
    const tick = flow.timer(
      { ...order, state: 'paid' },
      { timer: 'poll:bank-poll', state: 'awaiting_payment', at: 'x' },
      ctx,
    );
    expect(tick.ok && tick.history).toEqual([]);
  });

  it('computes cron ticks in UTC', () => {
    expect(nextTick({ cron: '*/15 * * * *' }, '2026-01-01T00:07:30.000Z')).toBe(
      '2026-01-01T00:15:00.000Z',
    );
    expect(nextTick({ cron: '0 9 * * 1' }, '2026-01-01T00:00:00.000Z')).toBe(
      '2026-01-05T09:00:00.000Z',
    );
  });

  it('lints a schedule with both or neither interval and a bad cron', () => {
    const bad = structuredClone(bank);
    const schedule = (bad.triggers![0] as { schedule: Record<string, unknown> }).schedule;
    schedule.cron = 'every day';
    schedule.states = ['nowhere'];
    const problems = validateFlow(bad).problems.map((p) => `${p.path} ${p.code}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '/triggers/0/schedule schedule_interval',
        '/triggers/0/schedule/cron invalid_cron',
        '/triggers/0/schedule/states/0 unknown_state',
      ]),
    );
  });

  it('replays the timer entries of a history', () => {
    const created = create(bank, { ref: 'B1' });
    const due = {
      timer: 'poll:bank-poll',
      state: 'awaiting_payment',
      at: '2026-01-04T00:00:00.000Z',
      since: '2026-01-01T00:00:00.000Z',
    };
    const tick = flow.timer(created.order, due, at(due.at));
    if (!tick.ok) throw new Error(tick.error.message);
    const replayed = replayHistory(flow, [...created.history, ...tick.history], 'o-1');
    expect(replayed).toMatchObject({ ok: true, order: { state: 'overdue' } });
    expect(replayed.ok && replayed.parted).toBeUndefined();
  });
});

describe('SLA timers', () => {
  const doc: Flow = {
    ...bank,
    triggers: [],
    states: [
      {
        id: 'awaiting_payment',
        initial: true,
        sla: { within: 'PT4H', onBreach: { task: { queue: 'finance' }, event: 'payment_overdue' } },
      },
      { id: 'paid', final: true },
      { id: 'overdue' },
    ],
  };
  const flow = compileFlow(doc);

  it('opens the task and fires the event at the breach', () => {
    const { order, effects } = create(doc);
    expect(timerOf(effects)).toMatchObject({
      timer: 'sla:awaiting_payment',
      at: '2026-01-01T04:00:00.000Z',
    });
    const breach = flow.timer(
      order,
      { timer: 'sla:awaiting_payment', state: 'awaiting_payment', at: '2026-01-01T04:00:00.000Z' },
      at('2026-01-01T04:00:00.000Z'),
    );
    if (!breach.ok) throw new Error(breach.error.message);
    expect(breach.order.state).toBe('overdue');
    expect(breach.effects.map((e) => e.type)).toEqual(['task.open', 'timer.cancel']);
    expect(breach.effects[0]).toMatchObject({ queue: 'finance', priority: 'high', version: 2 });
    // The event moved the order on: the task is about the breach, not bound to the state.
    expect(breach.effects[0]).not.toHaveProperty('state');
  });

  it('binds a breach task with no event to the state: it closes when the order leaves', () => {
    const waits: Flow = {
      ...doc,
      states: [
        {
          id: 'awaiting_payment',
          initial: true,
          sla: { within: 'PT4H', onBreach: { task: { queue: 'finance' } } },
        },
        ...doc.states.slice(1),
      ],
    };
    const compiled = compileFlow(waits);
    const { order } = create(waits);
    const breach = compiled.timer(
      order,
      { timer: 'sla:awaiting_payment', state: 'awaiting_payment', at: '2026-01-01T04:00:00.000Z' },
      at('2026-01-01T04:00:00.000Z'),
    );
    if (!breach.ok) throw new Error(breach.error.message);
    expect(breach.order.state).toBe('awaiting_payment');
    expect(breach.effects).toEqual([
      expect.objectContaining({ type: 'task.open', queue: 'finance', state: 'awaiting_payment' }),
    ]);
    const left = compiled.fire(
      breach.order,
      { type: 'payment_overdue' },
      at('2026-01-01T05:00:00.000Z'),
    );
    if (!left.ok) throw new Error(left.error.message);
    expect(left.effects).toContainEqual({
      type: 'task.close',
      version: 3,
      state: 'awaiting_payment',
      to: 'overdue',
    });
  });
});

describe('exception routing', () => {
  const doc: Flow = {
    ...bank,
    triggers: [],
    transitions: [
      ...bank.transitions,
      {
        id: 'settle',
        from: 'awaiting_payment',
        to: 'paid',
        auto: true,
        guard: { '==': [{ var: 'payment.status' }, 'paid'] },
      },
    ],
    exceptions: [
      { kind: 'connector_failed', connector: 'bank', retry: { after: 'PT10M', times: 2 } },
      { kind: 'connector_failed', event: 'payment_overdue' },
      { kind: 'auto_blocked', after: 'P1D', task: { queue: 'finance', title: 'Payment stuck' } },
      {
        kind: 'unmatched_delivery',
        when: { '==': [{ var: '$exception.trigger' }, 'x'] },
        patch: { ref: 'x' },
      },
    ],
  };

  it('validates', () => expect(validateFlow(doc)).toEqual({ ok: true, problems: [] }));

  it('retries, then takes the next rule when the retries are used up', () => {
    expect(routeException(doc, { kind: 'connector_failed', connector: 'bank' })?.index).toBe(0);
    expect(
      routeException(doc, { kind: 'connector_failed', connector: 'bank', retries: 2 })?.index,
    ).toBe(1);
    expect(routeException(doc, { kind: 'sla_breached' })).toBeUndefined();
    expect(routeException(doc, { kind: 'unmatched_delivery', trigger: 'x' })?.index).toBe(3);
    expect(routeException(doc, { kind: 'unmatched_delivery', trigger: 'y' })).toBeUndefined();
  });

  it('watches blocked auto transitions from entry until the order leaves', () => {
    const { order, effects } = create(doc);
    expect(
      effects.find((e) => e.type === 'timer.start' && e.timer.startsWith('blocked:')),
    ).toMatchObject({
      timer: 'blocked:awaiting_payment',
      at: '2026-01-02T00:00:00.000Z',
    });
    const paid = compileFlow(doc).update(order, { payment: { status: 'paid' } }, ctx);
    expect(paid.ok && paid.effects).toContainEqual({
      type: 'timer.cancel',
      version: 3,
      timer: 'blocked:awaiting_payment',
    });
  });

  it('lints rules that settle in no way or two, and retries of what is not a call', () => {
    const bad = structuredClone(doc);
    bad.exceptions = [
      { kind: 'sla_breached', retry: { after: 'PT1M' } },
      { kind: 'auto_blocked', event: 'payment_overdue', task: { queue: 'q', title: 't' } },
    ];
    const problems = validateFlow(bad).problems.map((p) => `${p.path} ${p.code}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '/exceptions/0/retry retry_needs_call',
        '/exceptions/1 exception_resolution',
        '/exceptions/1 missing_after',
      ]),
    );
  });
});
