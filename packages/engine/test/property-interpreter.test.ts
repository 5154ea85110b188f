/**
 * Property tests: random valid flows and random event sequences. Whatever happens, the order
 * is in a declared state, its version grows by one per change, its history replays to the
 * same order, and no input is ever mutated.
 */
import fc from 'fast-check';
import { compileFlow, type EngineContext, type Flow, type HistoryEntry, type Order } from '../src';

const EVENTS = ['go', 'back', 'skip', 'bump'];

/** A random flow: n states, random event/auto transitions with guards over two fields. */
const flowArb = fc.integer({ min: 2, max: 7 }).chain((n) => {
  const stateIds = Array.from({ length: n }, (_, i) => `s${i}`);
  const transition = fc.record({
    from: fc.constantFrom(...stateIds.slice(0, -1)),
    to: fc.constantFrom(...stateIds),
    event: fc.constantFrom(...EVENTS),
    auto: fc.boolean(),
    threshold: fc.integer({ min: 0, max: 5 }),
    setsCount: fc.boolean(),
  });
  return fc.array(transition, { minLength: 1, maxLength: 12 }).map((ts): Flow => ({
    schemaVersion: 1,
    key: 'random',
    name: 'Random',
    fields: [
      { key: 'count', type: 'integer', required: true, min: 0 },
      { key: 'flag', type: 'boolean' },
    ],
    states: stateIds.map((id, i) => ({ id, initial: i === 0, final: i === n - 1 })),
    transitions: ts.map((t, i) => ({
      id: `t${i}`,
      from: t.from,
      to: t.to,
      // Auto transitions only move forward, so they can never form a cycle.
      ...(t.auto && stateIds.indexOf(t.to) > stateIds.indexOf(t.from)
        ? { auto: true }
        : { event: t.event }),
      guard: { '>=': [{ var: 'count' }, t.threshold] },
      ...(t.setsCount && { actions: [{ set: { count: { '+': [{ var: 'count' }, 1] } } }] }),
    })),
  }));
});

type Step = { fire: string } | { update: { count?: number; flag?: boolean | null } };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ fire: fc.constantFrom(...EVENTS) }),
  fc.record({
    update: fc.record(
      { count: fc.integer({ min: -1, max: 6 }), flag: fc.constantFrom(true, false, null) },
      { requiredKeys: [] },
    ),
  }),
);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const ctx = (i: number): EngineContext => ({
  now: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  actor: { id: 'p', roles: ['admin'] },
  id: 'order-1',
});

/** Re-applies the recorded events and patches to the created order. */
function replay(flow: ReturnType<typeof compileFlow>, history: HistoryEntry[]): Order | undefined {
  let order: Order | undefined;
  for (const entry of history) {
    const c: EngineContext = { now: entry.at, actor: entry.actor, id: 'order-1' };
    if (entry.kind === 'created') {
      const r = flow.create(entry.payload as Record<string, unknown>, c);
      order = r.ok ? r.order : undefined;
    } else if (entry.kind === 'updated') {
      const r = flow.update(order!, entry.payload, c);
      order = r.ok ? r.order : undefined;
    } else if (entry.event !== undefined) {
      const r = flow.fire(order!, { type: entry.event, payload: entry.payload }, c);
      order = r.ok ? r.order : undefined;
    }
    // Auto transitions are not re-applied: firing or updating re-derives them.
  }
  return order;
}

describe('interpreter properties', () => {
  it('keeps every order in a declared state, counts versions, replays its history and mutates nothing', () => {
    fc.assert(
      fc.property(
        flowArb,
        fc.integer({ min: 0, max: 5 }),
        fc.array(stepArb, { maxLength: 15 }),
        (doc, count, steps) => {
          deepFreeze(doc);
          const flow = compileFlow(doc);
          const declared = new Set(doc.states.map((s) => s.id));
          const created = flow.create(deepFreeze({ count }), ctx(0));
          if (!created.ok) throw new Error(created.error.message);
          let order = deepFreeze(created.order);
          const history = [...created.history];
          steps.forEach((step, i) => {
            const result =
              'fire' in step
                ? flow.fire(order, deepFreeze({ type: step.fire }), ctx(i + 1))
                : flow.update(order, deepFreeze(step.update), ctx(i + 1));
            if (!result.ok) return;
            expect(result.order.version).toBe(order.version + result.history.length);
            result.history.forEach((h, k) => expect(h.version).toBe(order.version + k + 1));
            order = deepFreeze(result.order);
            history.push(...result.history);
          });
          expect(declared.has(order.state)).toBe(true);
          expect(order.version).toBe(history.length);
          expect(replay(flow, history)).toEqual(order);
        },
      ),
      { numRuns: 300 },
    );
  });
});
