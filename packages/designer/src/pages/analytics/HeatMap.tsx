import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCanvasAria } from '../../canvas/canvas-aria';
import { Handle, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import { io } from 'socket.io-client';
import type { Flow } from '@ordo/engine';
import { api, token } from '../../api';
import { flowToGraph } from '../../model/flow-graph';
import {
  type Analytics,
  formatDuration,
  heatColor,
  heatOf,
  type HeatState,
  ordersLink,
} from '../../model/analytics-view';

type HeatNodeData = { label: string; heat?: HeatState; final: boolean; locale: string };

/** A state of the heat map: its name, orders in it now, its median stay; coloured by slowness. */
function HeatNode({ data }: NodeProps & { data: HeatNodeData }) {
  const { t } = useTranslation();
  const heat = data.heat;
  return (
    <div
      className={`state-node heat${data.final ? ' final' : ''}`}
      style={{ borderColor: heatColor(heat?.level ?? 0), borderWidth: 3 }}
    >
      <Handle type="target" position={Position.Left} />
      <div className="state-label">{data.label}</div>
      <div className="heat-figures">
        <span data-now>{t('analytics.heat.now', { count: heat?.now ?? 0 })}</span>
        {heat?.p50Ms !== null && heat?.p50Ms !== undefined && (
          <span data-p50>p50 {formatDuration(heat.p50Ms, data.locale)}</span>
        )}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
const nodeTypes = { heat: HeatNode };

/**
 * The flow's canvas as a heat map (as Camunda Optimize's, but live): each state shows the
 * orders in it now and its median stay in the window, each edge the moves along it; a click on a
 * state opens its orders. The counts follow the live order events.
 */
export function HeatMap({
  flowKey,
  flow,
  figures,
}: {
  flowKey: string;
  flow: Flow;
  figures: Analytics;
}) {
  const { t, i18n } = useTranslation();
  const ariaLabelConfig = useCanvasAria();
  const [counts, setCounts] = useState<Record<string, number>>({});

  useEffect(() => {
    const load = () =>
      void api<{ states: Record<string, number> }>('GET', `/orders/counts?flow=${flowKey}`).then(
        (r) => setCounts(r.states),
      );
    load();
    const socket = io('/live', { auth: { token: token.get() }, transports: ['websocket'] });
    socket.on('connect', () => void socket.emitWithAck('subscribe', { flow: flowKey }).then(load));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    };
    for (const name of ['order.created', 'order.transitioned']) socket.on(name, later);
    return () => {
      clearTimeout(timer);
      socket.close();
    };
  }, [flowKey]);

  const { nodes, edges } = useMemo(() => {
    const graph = flowToGraph(flow, i18n.language);
    const withEvent = graph.edges.map((e) => {
      const tr = flow.transitions[e.data.index];
      return { ...e, event: tr.auto ? null : (tr.event ?? null) };
    });
    const heat = heatOf(figures, counts, withEvent);
    return {
      nodes: graph.nodes.map((n) => ({
        ...n,
        type: 'heat',
        draggable: false,
        data: { ...n.data, heat: heat.states.get(n.id), locale: i18n.language },
      })),
      edges: withEvent.map((e) => {
        const moves = heat.edges.get(e.id) ?? 0;
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          label: String(moves),
          data: { moves },
          style: {
            strokeWidth: 1 + (heat.maxEdge ? (5 * moves) / heat.maxEdge : 0),
            stroke: moves ? '#3b6fd4' : '#c8ccd4',
          },
        };
      }),
    };
  }, [flow, figures, counts, i18n.language]);

  return (
    <div className="heat-map" data-testid="heat-map">
      <p className="muted">{t('analytics.heat.legend')}</p>
      <div className="canvas">
        <ReactFlow
          ariaLabelConfig={ariaLabelConfig}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          onNodeClick={(_, node) => {
            window.location.hash = ordersLink(flowKey, { state: node.id });
          }}
          fitView
        />
      </div>
    </div>
  );
}
