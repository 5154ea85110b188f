import type { Flow } from '@ordo/engine';
import { standardOrderFlow } from '@ordo/engine/testing';
import ELK from 'elkjs/lib/elk.bundled.js';
import { attachedRoute, polylinePath, selfLoopPath } from '../src/model/edge-paths';
import { elkGraphOf, estimatedSizes, hasNoPositions, layoutFlow } from '../src/model/elk-layout';
import { applyEdit, EditHistory, withLists } from '../src/model/flow-edits';
import { flowToGraph } from '../src/model/flow-graph';
import { ruleFields } from '../src/model/rule-fields';

const elk = new ELK();
type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The standard flow plus a self-loop and a second transition between the same two states. */
const flow: Flow = {
  ...standardOrderFlow,
  layout: undefined,
  transitions: [
    ...standardOrderFlow.transitions,
    { id: 'note', from: 'new', to: 'new', event: 'note' },
    { id: 'note_again', from: 'new', to: 'new', event: 'note_again' },
    { id: 'confirm_by_phone', from: 'new', to: 'customer_confirmed', event: 'phone' },
  ],
};

describe('auto-layout with ELK', () => {
  it('builds an ELK graph: a sized node per state, an edge with its label per transition source', () => {
    const graph = elkGraphOf(flow, estimatedSizes);
    expect(graph.layoutOptions).toMatchObject({
      'elk.algorithm': 'layered',
      'elk.edgeRouting': 'ORTHOGONAL',
    });
    expect(graph.children!.map((c) => c.id)).toEqual(flow.states.map((s) => s.id));
    expect(graph.children!.every((c) => c.width! >= 140 && c.height! > 0)).toBe(true);
    const { edges } = flowToGraph(flow);
    expect(graph.edges!.map((e) => e.id)).toEqual(edges.map((e) => e.id));
    const review = graph.edges!.find((e) => e.id.startsWith('review:'))!;
    expect(review.labels![0]).toMatchObject({ text: 'review ◆' });
    expect(review.labels![0].width).toBeGreaterThan(40);
  });

  it('cuts a long chain into rows: the flow keeps about the canvas’s shape', async () => {
    const n = 24;
    const chain: Flow = {
      ...standardOrderFlow,
      layout: undefined,
      states: Array.from({ length: n }, (_, i) => ({
        id: `s${i}`,
        label: `Step ${i}`,
        ...(i === n - 1 && { final: true }),
      })),
      initial: 's0',
      transitions: Array.from({ length: n - 1 }, (_, i) => ({
        id: `t${i}`,
        from: `s${i}`,
        to: `s${i + 1}`,
        event: `go_${i}`,
      })),
    } as Flow;
    const layout = await layoutFlow(chain, elk);
    const boxes = chain.states.map((s) => ({
      ...layout.states[s.id],
      ...estimatedSizes.node(s.id, String(s.label)),
    }));
    const width = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
    const height =
      Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y));
    expect(width / height).toBeLessThan(3.5);
    expect(new Set(boxes.map((b) => b.y)).size).toBeGreaterThan(2);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
  });

  it('maps positions and orthogonal routes back: no overlaps, labels clear of nodes, loops and parallels apart', async () => {
    const layout = await layoutFlow(flow, elk);
    expect(Object.keys(layout.states).sort()).toEqual(flow.states.map((s) => s.id).sort());
    const boxes = flow.states.map((s) => ({
      ...layout.states[s.id],
      ...estimatedSizes.node(s.id, String(s.label ?? s.id)),
    }));
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    const { edges } = flowToGraph(flow);
    for (const e of edges) {
      const route = layout.edges[e.id];
      expect(route.points.length).toBeGreaterThanOrEqual(2);
      // Orthogonal: every segment horizontal or vertical.
      for (let i = 1; i < route.points.length; i++)
        expect(
          route.points[i].x === route.points[i - 1].x ||
            route.points[i].y === route.points[i - 1].y,
        ).toBe(true);
      const size = estimatedSizes.label(e.label);
      const label = {
        x: route.label!.x - size.width / 2,
        y: route.label!.y - size.height / 2,
        ...size,
      };
      for (const box of boxes) expect(overlaps(label, box)).toBe(false);
    }
    const loops = [layout.edges['note:new'], layout.edges['note_again:new']];
    expect(loops[0].points).not.toEqual(loops[1].points);
    expect(loops[0].label).not.toEqual(loops[1].label);
    expect(layout.edges['confirm_by_phone:new'].points).not.toEqual(
      layout.edges[`${flow.transitions[0].id}:new`].points,
    );
  });

  it('stores the layout as an undoable edit; moving a state drops the routes that touch it', async () => {
    expect(hasNoPositions(flow)).toBe(true);
    const layout = await layoutFlow(flow, elk);
    const history = new EditHistory(flow);
    const laid = history.apply({ kind: 'layout', layout });
    expect(hasNoPositions(laid)).toBe(false);
    expect(laid.layout?.states).toEqual(layout.states);
    expect(laid.layout?.edges).toEqual(layout.edges);
    const graph = flowToGraph(laid);
    expect(graph.nodes[0].position).toEqual(layout.states[graph.nodes[0].id]);
    expect(graph.edges[0].data.route).toEqual(layout.edges[graph.edges[0].id]);
    const moved = applyEdit(laid, { kind: 'move-state', id: 'new', position: { x: 1, y: 2 } });
    expect(Object.keys(moved.layout!.edges!).some((id) => id.endsWith(':new'))).toBe(false);
    expect(moved.layout!.edges!['review:customer_confirmed']).toBeDefined();
    expect(history.undo()).toBe(flow);
  });

  it('fits a stored route to the nodes as drawn, and gives it up once a node has moved away', () => {
    const route = {
      points: [
        { x: 140, y: 20 },
        { x: 200, y: 20 },
        { x: 200, y: 120 },
        { x: 300, y: 120 },
      ],
    };
    const from = { x: 0, y: 0, width: 150, height: 44 }; // wider than when laid out
    const to = { x: 300, y: 100, width: 140, height: 44 };
    const fitted = attachedRoute(route, from, to)!;
    expect(fitted.points[0]).toEqual({ x: 150, y: 20 });
    expect(fitted.label).toEqual({ x: 200, y: 70 });
    expect(attachedRoute(route, { ...from, y: 200 }, to)).toBeUndefined();
    expect(polylinePath(fitted.points)).toMatch(/^M 150 20 L 194 20 Q 200 20 200 26/);
    const loops = [0, 1].map((n) => selfLoopPath(from, n));
    expect(loops[1].label.y).toBeLessThan(loops[0].label.y);
  });
});

describe('a draft without its lists', () => {
  const bare = { schemaVersion: 1, key: 'bare', name: 'Bare' } as unknown as Flow;

  it('opens: graph, rule fields, edits and layout read missing lists as empty', async () => {
    expect(flowToGraph(bare)).toEqual({ nodes: [], edges: [] });
    expect(ruleFields(bare).map((f) => f.name)).toEqual([
      '$actor.id',
      '$actor.roles',
      '$order.state',
      '$now',
    ]);
    expect(hasNoPositions(bare)).toBe(true);
    const full = withLists(bare);
    expect(full).toMatchObject({ fields: [], states: [], transitions: [] });
    expect(withLists(full)).toBe(full);
    const added = applyEdit(bare, { kind: 'add-state', id: 'state', position: { x: 0, y: 0 } });
    expect(added.states.map((s) => s.id)).toEqual(['state']);
    const noFields = { ...standardOrderFlow, fields: undefined } as unknown as Flow;
    expect(flowToGraph(noFields).nodes).toHaveLength(standardOrderFlow.states.length);
    expect(Object.keys((await layoutFlow(noFields, elk)).states)).toHaveLength(
      standardOrderFlow.states.length,
    );
    expect(await layoutFlow({ ...bare, states: [], transitions: [] }, elk)).toEqual({
      states: {},
      edges: {},
    });
  });
});
