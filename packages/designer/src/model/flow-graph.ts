import type { Flow, Label, Transition } from '@ordo/engine';
import { summarizeGuard } from './guard-summary';

/** A state as a canvas node. */
export interface StateNode {
  id: string;
  position: { x: number; y: number };
  data: { label: string; initial: boolean; final: boolean; sla?: string };
  type: 'state';
}

/** A transition (one per source state) as a canvas edge. */
export interface TransitionEdge {
  id: string;
  source: string;
  target: string;
  data: { transition: string; index: number };
  label: string;
}

/** The text of a label in a locale (falling back to English, then any). */
export function labelIn(label: Label | undefined, locale: string, fallback: string): string {
  if (label === undefined) return fallback;
  if (typeof label === 'string') return label;
  return label[locale] ?? label.en ?? Object.values(label)[0] ?? fallback;
}

const fromList = (t: Transition) => (Array.isArray(t.from) ? t.from : [t.from]);

/** Positions for states the layout does not place: layered by distance from the initial state. */
export function autoLayout(flow: Flow): Record<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const initial = flow.states.find((s) => s.initial)?.id ?? flow.states[0]?.id;
  if (initial) depth.set(initial, 0);
  const queue = initial ? [initial] : [];
  while (queue.length) {
    const current = queue.shift()!;
    for (const t of flow.transitions)
      if (fromList(t).includes(current) && !depth.has(t.to)) {
        depth.set(t.to, depth.get(current)! + 1);
        queue.push(t.to);
      }
  }
  const rows = new Map<number, number>();
  const positions: Record<string, { x: number; y: number }> = {};
  for (const state of flow.states) {
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
  const nodes = flow.states.map((s): StateNode => ({
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
  const edges = flow.transitions.flatMap((t, index) =>
    fromList(t).map((from): TransitionEdge => ({
      id: `${t.id}:${from}`,
      source: from,
      target: t.to,
      data: { transition: t.id, index },
      label: `${t.auto ? 'auto' : (t.event ?? '?')}${t.guard === undefined ? '' : ` [${summarizeGuard(t.guard)}]`}`,
    })),
  );
  return { nodes, edges };
}
