import type { Flow, Label, Transition } from '@ordo/engine';
import { summarizeGuard } from './guard-summary';

/** A state as a canvas node. */
export interface StateNode {
  id: string;
  position: { x: number; y: number };
  data: { label: string; initial: boolean; final: boolean; sla?: string };
  type: 'state';
}

/** A routed edge: bend points from source border to target border, and the label's centre. */
export interface EdgeRoute {
  points: { x: number; y: number }[];
  label?: { x: number; y: number };
}

/** A transition (one per source state) as a canvas edge. */
export interface TransitionEdge {
  id: string;
  source: string;
  target: string;
  type: 'routed';
  data: {
    transition: string;
    index: number;
    /** The guard in words, when the transition has one (the label shows a marker). */
    guard?: string;
    /** Which of the edges between the same two states this is, and how many there are. */
    parallel: { index: number; count: number };
    /** The route the auto-layout stored, if any. */
    route?: EdgeRoute;
  };
  /** The event (or the transition's label, or `auto`), with ◆ when guarded. */
  label: string;
}

/** The marker an edge label carries when its transition has a guard. */
export const GUARD_MARKER = '◆';

/** The text of a label in a locale (falling back to English, then any). */
export function labelIn(label: Label | undefined, locale: string, fallback: string): string {
  if (label === undefined) return fallback;
  if (typeof label === 'string') return label;
  return label[locale] ?? label.en ?? Object.values(label)[0] ?? fallback;
}

/**
 * A label with its text in `locale` changed to `text`: a per-language label keeps its other
 * languages (typing in Chinese must not erase the English); a plain one is replaced.
 */
export function withLabelIn(label: Label | undefined, locale: string, text: string): Label {
  if (label === undefined || typeof label === 'string') return text;
  return { ...label, [locale]: text };
}

const fromList = (t: Transition) => (Array.isArray(t.from) ? t.from : [t.from]);
/** A draft may lack its lists (it is kept even when invalid): read them as empty. */
const statesOf = (flow: Flow) => (Array.isArray(flow.states) ? flow.states : []);
const transitionsOf = (flow: Flow) => (Array.isArray(flow.transitions) ? flow.transitions : []);

/** The words on a transition's edge: its label or event (`auto` for automatic ones), ◆ if guarded. */
export function edgeText(t: Transition, locale: string): string {
  const name =
    t.label !== undefined ? labelIn(t.label, locale, t.id) : t.auto ? 'auto' : (t.event ?? '?');
  return t.guard === undefined ? name : `${name} ${GUARD_MARKER}`;
}

/** Positions for states the layout does not place: layered by distance from the initial state. */
export function autoLayout(flow: Flow): Record<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const states = statesOf(flow);
  const initial = states.find((s) => s.initial)?.id ?? states[0]?.id;
  if (initial) depth.set(initial, 0);
  const queue = initial ? [initial] : [];
  while (queue.length) {
    const current = queue.shift()!;
    for (const t of transitionsOf(flow))
      if (fromList(t).includes(current) && !depth.has(t.to)) {
        depth.set(t.to, depth.get(current)! + 1);
        queue.push(t.to);
      }
  }
  const rows = new Map<number, number>();
  const positions: Record<string, { x: number; y: number }> = {};
  for (const state of states) {
    const d = depth.get(state.id) ?? Math.max(0, ...depth.values()) + 1;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    positions[state.id] = { x: 40 + d * 260, y: 40 + row * 130 };
  }
  return positions;
}

/** The flow as nodes and edges; positions from `layout.states`, else from the auto-layout. */
export function flowToGraph(
  flow: Flow,
  locale = 'en',
): { nodes: StateNode[]; edges: TransitionEdge[] } {
  const auto = autoLayout(flow);
  const nodes = statesOf(flow).map((s): StateNode => ({
    id: s.id,
    type: 'state',
    position: flow.layout?.states?.[s.id] ?? auto[s.id],
    data: {
      label: labelIn(s.label, locale, s.id),
      initial: s.initial === true,
      final: s.final === true,
      ...(s.sla && { sla: s.sla.within }),
    },
  }));
  const pairs = new Map<string, number>();
  const edges = transitionsOf(flow).flatMap((t, index) =>
    fromList(t).map((from) => {
      const pair = `${from}\u0000${t.to}`;
      const nth = pairs.get(pair) ?? 0;
      pairs.set(pair, nth + 1);
      const id = `${t.id}:${from}`;
      const route = flow.layout?.edges?.[id];
      return {
        id,
        source: from,
        target: t.to,
        type: 'routed' as const,
        data: {
          transition: t.id,
          index,
          ...(t.guard !== undefined && { guard: summarizeGuard(t.guard) }),
          parallel: { index: nth, count: 0 },
          ...(route && { route }),
        },
        label: edgeText(t, locale),
      };
    }),
  );
  for (const e of edges) e.data.parallel.count = pairs.get(`${e.source}\u0000${e.target}`)!;
  return { nodes, edges };
}
