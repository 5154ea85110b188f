import { SaxesParser } from 'saxes';
import { ExceptionsRepository } from '../src/exceptions/exceptions.repository';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

/** A legacy process of four states; `hold` is an exception. */
const legacyFlow = (key: string) => ({
  schemaVersion: 1,
  key,
  name: 'Legacy orders',
  customer: 'clinic.id',
  fields: [
    { key: 'clinic', type: 'object', fields: [{ key: 'id', type: 'string' }] },
    { key: 'lines', type: 'array', items: [{ key: 'sku', type: 'string' }] },
  ],
  states: [
    { id: 'received', initial: true },
    { id: 'hold', exception: true },
    { id: 'shipped' },
    { id: 'closed', final: true },
  ],
  transitions: [
    { id: 'hold', from: 'received', to: 'hold', event: 'hold' },
    { id: 'release', from: 'hold', to: 'shipped', event: 'release' },
    { id: 'ship', from: 'received', to: 'shipped', event: 'ship' },
    { id: 'close', from: 'shipped', to: 'closed', event: 'close' },
  ],
  measures: [
    { id: 'to_ship', from: { state: 'received' }, to: { state: 'shipped' }, target: 'PT4H' },
  ],
  counters: [{ id: 'held', state: 'hold' }],
});

/** Known timestamps: hours after 2026-02-01T00:00Z. */
const H = (h: number) => new Date(Date.UTC(2026, 1, 1) + h * 3_600_000).toISOString();
const LOG = [
  'reference,state,event,at,actor,customer,channel,by',
  `A-1,received,,${H(0)},clerk1,K1,email,person`,
  `A-1,shipped,ship,${H(2)},clerk1,,,person`,
  `A-1,closed,close,${H(30)},clerk2,,,person`,
  `A-2,received,,${H(1)},clerk1,K1,phone,person`,
  `A-2,hold,hold,${H(1.5)},clerk3,,,person`,
  `A-2,shipped,release,${H(7)},erp,,,system`,
  `A-3,received,,${H(3)},clerk2,K2,email,person`,
  `A-3,shipped,ship,${H(4)},clerk2,,,person`,
  // Out of order in the file: the import sorts each order's entries by time.
  `A-4,hold,hold,${H(6)},clerk3,K2,email,person`,
  `A-4,received,,${H(5)},clerk3,K2,email,person`,
  `A-5,received,,${H(8)},clerk1,"K,3",chat,person`,
].join('\n');

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
};
const HOUR = 3_600_000;

describe.each(databaseKinds())('event logs on %s', (db) => {
  let app: TestApp;
  const range = `from=${H(-24)}&to=${H(72)}`;
  const analytics = async (key: string) =>
    (await app.call('GET', `/api/flows/${key}/analytics?${range}`)).body;

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app, legacyFlow('legacy'));
    await publishFlow(app, legacyFlow('again'));
  });
  afterAll(() => app?.close());

  it('refuses a log with bad rows, naming line and column, and writes nothing', async () => {
    const bad = [
      'reference,state,at,by',
      `B-1,received,${H(0)},person`,
      `B-1,nowhere,${H(1)},person`,
      `B-2,received,yesterday,person`,
      `,received,${H(1)},robot`,
    ].join('\n');
    const r = await app.call('POST', '/api/flows/legacy/event-log', {
      format: 'csv',
      content: bad,
    });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/content/3/state',
      '/content/4/at',
      '/content/5/reference',
      '/content/5/by',
    ]);
    const noAt = await app.call('POST', '/api/flows/legacy/event-log', {
      format: 'csv',
      content: 'reference,state\nA,received',
    });
    expect(noAt.status).toBe(422);
    expect(noAt.body.errors[0].message).toMatch(/lacks at/);
    expect((await app.call('GET', '/api/orders?flow=legacy')).body.items).toHaveLength(0);
  });

  it('imports a log: a dry run counts, the import keeps times and actors', async () => {
    const dry = await app.call('POST', '/api/flows/legacy/event-log', {
      format: 'csv',
      content: LOG,
      dryRun: true,
    });
    expect(dry.body).toEqual({ dryRun: true, rows: 11, orders: 5, entries: 11 });
    const r = await app.call('POST', '/api/flows/legacy/event-log', {
      format: 'csv',
      content: LOG,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ imported: 5, entries: 11 });
    const [a4] = (await app.call('GET', '/api/orders?flow=legacy&externalRef=A-4')).body.items;
    expect(a4).toMatchObject({ state: 'hold', channel: 'email', data: { clinic: { id: 'K2' } } });
    const history = (await app.call('GET', `/api/orders/${a4.id}/history`)).body.items;
    expect(
      history.map((e: { kind: string; to: string; at: string }) => [e.kind, e.to, e.at]),
    ).toEqual([
      ['imported', 'received', H(5)],
      ['transition', 'hold', H(6)],
    ]);
    // Importing the same references again is refused: nothing is doubled.
    const again = await app.call('POST', '/api/flows/legacy/event-log', {
      format: 'csv',
      content: LOG,
    });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].code).toBe('duplicate_reference');
  });

  it('the analytics of the imported log are the figures computed here', async () => {
    const a = await analytics('legacy');
    expect(a.orders).toEqual({ created: 5, completed: 1, open: 4 });
    const toShip = [2, 6, 1]; // in hours
    const m = a.measures[0];
    expect(m.count).toBe(3);
    expect(m.time.p50Ms).toBe(pct(toShip, 0.5) * HOUR);
    expect(m.time.p90Ms).toBeCloseTo(pct(toShip, 0.9) * HOUR, 6);
    expect(m.time.meanMs).toBeCloseTo((9 / 3) * HOUR, 6);
    expect(m.withinTarget).toBeCloseTo(2 / 3, 10);
    expect(a.cycleTime).toMatchObject({ count: 1, p50Ms: 30 * HOUR });
    expect(a.counters).toEqual([{ id: 'held', count: 2 }]);
    expect(a.exceptions).toMatchObject({
      opened: 2,
      settledAutomatically: 1,
      settledByPerson: 0,
      open: 1,
      automaticShare: 1,
    });
    const shipped = a.states.find((s: { state: string }) => s.state === 'shipped');
    expect(shipped.entered).toBe(3);
    expect(shipped.time).toMatchObject({ count: 1, p50Ms: 28 * HOUR });
    expect(a.channels).toEqual([
      { channel: 'email', orders: 3 },
      { channel: 'chat', orders: 1 },
      { channel: 'phone', orders: 1 },
    ]);
    expect(
      (await app.call('GET', `/api/flows/legacy/analytics?${range}&customer=K2`)).body.orders
        .created,
    ).toBe(2);
  });

  it('an imported order that is not final runs on from its state', async () => {
    const [a3] = (await app.call('GET', '/api/orders?flow=legacy&externalRef=A-3')).body.items;
    const r = await app.call('POST', `/api/orders/${a3.id}/events`, { type: 'close' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('closed');
  });

  it('exports CSV that imports again to the same analytics', async () => {
    const csv = await fetch(`${app.url}/api/flows/legacy/event-log?format=csv`, {
      headers: { authorization: `Bearer ${app.adminKey}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('reference,state,event,at,actor,customer,channel,by');
    expect(text).toContain('"K,3"');
    const r = await app.call('POST', '/api/flows/again/event-log', {
      format: 'csv',
      content: text,
    });
    expect(r.status).toBe(200);
    const [before, after] = [await analytics('legacy'), await analytics('again')];
    expect({ ...after, flow: 'legacy' }).toEqual(before);
  });

  it('exports XES: well-formed XML with the standard extensions and keys', async () => {
    const res = await fetch(`${app.url}/api/flows/legacy/event-log?format=xes`, {
      headers: { authorization: `Bearer ${app.adminKey}` },
    });
    const xml = await res.text();
    const parser = new SaxesParser({ xmlns: true });
    const traces: { name?: string; events: Record<string, string>[] }[] = [];
    const extensions: string[] = [];
    let event: Record<string, string> | undefined;
    parser.on('opentag', (tag) => {
      const a = (k: string) => tag.attributes[k] && (tag.attributes[k] as { value: string }).value;
      if (tag.local === 'extension') extensions.push(a('prefix')!);
      if (tag.local === 'trace') traces.push({ events: [] });
      if (tag.local === 'event') event = {};
      if ((tag.local === 'string' || tag.local === 'date') && traces.length) {
        if (event) event[a('key')!] = a('value')!;
        else if (a('key') === 'concept:name') traces[traces.length - 1].name = a('value');
      }
    });
    parser.on('closetag', (tag) => {
      if (tag.local !== 'event') return;
      traces[traces.length - 1].events.push(event!);
      event = undefined;
    });
    parser.write(xml).close();
    expect(extensions).toEqual(['concept', 'time', 'org', 'lifecycle']);
    const a2 = traces.find((t) => t.name === 'A-2')!;
    expect(
      a2.events.map((e) => [e['concept:name'], e['time:timestamp'], e['org:resource']]),
    ).toEqual([
      ['received', H(1), 'clerk1'],
      ['hold', H(1.5), 'clerk3'],
      ['shipped', H(7), 'erp'],
    ]);
    expect(a2.events.every((e) => e['lifecycle:transition'] === 'complete')).toBe(true);
  });

  it('exports OCEL 2.0 JSON: types, objects, events and their relationships', async () => {
    const res = await fetch(`${app.url}/api/flows/legacy/event-log?format=ocel`, {
      headers: { authorization: `Bearer ${app.adminKey}` },
    });
    const ocel = (await res.json()) as Record<string, any>;
    expect(Object.keys(ocel)).toEqual(['objectTypes', 'eventTypes', 'objects', 'events']);
    expect(ocel.objectTypes.map((t: { name: string }) => t.name)).toEqual(['order', 'lines']);
    expect(ocel.eventTypes.map((t: { name: string }) => t.name)).toEqual([
      'received',
      'hold',
      'shipped',
      'closed',
    ]);
    expect(ocel.objects.filter((o: { type: string }) => o.type === 'order')).toHaveLength(5);
    const ids = new Set(ocel.objects.map((o: { id: string }) => o.id));
    expect(ocel.events).toHaveLength(12); // 11 imported + A-3 closed
    for (const e of ocel.events) {
      expect(typeof e.time).toBe('string');
      expect(e.relationships.length).toBeGreaterThan(0);
      for (const r of e.relationships) expect(ids.has(r.objectId)).toBe(true);
    }
    const bad = await app.call('GET', '/api/flows/legacy/event-log?format=bpmn');
    expect(bad.status).toBe(400);
  });
  it('tells the imported baseline from the orders Ordo ran, and counts runtime exceptions', async () => {
    const now = new Date();
    const around = `from=${new Date(now.getTime() - HOUR).toISOString()}&to=${new Date(now.getTime() + HOUR).toISOString()}`;
    const created = await app.call('POST', '/api/orders', {
      flow: 'legacy',
      data: { clinic: { id: 'K9' } },
    });
    expect(created.status).toBe(201);
    const get = async (q: string) =>
      (await app.call('GET', `/api/flows/legacy/analytics?${q}`)).body;
    expect((await get(`${range}&origin=imported`)).orders.created).toBe(5);
    expect((await get(`${range}&origin=ordo`)).orders.created).toBe(0);
    const live = await get(`${around}&origin=ordo`);
    expect(live.orders.created).toBe(1);
    expect(live.baseline).toEqual({ orders: 5, from: H(0), to: H(8) });
    const bad = await app.call('GET', `/api/flows/legacy/analytics?origin=legacy`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/origin');

    // A runtime exception of the new order (a failed call), settled by the system.
    const repo = app.server.app.get(ExceptionsRepository);
    const at = now.toISOString();
    const e = await repo.insertOnce(
      {
        sourceKey: `test:${created.body.id}`,
        flow: 'legacy',
        orderId: created.body.id,
        kind: 'connector_failed',
        detail: { error: 'timeout' },
        resolution: 'retry',
      },
      at,
    );
    await repo.settle(e!.id, 'system', 'retried', at);
    const withRuntime = await get(around);
    expect(withRuntime.exceptions.byKind).toContainEqual({
      kind: 'connector_failed',
      source: 'runtime',
      opened: 1,
      settledAutomatically: 1,
      settledByPerson: 0,
      open: 0,
    });
    // Filters narrow runtime exceptions through their order.
    expect((await get(`${around}&customer=K1`)).exceptions.byKind).toEqual([]);
    expect((await get(`${around}&customer=K9`)).exceptions.settledAutomatically).toBe(1);
  });
});
