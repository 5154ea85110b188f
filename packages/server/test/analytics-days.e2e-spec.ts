/**
 * The day roll-up answers whole-day windows: the same figures as the journey rows give for the
 * same orders (read through a window 1 ms off midnight, which only the rows can answer) — exact
 * while a kind of duration has few values, within 1% above — and it stays right as orders move
 * on and more are imported (the roll-up's deltas).
 */
import { RELATIVE_ERROR } from '../src/analytics/duration-sketch';
import { TimerRunner } from '../src/timers/timer-runner';
import { publishFlow } from './support/flows';
import { TestClock } from './support/test-clock';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.UTC(2026, 4, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const flow = {
  schemaVersion: 1,
  key: 'daily',
  name: 'Day roll-up',
  customer: 'clinic.id',
  fields: [{ key: 'clinic', type: 'object', fields: [{ key: 'id', type: 'string' }] }],
  states: [
    { id: 'received', initial: true },
    { id: 'hold', exception: true, sla: { within: 'PT2H', onBreach: { event: 'release' } } },
    { id: 'shipped', sla: { within: 'PT20H', onBreach: { event: 'close' } } },
    { id: 'closed', final: true },
  ],
  transitions: [
    { id: 'hold', from: 'received', to: 'hold', event: 'hold' },
    { id: 'release', from: 'hold', to: 'shipped', event: 'release' },
    { id: 'ship', from: 'received', to: 'shipped', event: 'ship' },
    { id: 'close', from: 'shipped', to: 'closed', event: 'close' },
  ],
  measures: [
    { id: 'to_ship', from: { state: 'received' }, to: { state: 'shipped' }, target: 'PT6H' },
  ],
  counters: [{ id: 'held', state: 'hold' }],
};

/** A seeded generator (mulberry32): the same orders on every run and database. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An event log of `orders` orders over six days, never on a midnight. */
function eventLog(orders: number, prefix: string, seed: number): string {
  const next = random(seed);
  const rows = ['reference,state,event,at,actor,customer,channel,by'];
  for (let i = 0; i < orders; i++) {
    let at = DAY0 + Math.floor(next() * 6) * DAY + 1000 + Math.floor(next() * (DAY - 2000));
    const ref = `${prefix}-${i}`;
    const channel = ['email', 'phone', 'chat'][i % 3];
    rows.push(`${ref},received,,${iso(at)},clerk,K${i % 7},${channel},person`);
    const step = () => (at += 1000 + Math.floor(next() ** 3 * 30 * HOUR));
    if (next() < 0.3) {
      rows.push(`${ref},hold,hold,${iso(step())},clerk,,,person`);
      if (next() < 0.8)
        rows.push(
          `${ref},shipped,release,${iso(step())},erp,,,${next() < 0.5 ? 'system' : 'person'}`,
        );
      else continue;
    } else if (next() < 0.9) rows.push(`${ref},shipped,ship,${iso(step())},clerk,,,person`);
    else continue;
    if (next() < 0.7) rows.push(`${ref},closed,close,${iso(step())},clerk,,,person`);
  }
  return rows.join('\n');
}

type Summary = { count: number; meanMs: number | null; p50Ms: number | null } & Record<
  string,
  unknown
>;

/** Every duration summary of an answer, by where it sits. */
function summaries(a: Record<string, any>): Map<string, Summary> {
  const out = new Map<string, Summary>([['cycle', a.cycleTime]]);
  for (const s of a.states) out.set(`state:${s.state}`, s.time);
  for (const m of a.measures) out.set(`measure:${m.id}`, m.time);
  return out;
}

/** The answer without its window and its duration summaries (compared apart). */
function counted(a: Record<string, any>) {
  const { from: _from, to: _to, cycleTime: _cycle, ...rest } = a;
  return {
    ...rest,
    states: a.states.map((s: { state: string; entered: number }) => [s.state, s.entered]),
    measures: a.measures.map(({ time: _time, ...m }: Record<string, unknown>) => m),
  };
}

describe.each(databaseKinds())('the day roll-up on %s', (db) => {
  const clock = new TestClock();
  let exact: TestApp;
  let sketched: TestApp;
  const ordoOrders = new Map<TestApp, string[]>();

  /** The same orders in each app: an imported log, and orders Ordo runs on the test clock. */
  async function load(app: TestApp) {
    clock.offset = DAY0 - DAY - Date.now();
    await publishFlow(app, flow);
    const r = await app.call('POST', '/api/flows/daily/event-log', {
      format: 'csv',
      content: eventLog(400, 'L', 7),
    });
    expect(r.status).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      clock.offset = DAY0 + (i % 6) * DAY + 3 * HOUR + i * 60_000 + 1000 - Date.now();
      const created = await app.call('POST', '/api/orders', {
        flow: 'daily',
        data: { clinic: { id: `K${i % 4}` } },
        channel: i % 2 ? 'api' : 'email',
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    ordoOrders.set(app, ids);
  }

  /**
   * Moves the Ordo orders on (the roll-up replaces their rows), imports more and lets the SLA
   * timers fire; the clock only moves forward, as a server's does.
   */
  async function moveOn(app: TestApp) {
    const ids = ordoOrders.get(app)!;
    for (const [i, id] of ids.entries()) {
      clock.offset = DAY0 + 6 * DAY + i * 60_000 + 1000 - Date.now();
      const type = i % 3 === 0 ? 'hold' : 'ship';
      expect((await app.call('POST', `/api/orders/${id}/events`, { type })).status).toBe(200);
    }
    const more = await app.call('POST', '/api/flows/daily/event-log', {
      format: 'csv',
      content: eventLog(100, 'M', 11),
    });
    expect(more.status).toBe(200);
    clock.offset = DAY0 + 7 * DAY + 1000 - Date.now();
    await app.server.app.get(TimerRunner).drain();
  }

  beforeAll(async () => {
    exact = await startTestApp({ db, clock });
    sketched = await startTestApp({ db, clock, config: { analyticsExactUpTo: 0 } });
    await load(exact);
    await load(sketched);
    clock.offset = DAY0 + 5 * DAY + 12 * HOUR - Date.now();
    for (const app of [exact, sketched]) await app.server.app.get(TimerRunner).drain();
  }, 120_000);
  afterAll(async () => {
    await exact?.close();
    await sketched?.close();
  });

  const analytics = async (app: TestApp, from: number, to: number, query = '') => {
    const r = await app.call(
      'GET',
      `/api/flows/daily/analytics?from=${iso(from)}&to=${iso(to)}${query}`,
    );
    expect(r.status).toBe(200);
    return r.body;
  };

  const filters = ['', '&channel=email', '&origin=imported', '&origin=ordo', '&version=1'];
  const windows = [
    [DAY0, DAY0 + 8 * DAY], // days only
    [DAY0 + DAY, DAY0 + 3 * DAY],
    [DAY0 - 3 * DAY, DAY0 + 4 * DAY], // days across a month's start (not that month's sum)
    [DAY0 - 3 * DAY, Date.UTC(2026, 5, 3)], // May's sum and days either side
  ];

  /** Whole days and the same window 1 ms later: the day sums and the journey rows. */
  async function compare(app: TestApp, approximate: boolean) {
    for (const [from, to] of windows)
      for (const filter of filters) {
        const days = await analytics(app, from, to, filter);
        const rows = await analytics(app, from + 1, to + 1, filter);
        expect(days.orders.created).toBeGreaterThan(0);
        expect(counted(days)).toEqual(counted(rows));
        const exactTimes = summaries(rows);
        for (const [where, s] of summaries(days)) {
          const e = exactTimes.get(where)!;
          expect([where, s.count]).toEqual([where, e.count]);
          if (!approximate || !s.count) {
            expect([where, s]).toEqual([where, e]);
            continue;
          }
          expect(s.approximate).toBe(true);
          expect(s.meanMs).toBeCloseTo(e.meanMs!, 3);
          for (const p of ['p50Ms', 'p90Ms', 'p95Ms'] as const) {
            const [got, want] = [s[p] as number, e[p] as number];
            expect([where, p, Math.abs(got - want) <= want * RELATIVE_ERROR + 1]).toEqual([
              where,
              p,
              true,
            ]);
          }
        }
      }
  }

  /** The series likewise: per day, week and month, of the orders and of a measure. */
  async function compareSeries(app: TestApp, approximate: boolean) {
    const [from, to] = windows[3];
    for (const bucket of ['day', 'week', 'month'])
      for (const measure of ['', '&measure=to_ship']) {
        const series = async (a: number, b: number) => {
          const r = await app.call(
            'GET',
            `/api/flows/daily/analytics/series?bucket=${bucket}${measure}&from=${iso(a)}&to=${iso(b)}`,
          );
          expect(r.status).toBe(200);
          return r.body.items as Record<string, any>[];
        };
        const [days, rows] = [await series(from, to), await series(from + 1, to + 1)];
        expect(days.length).toBeGreaterThan(0);
        const time = (p: Record<string, any>) => p.time ?? p.cycleTime;
        expect(days.map(({ time: _a, cycleTime: _b, ...p }) => p)).toEqual(
          rows.map(({ time: _a, cycleTime: _b, ...p }) => p),
        );
        days.forEach((p, i) => {
          const [got, want] = [time(p), time(rows[i])];
          expect(got.count).toBe(want.count);
          if (!approximate || !got.count) return expect(got).toEqual(want);
          for (const q of ['p50Ms', 'p95Ms'])
            expect(Math.abs(got[q] - want[q]) <= want[q] * RELATIVE_ERROR + 1).toBe(true);
        });
      }
  }

  it('few durations: the same answer, to the digit', async () => {
    await compare(exact, false);
    await compareSeries(exact, false);
  });

  it('many durations (here: any): counts exact, percentiles within 1%', async () => {
    await compare(sketched, true);
    await compareSeries(sketched, true);
  });

  it('stays right when orders move on and more are imported', async () => {
    await moveOn(exact);
    await moveOn(sketched);
    await compare(exact, false);
    await compare(sketched, true);
    await compareSeries(sketched, true);
  });

  it('a customer filter reads the journey rows (no day sums per customer): exact', async () => {
    const days = await analytics(sketched, DAY0, DAY0 + 8 * DAY, '&customer=K1');
    const rows = await analytics(sketched, DAY0 + 1, DAY0 + 8 * DAY + 1, '&customer=K1');
    expect(days.orders.created).toBeGreaterThan(0);
    expect(summaries(days)).toEqual(summaries(rows));
    expect(summaries(days).get('cycle')!.approximate).toBeUndefined();
  });
});
