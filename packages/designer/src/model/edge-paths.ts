import type { EdgeRoute } from './flow-graph';

/** A node's box on the canvas. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
type Point = { x: number; y: number };

/** How far a route's end may be from the border it is put on (a label renamed since the layout). */
const SNAP = 60;
/** How far off a node's side the end may be across the segment before the route is stale. */
const SLACK = 2;

/** The end `p` of a route (its segment heading to `next`) put onto `box`'s border, if it meets it. */
function attach(p: Point, next: Point, box: Box): Point | undefined {
  const horizontal = p.y === next.y;
  const [along, across] = horizontal ? (['x', 'y'] as const) : (['y', 'x'] as const);
  const [low, size] = horizontal ? [box.x, box.width] : [box.y, box.height];
  const [crossLow, crossSize] = horizontal ? [box.y, box.height] : [box.x, box.width];
  if (p[across] < crossLow - SLACK || p[across] > crossLow + crossSize + SLACK) return undefined;
  const side = Math.abs(p[along] - low) <= Math.abs(p[along] - (low + size)) ? low : low + size;
  if (Math.abs(p[along] - side) > SNAP) return undefined;
  return { ...p, [along]: side };
}

/**
 * The stored route fitted to the nodes as they are drawn: its ends moved onto their borders, or
 * nothing when the nodes no longer sit where the route was made for (the caller falls back).
 */
export function attachedRoute(
  route: EdgeRoute,
  from: Box,
  to: Box,
): { points: Point[]; label: Point } | undefined {
  const points = route.points;
  if (points.length < 2) return undefined;
  const start = attach(points[0], points[1], from);
  const end = attach(points[points.length - 1], points[points.length - 2], to);
  if (!start || !end) return undefined;
  const fitted = [start, ...points.slice(1, -1), end];
  const middle = Math.floor((fitted.length - 1) / 2);
  const label = route.label ?? {
    x: (fitted[middle].x + fitted[middle + 1].x) / 2,
    y: (fitted[middle].y + fitted[middle + 1].y) / 2,
  };
  return { points: fitted, label };
}

/** An SVG path along the points, corners rounded (radius at most 6, half a short segment). */
export function polylinePath(points: Point[], radius = 6): string {
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(
      radius,
      Math.hypot(b.x - a.x, b.y - a.y) / 2,
      Math.hypot(c.x - b.x, c.y - b.y) / 2,
    );
    const towards = (p: Point, q: Point) => {
      const length = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return { x: p.x + ((q.x - p.x) / length) * r, y: p.y + ((q.y - p.y) / length) * r };
    };
    const [before, after] = [towards(b, a), towards(b, c)];
    d += ` L ${before.x} ${before.y} Q ${b.x} ${b.y} ${after.x} ${after.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}

/**
 * A transition from a state to itself with no stored route: out of the right side, over the
 * top, into the left side; the `nth` such loop of the state arches higher.
 */
export function selfLoopPath(box: Box, nth: number): { path: string; label: Point } {
  const rise = 22 + nth * 26;
  const [left, right, middle, top] = [
    box.x,
    box.x + box.width,
    box.y + box.height / 2,
    box.y - rise,
  ];
  const points = [
    { x: right, y: middle },
    { x: right + 16 + nth * 8, y: middle },
    { x: right + 16 + nth * 8, y: top },
    { x: left - 16 - nth * 8, y: top },
    { x: left - 16 - nth * 8, y: middle },
    { x: left, y: middle },
  ];
  return { path: polylinePath(points), label: { x: box.x + box.width / 2, y: top } };
}
