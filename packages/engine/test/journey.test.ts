import {
  compileFlow,
  compileJourney,
  dataAlong,
  type Flow,
  type HistoryEntry,
  validateFlow,
} from '../src';
import { standardOrderFlow } from '../src/testing';

/** The standard flow with a customer path, an exception state, measures and counters. */
const measured: Flow = {
  ...standardOrderFlow,
  customer: 'customer.id',
  states: [
    ...standardOrderFlow.states.map((s) =>
      s.id === 'finance_reviewed' ? { ...s, exception: true } : s,
    ),
  ],
  measures: [
    { id: 'to_lock', from: { state: 'new' }, to: { state: 'stock_locked' }, target: 'PT2H' },
    { id: 'confirm_to_book', from: { event: 'confirm' }, to: { event: 'book' } },
    { id: 'never', from: { state: 'new' }, to: { state: 'cancelled' } },
  ],
  counters: [
    { id: 'booked_sf', event: 'book', when: { '==': [{ var: 'carrier' }, 'SF'] } },
    { id: 'confirmed', transition: 'confirm' },
    { id: 'big', when: { '>': [{ var: 'stock.available' }, 50] } },
    { id: 'cancelled', state: 'cancelled' },
  ],
};
const flow = compileFlow(measured);
const journey = compileJourney(measured);
const at = (h: number, m = 0) =>
  `2026-03-01T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;
const person = (id: string, ...roles: string[]) => ({ id, roles });
const system = { id: 'connector:wms', roles: ['system'] };

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
}

/** Created 08:00, confirmed 08:30, reviewed 09:00 (stock short: stays in finance_reviewed), stock
 * answered by the WMS at 11:00 (auto lock), booked 12:00 with SF, delivered 13:00. */
function life(): { history: HistoryEntry[]; data: Record<string, unknown> } {
  const history: HistoryEntry[] = [];
  let r = ok(
    flow.create(
      { customer: { id: 'C1' }, lines: [{ sku: 'A', qty: 60 }], stock: { available: 10 } },
      { now: at(8), actor: person('s', 'sales'), id: 'o1' },
    ),
  );
  history.push(...r.history);
  r = ok(flow.fire(r.order, { type: 'confirm' }, { now: at(8, 30), actor: person('s', 'sales') }));
  history.push(...r.history);
  r = ok(
    flow.fire(
      r.order,
      { type: 'review', payload: { approved: true } },
      { now: at(9), actor: person('f', 'finance') },
    ),
  );
  history.push(...r.history);
  r = ok(flow.update(r.order, { stock: { available: 100 } }, { now: at(11), actor: system }));
  history.push(...r.history);
  r = ok(
    flow.fire(
      r.order,
      { type: 'book', payload: { carrier: 'SF' } },
      { now: at(12), actor: person('w', 'warehouse') },
    ),
  );
  history.push(...r.history);
  r = ok(flow.fire(r.order, { type: 'deliver' }, { now: at(13), actor: person('w', 'warehouse') }));
  history.push(...r.history);
  return { history, data: r.order.data };
}

describe('journey facts', () => {
  it('the flow with customer, measures, counters and an exception state is valid', () => {
    expect(validateFlow(measured).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('stays: each entry to the next, who took the order away, exceptions and SLA due times', () => {
    const { history, data } = life();
    const j = journey(history, dataAlong(flow, history, 'o1', data));
    expect(j.createdAt).toBe(at(8));
    expect(j.completedAt).toBe(at(13));
    expect(j.stays.map((s) => [s.state, s.enteredAt, s.leftAt, s.leftBy])).toEqual([
      ['new', at(8), at(8, 30), 'person'],
      ['customer_confirmed', at(8, 30), at(9), 'person'],
      ['finance_reviewed', at(9), at(11), 'system'],
      ['stock_locked', at(11), at(12), 'person'],
      ['logistics_booked', at(12), at(13), 'person'],
      ['done', at(13), undefined, undefined],
    ]);
    expect(j.stays[2].exception).toBe(true);
    expect(j.stays[3]).toMatchObject({ from: 'finance_reviewed', dueAt: at(15) });
  });

  it('measures from the first milestone to the first next one, with the target due time', () => {
    const { history } = life();
    expect(journey(history).measures).toEqual([
      {
        id: 'to_lock',
        startedAt: at(8),
        endedAt: at(11),
        dueAt: at(10),
        durationMs: 3 * 3_600_000,
      },
      { id: 'confirm_to_book', startedAt: at(8, 30), endedAt: at(12), durationMs: 3.5 * 3_600_000 },
    ]);
  });

  it('counters hold at the first point all their conditions do, on the replayed data', () => {
    const { history, data } = life();
    const j = journey(history, dataAlong(flow, history, 'o1', data));
    expect(j.counters).toEqual([
      { id: 'booked_sf', at: at(12) },
      { id: 'confirmed', at: at(8, 30) },
      { id: 'big', at: at(11) },
    ]);
  });

  it('without replayable data a condition is judged on the current data at the last step', () => {
    const { history, data } = life();
    const legacy = history.map((e) => (e.kind === 'created' ? { ...e, payload: {} } : e));
    const j = journey(legacy, dataAlong(flow, legacy, 'o1', data));
    expect(j.counters.find((c) => c.id === 'big')).toEqual({ id: 'big', at: at(13) });
  });

  it('lint names unknown states, transitions, duplicate ids, variables and the customer path', () => {
    const bad: Flow = {
      ...measured,
      customer: 'client.code',
      measures: [
        { id: 'm', from: { state: 'nowhere' }, to: { event: 'never_fired' } },
        { id: 'm', from: { state: 'new' }, to: { state: 'done' } },
      ],
      counters: [{ id: 'c', transition: 'fly', when: { var: 'nope' } }],
    };
    const problems = validateFlow(bad).problems.map((p) => [p.path, p.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['/customer', 'unknown_variable'],
        ['/measures/0/from/state', 'unknown_state'],
        ['/measures/0/to/event', 'unhandled_event'],
        ['/measures/1/id', 'duplicate_id'],
        ['/counters/0/transition', 'unknown_transition'],
        ['/counters/0/when/var', 'unknown_variable'],
      ]),
    );
  });

  it('the schema refuses a counter with nothing to count and a malformed target', () => {
    const problems = validateFlow({
      ...measured,
      measures: [{ id: 'm', from: { state: 'new' }, to: { state: 'done' }, target: '2 hours' }],
      counters: [{ id: 'c' }],
    }).problems.map((p) => p.path);
    expect(problems).toEqual(expect.arrayContaining(['/measures/0/target', '/counters/0']));
  });
});
