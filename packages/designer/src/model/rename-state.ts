import type { Flow } from '@ordo/engine';

/**
 * Every place of the flow document that names a state, as a path in the flow's JSON Schema
 * (`[]` an array's items, `{}` a record's values, `|` one branch of a union; `states` the
 * states' ids, `layout.states` and `layout.edges` their keys). The test walks the engine's
 * schema and fails when a `state` or `states` appears anywhere this list does not.
 */
export const STATE_REFERENCES = [
  'states',
  'transitions[].from',
  'transitions[].to',
  'layout.states',
  'layout.edges',
  'triggers[]|schedule.states',
  'systems{}.statuses[].state',
  'exceptions[].state',
  'measures[].from|state',
  'measures[].to|state',
  'counters[].state',
] as const;

type Milestone = { state: string } | { event: string };

/**
 * The flow with a state's id changed from `from` to `to` everywhere the document names it
 * (STATE_REFERENCES), and in json-logic wherever a text is compared with `$order.state`
 * (`==`, `!=` and their strict forms, either way round, and `in` a literal list); the input is
 * not changed. Any other text in a rule is not known to be a state id and is kept.
 */
export function renameState(flow: Flow, from: string, to: string): Flow {
  if (from === to) return flow;
  const one = (id: string) => (id === from ? to : id);
  const milestone = (m: Milestone): Milestone => ('state' in m ? { ...m, state: one(m.state) } : m);
  const rekey = <T>(record: Record<string, T> | undefined, key: (k: string) => string) =>
    record && Object.fromEntries(Object.entries(record).map(([k, v]) => [key(k), v]));
  // A canvas edge is `<transition>:<from state>`.
  const edgeKey = (k: string) => {
    const at = k.lastIndexOf(':');
    return at < 0 ? k : `${k.slice(0, at)}:${one(k.slice(at + 1))}`;
  };
  const next: Flow = {
    ...flow,
    states: flow.states.map((s) => (s.id === from ? { ...s, id: to } : s)),
    transitions: flow.transitions.map((t) => ({
      ...t,
      from: Array.isArray(t.from) ? t.from.map(one) : one(t.from),
      to: one(t.to),
    })),
  };
  if (flow.layout)
    next.layout = {
      ...flow.layout,
      ...(flow.layout.states && { states: rekey(flow.layout.states, one) }),
      ...(flow.layout.edges && { edges: rekey(flow.layout.edges, edgeKey) }),
    };
  if (flow.triggers)
    next.triggers = flow.triggers.map((t) =>
      'schedule' in t && t.schedule
        ? { ...t, schedule: { ...t.schedule, states: t.schedule.states.map(one) } }
        : t,
    );
  if (flow.systems)
    next.systems = Object.fromEntries(
      Object.entries(flow.systems).map(([name, system]) => [
        name,
        { ...system, statuses: system.statuses.map((s) => ({ ...s, state: one(s.state) })) },
      ]),
    );
  if (flow.exceptions)
    next.exceptions = flow.exceptions.map((e) =>
      e.state === undefined ? e : { ...e, state: one(e.state) },
    );
  if (flow.measures)
    next.measures = flow.measures.map((m) => ({
      ...m,
      from: milestone(m.from) as typeof m.from,
      to: milestone(m.to) as typeof m.to,
    }));
  if (flow.counters)
    next.counters = flow.counters.map((c) =>
      c.state === undefined ? c : { ...c, state: one(c.state) },
    );
  return withStateComparisons(next, one) as Flow;
}

const COMPARISONS = new Set(['==', '===', '!=', '!==']);

/** Whether a json-logic node reads the order's state: `{"var": "$order.state"}` (or `["$order.state", …]`). */
function readsState(node: unknown): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== 'var') return false;
  const path = (node as { var: unknown }).var;
  return (Array.isArray(path) ? path[0] : path) === '$order.state';
}

/** `value` with every text compared with `$order.state` renamed by `one`, anywhere in it. */
function withStateComparisons(value: unknown, one: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => withStateComparisons(v, one));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, withStateComparisons(v, one)]);
  if (entries.length === 1) {
    const [op, args] = entries[0] as [string, unknown];
    if (Array.isArray(args) && args.length === 2) {
      const [a, b] = args as unknown[];
      const text = (v: unknown) => (typeof v === 'string' ? one(v) : v);
      if (COMPARISONS.has(op) && readsState(a)) return { [op]: [a, text(b)] };
      if (COMPARISONS.has(op) && readsState(b)) return { [op]: [text(a), b] };
      if (op === 'in' && readsState(a) && Array.isArray(b)) return { in: [a, b.map(text)] };
    }
  }
  return Object.fromEntries(entries);
}
