import type { Flow } from '../flow';
import { at, type ProblemList } from './problem-list';

const fromList = (from: string | string[]) => (Array.isArray(from) ? from : [from]);

function duplicates<T>(
  items: readonly T[],
  id: (item: T) => string,
  path: (i: number) => string,
  what: string,
  out: ProblemList,
): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const key = id(item);
    if (first.has(key))
      out.error(
        path(i),
        'duplicate_id',
        `${what} "${key}" is defined twice (first at index ${first.get(key)}) — rename one`,
      );
    else first.set(key, i);
  });
}

/** States, transitions and rules: ids, references, reachability, auto-transition cycles. */
export function lintStructure(flow: Flow, out: ProblemList): void {
  const stateIds = new Set(flow.states.map((s) => s.id));
  const finals = new Set(flow.states.filter((s) => s.final).map((s) => s.id));
  duplicates(
    flow.states,
    (s) => s.id,
    (i) => at('states', i, 'id'),
    'State',
    out,
  );
  duplicates(
    flow.transitions,
    (t) => t.id,
    (i) => at('transitions', i, 'id'),
    'Transition',
    out,
  );
  duplicates(
    flow.rules ?? [],
    (r) => r.id,
    (i) => at('rules', i, 'id'),
    'Rule',
    out,
  );

  const initials = flow.states.map((s, i) => [s, i] as const).filter(([s]) => s.initial);
  if (initials.length === 0)
    out.error(
      '/states',
      'no_initial_state',
      'No state is initial — mark the state new orders start in with "initial": true',
    );
  for (const [s, i] of initials.slice(1))
    out.error(
      at('states', i, 'initial'),
      'several_initial_states',
      `State "${s.id}" is initial, and so is "${initials[0][0].id}" — keep one initial state`,
    );
  flow.states.forEach((s, i) => {
    if (s.initial && s.final)
      out.error(
        at('states', i, 'final'),
        'initial_final',
        `State "${s.id}" is both initial and final — orders could never move`,
      );
  });

  const known = [...stateIds].join(', ');
  flow.transitions.forEach((t, i) => {
    const base = at('transitions', i);
    fromList(t.from).forEach((from, j) => {
      const path = Array.isArray(t.from) ? at('transitions', i, 'from', j) : `${base}/from`;
      if (!stateIds.has(from))
        out.error(
          path,
          'unknown_state',
          `Transition "${t.id}" starts from "${from}", which is not a state — use one of ${known}`,
        );
      else if (finals.has(from))
        out.error(
          path,
          'transition_from_final',
          `Transition "${t.id}" leaves "${from}", a final state — final states have no way out; remove the transition or make the state non-final`,
        );
    });
    if (!stateIds.has(t.to))
      out.error(
        `${base}/to`,
        'unknown_state',
        `Transition "${t.id}" goes to "${t.to}", which is not a state — use one of ${known}`,
      );
    const auto = t.auto === true;
    if (auto && t.event !== undefined)
      out.error(
        base,
        'event_and_auto',
        `Transition "${t.id}" has an event and "auto": true — an auto transition fires by itself: remove one`,
      );
    if (!auto && t.event === undefined)
      out.error(
        base,
        'no_event',
        `Transition "${t.id}" has neither an event nor "auto": true — say what fires it`,
      );
    if (auto && t.roles)
      out.warning(
        `${base}/roles`,
        'roles_on_auto',
        `Transition "${t.id}" is automatic: its roles are never checked`,
      );
  });

  lintReachability(flow, stateIds, out);
  lintAutoCycles(flow, out);

  flow.states.forEach((s, i) => {
    const event = s.sla?.onBreach.event;
    if (event === undefined) return;
    const handled = flow.transitions.some(
      (t) => t.event === event && fromList(t.from).includes(s.id),
    );
    if (!handled)
      out.warning(
        at('states', i, 'sla', 'onBreach', 'event'),
        'unhandled_sla_event',
        `State "${s.id}" fires "${event}" on an SLA breach, but no transition from "${s.id}" handles it — add one, or the breach changes nothing`,
      );
  });

  const transitionIds = new Set(flow.transitions.map((t) => t.id));
  (flow.rules ?? []).forEach((r, i) => {
    r.transitions?.forEach((id, j) => {
      if (!transitionIds.has(id))
        out.error(
          at('rules', i, 'transitions', j),
          'unknown_transition',
          `Rule "${r.id}" names transition "${id}", which does not exist`,
        );
    });
    if (r.transitions && !(r.on ?? []).includes('transition'))
      out.warning(
        at('rules', i, 'transitions'),
        'transitions_without_on',
        `Rule "${r.id}" lists transitions but is not checked on "transition" — add "transition" to "on"`,
      );
  });
}

function lintReachability(flow: Flow, stateIds: Set<string>, out: ProblemList): void {
  const initial = flow.states.find((s) => s.initial);
  if (!initial) return;
  const next = new Map<string, string[]>();
  for (const t of flow.transitions)
    for (const from of fromList(t.from)) next.set(from, [...(next.get(from) ?? []), t.to]);
  const reached = new Set([initial.id]);
  const queue = [initial.id];
  while (queue.length) {
    for (const to of next.get(queue.shift()!) ?? []) {
      if (reached.has(to) || !stateIds.has(to)) continue;
      reached.add(to);
      queue.push(to);
    }
  }
  flow.states.forEach((s, i) => {
    if (!reached.has(s.id))
      out.warning(
        at('states', i),
        'unreachable_state',
        `State "${s.id}" cannot be reached from "${initial.id}" — add a transition to it or remove it`,
      );
    else if (!s.final && !next.get(s.id)?.length)
      out.warning(
        at('states', i),
        'dead_end_state',
        `State "${s.id}" has no way out and is not final — add a transition or mark it "final": true`,
      );
  });
}

/** Cycles made only of auto transitions would loop forever: an error naming the cycle. */
function lintAutoCycles(flow: Flow, out: ProblemList): void {
  const autos = flow.transitions.map((t, i) => ({ t, i })).filter(({ t }) => t.auto === true);
  const edges = new Map<string, { to: string; index: number }[]>();
  for (const { t, i } of autos)
    for (const from of fromList(t.from))
      edges.set(from, [...(edges.get(from) ?? []), { to: t.to, index: i }]);
  const color = new Map<string, 'grey' | 'black'>();
  const stack: { state: string; index: number }[] = [];
  const reported = new Set<string>();
  const visit = (state: string): void => {
    color.set(state, 'grey');
    for (const edge of edges.get(state) ?? []) {
      if (color.get(edge.to) === 'grey') {
        const start = stack.findIndex((s) => s.state === edge.to);
        const cycle = [
          ...stack.slice(start === -1 ? stack.length : start),
          { state, index: edge.index },
        ];
        const states = [...cycle.map((c) => c.state), edge.to];
        const key = [...states].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          out.error(
            at('transitions', edge.index),
            'auto_cycle',
            `Auto transitions loop ${states.join(' → ')} — give one of them an event, or guards that cannot all hold`,
          );
        }
      } else if (!color.has(edge.to)) {
        stack.push({ state, index: edge.index });
        visit(edge.to);
        stack.pop();
      }
    }
    color.set(state, 'black');
  };
  for (const state of edges.keys()) if (!color.has(state)) visit(state);
}
