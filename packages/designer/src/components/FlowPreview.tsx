import type { Flow } from '@ordo/engine';
import { flowToGraph } from '../model/flow-graph';

const W = 150;
const H = 44;
/** States per row: a long flow wraps, so the picture stays readable in a card. */
const PER_ROW = 3;

/** A small still picture of a flow (states in canvas order, transitions): gallery, order detail. */
export function FlowPreview({
  flow,
  locale,
  current,
}: {
  flow: Flow;
  locale: string;
  /** A state to mark (the order's own, on its detail). */
  current?: string;
}) {
  const graph = flowToGraph(flow, locale);
  if (!graph.nodes.length) return null;
  // The canvas order (left to right, top to bottom), wrapped into rows.
  const ordered = [...graph.nodes].sort(
    (a, b) => a.position.x - b.position.x || a.position.y - b.position.y,
  );
  const nodes = ordered.map((n, i) => ({
    ...n,
    position: { x: (i % PER_ROW) * (W + 50), y: Math.floor(i / PER_ROW) * (H + 40) },
  }));
  const { edges } = graph;
  const xs = nodes.map((n) => n.position.x);
  const ys = nodes.map((n) => n.position.y);
  const [minX, minY] = [Math.min(...xs) - 20, Math.min(...ys) - 20];
  const width = Math.max(...xs) + W + 20 - minX;
  const height = Math.max(...ys) + H + 20 - minY;
  const at = new Map(nodes.map((n) => [n.id, n.position]));
  return (
    <svg
      className="flow-preview"
      viewBox={`${minX} ${minY} ${width} ${height}`}
      role="img"
      aria-label={nodes.map((n) => n.data.label).join(' → ')}
    >
      {edges.map((e) => {
        const [a, b] = [at.get(e.source), at.get(e.target)];
        if (!a || !b) return null;
        return (
          <line
            key={e.id}
            x1={a.x + W / 2}
            y1={a.y + H / 2}
            x2={b.x + W / 2}
            y2={b.y + H / 2}
            className="preview-edge"
          />
        );
      })}
      {nodes.map((n) => (
        <g key={n.id} transform={`translate(${n.position.x} ${n.position.y})`}>
          <rect
            width={W}
            height={H}
            rx={n.data.initial ? 22 : 8}
            className={`preview-node${n.data.final ? ' final' : ''}${n.id === current ? ' current' : ''}`}
          />
          <text x={W / 2} y={H / 2 + 5} textAnchor="middle">
            {n.data.label.length > 18 ? `${n.data.label.slice(0, 17)}…` : n.data.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
