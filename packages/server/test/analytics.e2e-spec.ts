import { TimerRunner } from '../src/timers/timer-runner';
import { publishFlow } from './support/flows';
import { TestClock } from './support/test-clock';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Orders confirmed, then stock locked — or short of stock (an exception state), settled by a
 * person restocking or by the system giving up when its SLA passes — then shipped.
 */
const measuredFlow = {
  schemaVersion: 1,
  key: 'measured',
  name: 'Measured',
  customer: 'store.code',
  fields: [
    { key: 'store', type: 'object', fields: [{ key: 'code', type: 'string', required: true }] },
    { key: 'qty', type: 'integer', required: true },
    { key: 'stock', type: 'integer', required: true },
  ],
  states: [
    { id: 'new', initial: true },
    { id: 'confirmed' },
    {
      id: 'short',
      exception: true,
      sla: { within: 'PT30M', onBreach: { event: 'give_up' } },
    },
    {
      id: 'locked',
      sla: { within: 'PT2H', onBreach: { task: { queue: 'ops', title: 'Ship it' } } },
    },
    { id: 'done', final: true },
    { id: 'cancelled', final: true },
  ],
  transitions: [
    { id: 'confirm', from: 'new', to: 'confirmed', event: 'confirm' },
    {
      id: 'lock',
      from: ['confirmed', 'short'],
      to: 'locked',
      auto: true,
      guard: { '>=': [{ var: 'stock' }, { var: 'qty' }] },
    },
    {
      id: 'go_short',
      from: 'confirmed',
      to: 'short',
      auto: true,
      guard: { '<': [{ var: 'stock' }, { var: 'qty' }] },
    },
    { id: 'give_up', from: 'short', to: 'cancelled', event: 'give_up' },
    { id: 'ship', from: 'locked', to: 'done', event: 'ship' },
  ],
  measures: [
    { id: 'to_lock', from: { state: 'new' }, to: { state: 'locked' }, target: 'PT1H' },
    { id: 'confirm_to_done', from: { event: 'confirm' }, to: { state: 'done' } },
  ],
  counters: [
    { id: 'gave_up', transition: 'give_up' },
    { id: 'big_shipped', state: 'done', when: { '>': [{ var: 'qty' }, 50] } },
    { id: 'restocked_big', when: { '>=': [{ var: 'stock' }, 100] } },
  ],
};

/** What happens to each order: minutes after its creation. */
interface Script {
  store: string;
  qty: number;
  stock: number;
  confirm: number;
  restock?: number;
  ship?: number;
}
const scripts: Script[] = [
  { store: 'S1', qty: 10, stock: 20, confirm: 5, ship: 50 },
  { store: 'S1', qty: 60, stock: 100, confirm: 15, ship: 200 },
  { store: 'S2', qty: 30, stock: 10, confirm: 10, restock: 25, ship: 90 },
  { store: 'S2', qty: 30, stock: 10, confirm: 20 }, // gives up at its SLA, 30 min after going short
  { store: 'S3', qty: 5, stock: 5, confirm: 40, ship: 70 },
  { store: 'S3', qty: 80, stock: 0, confirm: 30, restock: 50, ship: 130 },
  { store: 'S1', qty: 1, stock: 1, confirm: 70 }, // still locked: its SLA runs out unattended
];

// Independent arithmetic for the expected figures (numpy's default percentile).
const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
};
const summary = (values: number[]) =>
  values.length
    ? {
        count: values.length,
        meanMs: values.reduce((a, b) => a + b, 0) / values.length,
        p50Ms: pct(values, 0.5),
        p90Ms: pct(values, 0.9),
        p95Ms: pct(values, 0.95),
      }
    : { count: 0, meanMs: null, p50Ms: null, p90Ms: null, p95Ms: null };

interface Entry {
  kind: string;
  at: string;
  from: string | null;
  to: string;
  event?: string;
  transition?: string;
  actor: { id: string; roles: string[] };
}
const t = (s: string) => Date.parse(s);

describe.each(databaseKinds())('analytics on %s', (db) => {
  let app: TestApp;
  const clock = new TestClock();
  const start = Date.now() - 20 * HOUR;
  const ids: string[] = [];
  const histories = new Map<string, Entry[]>();

  /** Runs every script on the shared clock, event by event in time order. */
  beforeAll(async () => {
    app = await startTestApp({ db, clock });
    await publishFlow(app, measuredFlow);
    const steps: { at: number; run: () => Promise<unknown> }[] = [];
    scripts.forEach((s, i) => {
      const created = start + i * HOUR;
      steps.push({
        at: created,
        run: async () => {
          const r = await app.call('POST', '/api/orders', {
            flow: 'measured',
            data: { store: { code: s.store }, qty: s.qty, stock: s.stock },
            ...(i % 2 === 1 && { channel: 'import' }),
          });
          expect(r.status).toBe(201);
          ids[i] = r.body.id;
        },
      });
      const fire = (type: string) => async () =>
        expect((await app.call('POST', `/api/orders/${ids[i]}/events`, { type })).status).toBe(200);
      steps.push({ at: created + s.confirm * MINUTE, run: fire('confirm') });
      if (s.restock !== undefined)
        steps.push({
          at: created + s.restock * MINUTE,
          run: async () =>
            expect((await app.call('PATCH', `/api/orders/${ids[i]}`, { stock: 100 })).status).toBe(
              200,
            ),
        });
      if (s.ship !== undefined) steps.push({ at: created + s.ship * MINUTE, run: fire('ship') });
    });
    // The timers (SLA breaches) fire as the clock passes them.
    for (let at = start; at <= start + 12 * HOUR; at += 5 * MINUTE)
      steps.push({ at, run: () => app.server.app.get(TimerRunner).drain() });
    steps.sort((a, b) => a.at - b.at);
    for (const step of steps) {
      clock.offset = step.at - Date.now();
      await step.run();
    }
    clock.offset = start + 13 * HOUR - Date.now();
    for (const id of ids)
      histories.set(id, (await app.call('GET', `/api/orders/${id}/history`)).body.items);
  }, 120_000);
  afterAll(() => app?.close());

  const window = () => ({
    from: new Date(start - HOUR).toISOString(),
    to: new Date(start + 14 * HOUR).toISOString(),
  });
  const analytics = async (query = '') => {
    const w = window();
    const r = await app.call(
      'GET',
      `/api/flows/measured/analytics?from=${w.from}&to=${w.to}${query}`,
    );
    expect(r.status).toBe(200);
    return r.body;
  };

  /** Stays of an order from its raw history: each entry into a state until the next. */
  const stays = (h: Entry[]) => {
    const entries = h.filter((e) => e.kind === 'created' || e.kind === 'transition');
    return entries.map((e, i) => ({
      state: e.to,
      from: e.kind === 'created' ? null : e.from,
      event: e.event ?? null,
      enteredAt: e.at,
      leftAt: entries[i + 1]?.at,
      leftBySystem: entries[i + 1]?.actor.roles.includes('system'),
    }));
  };

  it('the histories are what the scripts did', () => {
    expect(stays(histories.get(ids[3])!).map((s) => s.state)).toEqual([
      'new',
      'confirmed',
      'short',
      'cancelled',
    ]);
    expect(stays(histories.get(ids[2])!).map((s) => s.state)).toEqual([
      'new',
      'confirmed',
      'short',
      'locked',
      'done',
    ]);
  });

  it('counts orders, cycle time, time per state and transitions as the history says', async () => {
    const a = await analytics();
    const all = [...histories.values()];
    const completed = all.filter((h) => ['done', 'cancelled'].includes(h[h.length - 1].to));
    expect(a.orders).toEqual({
      created: 7,
      completed: completed.length,
      open: 7 - completed.length,
    });
    expect(a.cycleTime).toEqual(
      summary(
        completed.map((h) => {
          const end = h.find((e) => ['done', 'cancelled'].includes(e.to))!;
          return t(end.at) - t(h[0].at);
        }),
      ),
    );
    const allStays = all.flatMap(stays);
    for (const state of measuredFlow.states.map((s) => s.id)) {
      const row = a.states.find((s: { state: string }) => s.state === state);
      const of = allStays.filter((s) => s.state === state);
      expect(row.entered).toBe(of.length);
      expect(row.time).toEqual(
        summary(of.filter((s) => s.leftAt).map((s) => t(s.leftAt!) - t(s.enteredAt))),
      );
    }
    const pairs = new Map<string, number>();
    for (const s of allStays.filter((s) => s.from))
      pairs.set(
        `${s.from}>${s.state}>${s.event}`,
        (pairs.get(`${s.from}>${s.state}>${s.event}`) ?? 0) + 1,
      );
    expect(
      Object.fromEntries(
        a.transitions.map(
          (x: { from: string; to: string; event: string | null; count: number }) => [
            `${x.from}>${x.to}>${x.event}`,
            x.count,
          ],
        ),
      ),
    ).toEqual(Object.fromEntries(pairs));
  });

  it('measures against their targets, and counters on the data at some point', async () => {
    const a = await analytics();
    const toLock = [...histories.values()]
      .map((h) => {
        const locked = h.find((e) => e.kind === 'transition' && e.to === 'locked');
        return locked && t(locked.at) - t(h[0].at);
      })
      .filter((d): d is number => d !== undefined);
    const m = a.measures.find((x: { id: string }) => x.id === 'to_lock');
    expect(m).toEqual({
      id: 'to_lock',
      count: toLock.length,
      time: summary(toLock),
      target: 'PT1H',
      withinTarget: toLock.filter((d) => d <= HOUR).length / toLock.length,
    });
    const confirmToDone = [...histories.values()]
      .map((h) => {
        const c = h.find((e) => e.event === 'confirm');
        const d = h.find((e) => e.to === 'done' && e.kind === 'transition');
        return c && d ? t(d.at) - t(c.at) : undefined;
      })
      .filter((d): d is number => d !== undefined);
    expect(a.measures.find((x: { id: string }) => x.id === 'confirm_to_done').time).toEqual(
      summary(confirmToDone),
    );
    expect(a.counters).toEqual([
      { id: 'gave_up', count: 1 },
      { id: 'big_shipped', count: scripts.filter((s) => s.qty > 50 && s.ship).length },
      // Stock reached 100 on the second order at creation and on each restock.
      { id: 'restocked_big', count: scripts.filter((s) => s.stock >= 100 || s.restock).length },
    ]);
  });

  it('SLA attainment and exceptions settled by the system or by a person', async () => {
    const a = await analytics();
    const allStays = [...histories.values()].flatMap(stays);
    const locked = allStays.filter((s) => s.state === 'locked');
    const attained = locked.filter((s) => s.leftAt && t(s.leftAt) - t(s.enteredAt) <= 2 * HOUR);
    const breachedLeft = locked.filter((s) => s.leftAt && t(s.leftAt) - t(s.enteredAt) > 2 * HOUR);
    const stillOverdue = locked.filter((s) => !s.leftAt); // open past 2 h by the window's end
    expect(a.sla.find((x: { state: string }) => x.state === 'locked')).toEqual({
      state: 'locked',
      attained: attained.length,
      breached: breachedLeft.length + stillOverdue.length,
      attainment: attained.length / (attained.length + breachedLeft.length + stillOverdue.length),
    });
    const short = allStays.filter((s) => s.state === 'short');
    const bySystem = short.filter((s) => s.leftAt && s.leftBySystem).length;
    const byPerson = short.filter((s) => s.leftAt && !s.leftBySystem).length;
    expect(bySystem).toBe(1);
    expect(byPerson).toBe(2);
    // The runtime's own exceptions (here the SLA breaches), as its exception list has them.
    const runtime = (await app.call('GET', '/api/exceptions?flow=measured&limit=500')).body
      .items as {
      kind: string;
      status: string;
      settledBy: string | null;
    }[];
    expect(runtime.length).toBeGreaterThan(0);
    const rt = (pick: (e: (typeof runtime)[number]) => boolean) => runtime.filter(pick).length;
    const rtAuto = rt((e) => e.status === 'settled' && e.settledBy === 'system');
    const rtPerson = rt((e) => e.status === 'settled' && e.settledBy === 'person');
    const kinds = [...new Set(runtime.map((e) => e.kind))];
    expect(a.exceptions).toEqual({
      opened: short.length + runtime.length,
      settledAutomatically: bySystem + rtAuto,
      settledByPerson: byPerson + rtPerson,
      open: rt((e) => e.status === 'open'),
      automaticShare: (bySystem + rtAuto) / (bySystem + rtAuto + byPerson + rtPerson),
      byKind: [
        {
          kind: 'short',
          source: 'state',
          opened: 3,
          settledAutomatically: 1,
          settledByPerson: 2,
          open: 0,
        },
        ...kinds.map((kind) => ({
          kind,
          source: 'runtime',
          opened: rt((e) => e.kind === kind),
          settledAutomatically: rt(
            (e) => e.kind === kind && e.status === 'settled' && e.settledBy === 'system',
          ),
          settledByPerson: rt(
            (e) => e.kind === kind && e.status === 'settled' && e.settledBy === 'person',
          ),
          open: rt((e) => e.kind === kind && e.status === 'open'),
        })),
      ],
    });
  });

  it('filters by channel and customer (the flow names the customer path)', async () => {
    const a = await analytics();
    expect(a.channels).toEqual([
      { channel: 'api', orders: 4 },
      { channel: 'import', orders: 3 },
    ]);
    expect((await analytics('&channel=import')).orders.created).toBe(3);
    expect((await analytics('&customer=S2')).orders.created).toBe(2);
    const listed = await app.call('GET', '/api/orders?flow=measured&customer=S3');
    expect(listed.body.items).toHaveLength(2);
  });

  it('a window is half-open and later changes are rolled up on the next request', async () => {
    const firstHour = await app.call(
      'GET',
      `/api/flows/measured/analytics?from=${new Date(start).toISOString()}&to=${new Date(start + HOUR).toISOString()}`,
    );
    expect(firstHour.body.orders.created).toBe(1);
    const before = (await analytics()).orders.completed;
    expect((await app.call('POST', `/api/orders/${ids[6]}/events`, { type: 'ship' })).status).toBe(
      200,
    );
    expect((await analytics()).orders.completed).toBe(before + 1);
  });

  it('gives the figures over time, by day, week or month', async () => {
    const w = window();
    const byDay = await app.call(
      'GET',
      `/api/flows/measured/analytics/series?measure=to_lock&bucket=day&from=${w.from}&to=${w.to}`,
    );
    expect(byDay.status).toBe(200);
    const total = (await analytics()).measures.find((m: { id: string }) => m.id === 'to_lock');
    const items = byDay.body.items as { bucket: string; time: { count: number } }[];
    expect(items.reduce((n, i) => n + i.time.count, 0)).toBe(total.count);
    for (const i of items) expect(i.bucket).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const monthly = await app.call(
      'GET',
      `/api/flows/measured/analytics/series?bucket=month&from=${w.from}&to=${w.to}`,
    );
    const created = (monthly.body.items as { created: number }[]).reduce(
      (n, i) => n + i.created,
      0,
    );
    expect(created).toBe(7);
    const weekly = await app.call(
      'GET',
      `/api/flows/measured/analytics/series?bucket=week&from=${w.from}&to=${w.to}`,
    );
    for (const i of weekly.body.items as { bucket: string }[])
      expect(new Date(`${i.bucket}T00:00:00Z`).getUTCDay()).toBe(1); // weeks start on Monday
    const bad = await app.call('GET', '/api/flows/measured/analytics/series?measure=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/measure');
  });

  it('every count drills down to the orders behind it', async () => {
    const a = await analytics();
    const w = window();
    const list = async (query: string) => {
      const r = await app.call('GET', `/api/orders?flow=measured&limit=500&${query}`);
      expect(r.status).toBe(200);
      return r.body.items as { id: string }[];
    };
    const short = a.states.find((s: { state: string }) => s.state === 'short');
    expect(await list(`enteredState=short&from=${w.from}&to=${w.to}`)).toHaveLength(short.entered);
    const m = a.measures.find((x: { id: string }) => x.id === 'to_lock');
    const late = await list('measure=to_lock&over=true');
    const onTime = await list('measure=to_lock&over=false');
    expect(late.length + onTime.length).toBe(m.count);
    expect(onTime.length / m.count).toBe(m.withinTarget);
    expect(await list('counter=gave_up')).toHaveLength(1);
    expect(await list('completed=true')).toHaveLength(a.orders.completed);
    const refused = await app.call('GET', '/api/orders?over=true');
    expect(refused.status).toBe(400);
  });

  it('exports a table as CSV and names a bad parameter', async () => {
    const w = window();
    const csv = await fetch(
      `${app.url}/api/flows/measured/analytics?from=${w.from}&to=${w.to}&format=csv&table=states`,
      { headers: { authorization: `Bearer ${app.adminKey}` } },
    );
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('state,entered,time.count,time.meanMs,time.p50Ms,time.p90Ms,time.p95Ms');
    expect(lines).toHaveLength(1 + measuredFlow.states.length);
    for (const [query, path] of [
      ['from=yesterday', '/from'],
      ['from=2026-03-02&to=2026-03-01', '/from'],
      ['version=0', '/version'],
      ['format=xml', '/format'],
      ['format=csv&table=nope', '/table'],
    ]) {
      const r = await app.call('GET', `/api/flows/measured/analytics?${query}`);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      expect(JSON.stringify(r.body)).toContain(path);
    }
    expect((await app.call('GET', '/api/flows/nope/analytics')).status).toBe(404);
  });
});
