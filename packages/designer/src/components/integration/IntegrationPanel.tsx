import type { Flow } from '@ordo/engine';
import { FlowLists } from '../ActionsEditor';
import { ExceptionsEditor } from './ExceptionsEditor';
import { MessageFormatPanel } from './MessageFormatPanel';
import { QueuesEditor } from './QueuesEditor';
import { SystemsEditor } from './SystemsEditor';
import { TriggersEditor } from './TriggersEditor';

/** How the flow meets the outside and its people: triggers, the message format, systems, exception routing, queues. */
export function IntegrationPanel({ doc, onChange }: { doc: Flow; onChange(doc: Flow): void }) {
  return (
    <div className="integration-panel">
      <FlowLists flow={doc} />
      <TriggersEditor flow={doc} onChange={onChange} />
      <MessageFormatPanel doc={doc} onChange={onChange} />
      <SystemsEditor flow={doc} onChange={onChange} />
      <ExceptionsEditor flow={doc} onChange={onChange} />
      <QueuesEditor flow={doc} onChange={onChange} />
    </div>
  );
}
