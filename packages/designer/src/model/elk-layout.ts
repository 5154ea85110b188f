import type { Flow } from '@ordo/engine';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { type EdgeRoute, flowToGraph } from './flow-graph';

/** A box's width and height in canvas pixels. */
export interface Size {
  width: number;
  height: number;
}

/** How big things are on the canvas: a state's node (by id) and an edge label (by its text). */
export interface Sizes {
  node(id: string, label: string): Size;
  label(text: string): Size;
}

/** Positions and routes the auto-layout writes into `layout` (states and edges). */
export interface FlowLayout {
  states: Record<string, { x: number; y: number }>;
  edges: Record<string, EdgeRoute>;
}

/** What runs the layout: elkjs in a worker in the app, the bundled elkjs in tests. */
export interface ElkRunner {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * Layered left to right (in rows when the flow is long), orthogonal routes that keep clear of nodes and of the labels (ELK
 * places each label on its own and routes around it), the document's order kept where it can.
 */
export const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.padding': '[top=40,left=40,bottom=40,right=40]',
  'elk.spacing.nodeNode': '48',
  'elk.spacing.edgeNode': '24',
  'elk.spacing.edgeEdge': '14',
  'elk.spacing.edgeLabel': '6',
  'elk.layered.spacing.nodeNodeBetweenLayers': '72',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '14',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // Back edges found depth first from the initial state: the main path reads left to right.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.edgeLabels.placement': 'CENTER',
};

/**
 * A flow too wide for the canvas is cut into rows (each row's last state leads down to the next
 * row's first), so it keeps about the canvas's shape: a 24-state chain is 1,532 × 749 instead of
 * 7,809 × 134 px, and opens at a zoom its labels can be read at. ELK's wrapping sometimes drops
 * an edge's route (or, "improved", ends one diagonally), so each cut below is tried in turn and
 * the first that routes every edge orthogonally is taken; if none does, the flow stays in one row.
 */
const WRAP_WIDER_THAN = { px: 1400, ratio: 2.5 };
const WRAPPED: Record<string, string>[] = [
  ['2.2', 'MSD'],
  ['2.2', 'ARD'],
  ['1.6', 'ARD'],
  ['3', 'MSD'],
].map(([aspectRatio, cutting]) => ({
  'elk.layered.wrapping.strategy': 'MULTI_EDGE',
  'elk.layered.wrapping.multiEdge.improveWrappedEdges': 'false',
  'elk.layered.wrapping.cutting.strategy': cutting,
  'elk.aspectRatio': aspectRatio,
}));

/** The CSS of a state node and an edge label (styles.css), as the layout needs their sizes. */
export const NODE_BOX = { fontPx: 16, padX: 16, padY: 10, border: 5, minWidth: 140, line: 19 };
export const LABEL_BOX = { fontPx: 12, padX: 6, padY: 3, line: 15 };

/** A rough size, for tests and before the page can measure: 7 px a character, CJK 13. */
export function estimatedText(text: string, fontPx = 12): Size {
  const wide = [...text].filter((c) => c.charCodeAt(0) > 0x2e80).length;
  const width = (text.length - wide) * fontPx * 0.58 + wide * fontPx * 1.05;
  return { width: Math.ceil(width), height: Math.ceil(fontPx * 1.3) };
}

/** Sizes estimated from the text alone, in the boxes' CSS (padding, border, minimum width). */
export const estimatedSizes: Sizes = {
  node: (_id, label) => ({
    width: Math.max(
      NODE_BOX.minWidth,
      estimatedText(label, NODE_BOX.fontPx).width + 2 * (NODE_BOX.padX + NODE_BOX.border),
    ),
    height: NODE_BOX.line + 2 * (NODE_BOX.padY + NODE_BOX.border),
  }),
  label: (text) => ({
    width: estimatedText(text, LABEL_BOX.fontPx).width + 2 * LABEL_BOX.padX + 2,
    height: LABEL_BOX.line + 2 * LABEL_BOX.padY,
  }),
};

/** The flow as an ELK graph: a node per state, an edge (with its label) per transition source. */
export function elkGraphOf(
  flow: Flow,
  sizes: Sizes,
  locale = 'en',
  wrapping: Record<string, string> = {},
): ElkNode {
  const { nodes, edges } = flowToGraph(flow, locale);
  return {
    id: 'root',
    layoutOptions: { ...ELK_OPTIONS, ...wrapping },
    children: nodes.map((n) => ({ id: n.id, ...sizes.node(n.id, n.data.label) })),
    edges: edges.map((e): ElkExtendedEdge => ({
      id: e.id,
      sources: [e.source],
      targets: [e.target],
      labels: [{ id: `${e.id}#label`, text: e.label, ...sizes.label(e.label) }],
    })),
  };
}

const round = (p: { x: number; y: number }) => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** The laid-out ELK graph read back: each state's top-left corner, each edge's route. */
export function layoutFromElk(graph: ElkNode): FlowLayout {
  const states: FlowLayout['states'] = {};
  for (const n of graph.children ?? []) states[n.id] = round({ x: n.x ?? 0, y: n.y ?? 0 });
  const edges: FlowLayout['edges'] = {};
  for (const e of graph.edges ?? []) {
    const section = e.sections?.[0];
    if (!section) continue;
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(round);
    const label = e.labels?.[0];
    edges[e.id] = {
      points,
      ...(label?.x !== undefined && {
        label: round({
          x: label.x + (label.width ?? 0) / 2,
          y: (label.y ?? 0) + (label.height ?? 0) / 2,
        }),
      }),
    };
  }
  return { states, edges };
}

/** Lays the flow out with ELK; the result goes into the document as a `layout` edit. */
export async function layoutFlow(
  flow: Flow,
  elk: ElkRunner,
  sizes: Sizes = estimatedSizes,
  locale = 'en',
): Promise<FlowLayout> {
  const flat = await elk.layout(elkGraphOf(flow, sizes, locale));
  const [width, height] = [flat.width ?? 0, flat.height ?? 0];
  if (width <= WRAP_WIDER_THAN.px || width <= WRAP_WIDER_THAN.ratio * height)
    return layoutFromElk(flat);
  for (const wrapping of WRAPPED) {
    const rows = await elk.layout(elkGraphOf(flow, sizes, locale, wrapping));
    if (routesEveryEdge(rows)) return layoutFromElk(rows);
  }
  return layoutFromElk(flat);
}

/** Whether every edge of a laid-out graph has one route of horizontal and vertical segments. */
function routesEveryEdge(graph: ElkNode): boolean {
  return (graph.edges ?? []).every((e) => {
    if (e.sections?.length !== 1) return false;
    const { startPoint, bendPoints = [], endPoint } = e.sections[0];
    const points = [startPoint, ...bendPoints, endPoint];
    return points.every(
      (p, i) =>
        i === 0 || Math.abs(p.x - points[i - 1].x) < 0.5 || Math.abs(p.y - points[i - 1].y) < 0.5,
    );
  });
}

/** True when no state has a stored position: the editor lays such a flow out when it opens. */
export function hasNoPositions(flow: Flow): boolean {
  const stored = flow.layout?.states ?? {};
  return !(flow.states ?? []).some((s) => stored[s.id]);
}
