import {
  BaseEdge,
  type EdgeProps,
  getSmoothStepPath,
  type InternalNode,
  useInternalNode,
} from '@xyflow/react';
import type { TransitionEdge } from '../model/flow-graph';
import { attachedRoute, type Box, polylinePath, selfLoopPath } from '../model/edge-paths';

const boxOf = (node: InternalNode | undefined): Box | undefined =>
  node?.measured.width && node.measured.height
    ? {
        x: node.internals.positionAbsolute.x,
        y: node.internals.positionAbsolute.y,
        width: node.measured.width,
        height: node.measured.height,
      }
    : undefined;

/**
 * A transition on the canvas. Along the route the auto-layout stored (its ends put on the nodes'
 * borders as they are drawn now); while a node is dragged, or with no route, a step path —
 * parallel transitions spread apart and a self-loop arching over its state.
 */
export function RoutedEdge(props: EdgeProps & { data: TransitionEdge['data'] }) {
  const { id, source, target, data, label, markerEnd, style, interactionWidth } = props;
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  const [fromBox, toBox] = [boxOf(from), boxOf(to)];
  const dragging = from?.dragging || to?.dragging;
  const route =
    !dragging && data.route && fromBox && toBox
      ? attachedRoute(data.route, fromBox, toBox)
      : undefined;
  let path: string;
  let at: { x: number; y: number };
  if (route) {
    path = polylinePath(route.points);
    at = route.label;
  } else if (source === target && fromBox) {
    ({ path, label: at } = selfLoopPath(fromBox, data.parallel.index));
  } else {
    const spread = data.parallel.index - (data.parallel.count - 1) / 2;
    const centerX = (props.sourceX + props.targetX) / 2 + spread * 18;
    const [step] = getSmoothStepPath({ ...props, centerX, borderRadius: 6 });
    path = step;
    at = { x: centerX, y: (props.sourceY + props.targetY) / 2 + spread * 24 };
  }
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      style={style}
      interactionWidth={interactionWidth ?? 16}
      label={
        label && (
          <>
            {label}
            {data.guard && <title>{data.guard}</title>}
          </>
        )
      }
      labelX={at.x}
      labelY={at.y}
      labelShowBg
      labelBgPadding={[6, 3]}
      labelBgBorderRadius={4}
    />
  );
}
