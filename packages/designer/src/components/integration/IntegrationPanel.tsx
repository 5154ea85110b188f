import { FlowLists } from '../ActionsEditor';
import { ExceptionsEditor } from './ExceptionsEditor';
import { type FlowPanelProps, MessageFormatPanel } from './MessageFormatPanel';
import { QueuesEditor } from './QueuesEditor';
import { SystemsEditor } from './SystemsEditor';
import { TriggersEditor } from './TriggersEditor';

/**
 * How the flow meets the outside and its people: triggers, the message format, systems,
 * exception routing, queues. The format's sample message is the editor's, kept across tabs.
 */
export function IntegrationPanel({ doc, onChange, sample, onSample }: FlowPanelProps) {
  return (
    <div className="integration-panel">
      <FlowLists flow={doc} />
      <TriggersEditor flow={doc} onChange={onChange} />
      <MessageFormatPanel doc={doc} onChange={onChange} sample={sample} onSample={onSample} />
      <SystemsEditor flow={doc} onChange={onChange} />
      <ExceptionsEditor flow={doc} onChange={onChange} />
      <QueuesEditor flow={doc} onChange={onChange} />
    </div>
  );
}
