import { type Flow, flowSchema, validateFlow } from '@ordo/engine';
import { renameState, STATE_REFERENCES } from '../src/model/rename-state';

type Schema = Record<string, any>;
/** Every property path of the JSON Schema, in STATE_REFERENCES's notation. */
function paths(schema: Schema, at = '', out: string[] = [], depth = 0): string[] {
  if (!schema || typeof schema !== 'object' || depth > 30) return out;
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    paths(branch, `${at}|`, out, depth + 1);
  for (const part of schema.allOf ?? []) paths(part, at, out, depth + 1);
  if (schema.type === 'array' && schema.items) paths(schema.items, `${at}[]`, out, depth + 1);
  for (const value of Object.values(schema.patternProperties ?? {}))
    paths(value as Schema, `${at}{}`, out, depth + 1);
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    const path = `${at}${at && !at.endsWith('|') ? '.' : ''}${key}`;
    out.push(path);
    paths(value as Schema, path, out, depth + 1);
  }
  return out;
}

const flow = {
  schemaVersion: 1,
  key: 'sync',
  name: 'Sync',
  fields: [{ key: 'qty', type: 'integer' }],
  states: [
    { id: 'new', initial: true },
    { id: 'stock', label: 'Stock locked', sla: { within: 'PT4H', onBreach: { event: 'late' } } },
    { id: 'done', final: true },
  ],
  transitions: [
    { id: 'lock', from: 'new', to: 'stock', event: 'lock' },
    { id: 'late', from: ['stock', 'new'], to: 'done', event: 'late' },
    { id: 'ship', from: 'stock', to: 'done', event: 'ship' },
  ],
  layout: {
    states: { new: { x: 0, y: 0 }, stock: { x: 200, y: 0 }, done: { x: 400, y: 0 } },
    edges: { 'lock:new': { points: [] }, 'late:stock': { points: [] }, 'late:new': { points: [] } },
  },
  triggers: [
    {
      id: 'poll',
      schedule: {
        every: 'PT1H',
        states: ['stock'],
        call: { connector: 'wms', action: 'request', input: {} },
      },
    },
  ],
  connectors: { wms: { type: 'http', settings: { baseUrl: 'https://wms.example.com' } } },
  systems: { wms: { statuses: [{ code: 'LOCKED', state: 'stock', event: 'lock' }] } },
  exceptions: [
    { kind: 'sla_breached', state: 'stock', then: { task: { queue: 'ops', title: 'x' } } },
  ],
  measures: [{ id: 'lock_time', from: { state: 'new' }, to: { state: 'stock' } }],
  counters: [{ id: 'locks', state: 'stock' }],
} as unknown as Flow;

describe('renaming a state', () => {
  it('covers every place the engine schema names a state', () => {
    const named = paths(flowSchema as Schema).filter((p) => /(^|[.|])(state|states)$/.test(p));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((p) => !(STATE_REFERENCES as readonly string[]).includes(p))).toEqual([]);
  });

  it('changes every reference and nothing else, leaving the input as it was', () => {
    const before = JSON.stringify(flow);
    const renamed = renameState(flow, 'stock', 'stock_locked');
    expect(JSON.stringify(flow)).toBe(before);
    expect(JSON.stringify(renamed)).not.toMatch(/"stock"|:stock"/);
    expect(renamed.states.map((s) => s.id)).toEqual(['new', 'stock_locked', 'done']);
    expect(renamed.states[1]).toMatchObject({ label: 'Stock locked', sla: { within: 'PT4H' } });
    expect(renamed.transitions.map((t) => [t.from, t.to])).toEqual([
      ['new', 'stock_locked'],
      [['stock_locked', 'new'], 'done'],
      ['stock_locked', 'done'],
    ]);
    expect(Object.keys(renamed.layout!.states!)).toEqual(['new', 'stock_locked', 'done']);
    expect(Object.keys(renamed.layout!.edges!)).toEqual([
      'lock:new',
      'late:stock_locked',
      'late:new',
    ]);
    expect((renamed.triggers![0] as any).schedule.states).toEqual(['stock_locked']);
    expect(renamed.systems!.wms.statuses[0]).toEqual({
      code: 'LOCKED',
      state: 'stock_locked',
      event: 'lock',
    });
    expect(renamed.exceptions![0].state).toBe('stock_locked');
    expect(renamed.measures![0]).toMatchObject({
      from: { state: 'new' },
      to: { state: 'stock_locked' },
    });
    expect(renamed.counters![0].state).toBe('stock_locked');
    // Events and transition ids that happen to share the old name are not states: untouched.
    expect(renameState(flow, 'new', 'fresh').transitions[0]).toMatchObject({
      id: 'lock',
      event: 'lock',
    });
    // The lint sees the same flow, only renamed.
    const problems = (f: Flow) =>
      validateFlow(f)
        .problems.map((p) => p.code)
        .sort();
    expect(problems(renamed)).toEqual(problems(flow));
  });

  it('renames texts compared with $order.state in json-logic, and no other text', () => {
    const state = { var: '$order.state' };
    const guard = {
      and: [
        { '==': [state, 'stock'] },
        { '!==': ['stock', { var: ['$order.state', 'new'] }] },
        { in: [state, ['new', 'stock']] },
        { '==': [{ var: 'note' }, 'stock'] },
        { cat: ['stock', state] },
      ],
    };
    const withGuard = {
      ...flow,
      fields: [...flow.fields, { key: 'note', type: 'string' }],
      transitions: flow.transitions.map((t) => (t.id === 'ship' ? { ...t, guard } : t)),
    } as Flow;
    const renamed = renameState(withGuard, 'stock', 'stock_locked');
    expect(renamed.transitions.find((t) => t.id === 'ship')!.guard).toEqual({
      and: [
        { '==': [state, 'stock_locked'] },
        { '!==': ['stock_locked', { var: ['$order.state', 'new'] }] },
        { in: [state, ['new', 'stock_locked']] },
        { '==': [{ var: 'note' }, 'stock'] },
        { cat: ['stock', state] },
      ],
    });
    expect(withGuard.transitions.find((t) => t.id === 'ship')!.guard).toBe(guard);
  });
});
