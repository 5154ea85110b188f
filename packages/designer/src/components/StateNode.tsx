import { Handle, type NodeProps, Position } from '@xyflow/react';
import type { StateNode as StateNodeModel } from '../model/flow-graph';

/** A state on the canvas: initial states have a thick border, final ones a double border. */
export function StateNode({
  data,
  selected,
}: NodeProps & { data: StateNodeModel['data'] & { current?: boolean; visited?: boolean } }) {
  const classes = [
    'state-node',
    data.initial && 'initial',
    data.final && 'final',
    selected && 'selected',
    data.current && 'current',
    data.visited && 'visited',
  ];
  return (
    <div className={classes.filter(Boolean).join(' ')}>
      <Handle type="target" position={Position.Left} />
      <div className="state-label">{data.label}</div>
      {data.sla && <div className="state-sla">SLA {data.sla}</div>}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
