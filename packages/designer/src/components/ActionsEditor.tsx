import type { Action, Flow } from '@ordo/engine';
import { Button, Card, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import {
  ACTION_KINDS,
  type ActionKind,
  blankAction,
  flowEvents,
  kindOf,
  withLabel,
} from '../model/action-edits';
import { labelIn } from '../model/flow-graph';
import { AssignmentsEditor } from './AssignmentsEditor';
import { Field, fieldId, ItemButtons, SelectField, TextField } from './TextField';

/** The installed connectors' actions by connector type, read once per page load. */
let catalogue: Promise<Record<string, string[]>> | undefined;
function useConnectorActions(): Record<string, string[]> {
  const [actions, setActions] = useState<Record<string, string[]>>({});
  useEffect(() => {
    catalogue ??= api<{ items: { id: string; actions: { name: string }[] }[] }>(
      'GET',
      '/connectors',
    ).then(
      (r) => Object.fromEntries(r.items.map((c) => [c.id, c.actions.map((a) => a.name)])),
      () => ({}),
    );
    void catalogue.then(setActions);
  }, []);
  return actions;
}

/**
 * The actions a state runs on entry or a transition runs, in order: each with a form of its
 * kind (call a connector, set data, notify, open a task, emit an event); add, move, remove.
 */
export function ActionsEditor(props: {
  name: string;
  flow: Flow;
  actions: readonly Action[] | undefined;
  onChange(actions: Action[] | undefined): void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ActionKind>('call');
  const list = props.actions ?? [];
  const set = (next: Action[]) => props.onChange(next.length ? next : undefined);
  return (
    <div className="actions-editor">
      <FlowLists flow={props.flow} />
      {list.map((action, i) => (
        <Card
          key={i}
          size="small"
          className="action"
          data-kind={kindOf(action)}
          title={`${i + 1}. ${t(`actions.kind.${kindOf(action)}`)}`}
        >
          <ActionForm
            name={`${props.name}.${i}`}
            flow={props.flow}
            action={action}
            onChange={(a) => set(list.map((x, j) => (j === i ? a : x)))}
          />
          <ItemButtons name={`${props.name}.${i}`} list={list} i={i} onChange={set} />
        </Card>
      ))}
      <Space wrap>
        <SelectField<ActionKind>
          name={`${props.name}.kind`}
          ariaLabel={t('actions.kindOf')}
          value={kind}
          onChange={setKind}
          options={ACTION_KINDS.map((k) => ({ value: k, label: t(`actions.kind.${k}`) }))}
        />
        <Button
          type="primary"
          name={`${props.name}.add`}
          onClick={() => set([...list, blankAction(kind, props.flow)])}
        >
          {t('actions.add')}
        </Button>
      </Space>
    </div>
  );
}

/** What the event and queue inputs offer (the SLA's, the actions', the integration forms'). */
export function FlowLists({ flow }: { flow: Flow }) {
  return (
    <>
      <datalist id="flow-events">
        {flowEvents(flow).map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <datalist id="flow-queues">
        {Object.keys(flow.queues ?? {}).map((q) => (
          <option key={q} value={q} />
        ))}
      </datalist>
    </>
  );
}

/** The form of one action, by its kind (also the call of a system or a schedule). */
export function ActionForm({
  name,
  flow,
  action,
  onChange,
}: {
  name: string;
  flow: Flow;
  action: Action;
  onChange(action: Action): void;
}) {
  const { t, i18n } = useTranslation();
  const connectorActions = useConnectorActions();
  const text = (
    key: string,
    value: string | undefined,
    set: (v: string) => void,
    list?: string,
  ) => (
    <TextField
      name={`${name}.${key}`}
      label={t(`actions.${key}`)}
      list={list}
      value={value}
      onChange={set}
    />
  );
  const optional = (v: string) => (v.trim() ? v.trim() : undefined);

  if ('call' in action) {
    const call = action.call;
    const update = (patch: Partial<typeof call>) => onChange({ call: { ...call, ...patch } });
    const type = flow.connectors?.[call.connector]?.type;
    const offered = (type && connectorActions[type]) || [];
    return (
      <div className="form">
        <SelectField
          name={`${name}.connector`}
          label={t('actions.connector')}
          value={call.connector || undefined}
          onChange={(connector) => update({ connector, action: '' })}
          options={Object.keys(flow.connectors ?? {}).map((c) => ({ value: c, label: c }))}
        />
        <datalist id={`${name}-actions`}>
          {offered.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        {text('action', call.action, (v) => update({ action: v }), `${name}-actions`)}
        <p className="section">{t('actions.input')}</p>
        <AssignmentsEditor
          name={`${name}.input`}
          value={call.input}
          onChange={(input) => update({ input: Object.keys(input).length ? input : undefined })}
        />
        {text('resultPath', call.resultPath, (v) => update({ resultPath: optional(v) }))}
        {text(
          'onSuccess',
          call.onSuccess,
          (v) => update({ onSuccess: optional(v) }),
          'flow-events',
        )}
        {text(
          'onFailure',
          call.onFailure,
          (v) => update({ onFailure: optional(v) }),
          'flow-events',
        )}
      </div>
    );
  }
  if ('set' in action)
    return (
      <AssignmentsEditor
        name={`${name}.set`}
        value={action.set}
        onChange={(set) => onChange({ set })}
      />
    );
  if ('notify' in action) {
    const notify = action.notify;
    const update = (patch: Partial<typeof notify>) => onChange({ notify: { ...notify, ...patch } });
    const audience =
      (['role', 'queue', 'user'] as const).find((k) => notify.to[k] !== undefined) ?? 'role';
    return (
      <div className="form">
        <Field label={t('actions.to')} htmlFor={fieldId(`${name}.recipient`)}>
          <Space.Compact block>
            <SelectField
              name={`${name}.audience`}
              ariaLabel={t('actions.audienceOf')}
              value={audience}
              onChange={(k) => update({ to: { [k]: notify.to[audience] ?? '' } })}
              options={(['role', 'queue', 'user'] as const).map((k) => ({
                value: k,
                label: t(`actions.audience.${k}`),
              }))}
            />
            <Input
              id={fieldId(`${name}.recipient`)}
              name={`${name}.recipient`}
              value={notify.to[audience] ?? ''}
              onChange={(e) => update({ to: { [audience]: e.target.value } })}
            />
          </Space.Compact>
        </Field>
        {text('message', labelIn(notify.message, i18n.language, ''), (v) =>
          update({ message: withLabel(notify.message, i18n.language, v) }),
        )}
        {text('channels', (notify.channels ?? []).join(', '), (v) => {
          const channels = v
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean);
          update({ channels: channels.length ? channels : undefined });
        })}
      </div>
    );
  }
  if ('task' in action) {
    const task = action.task;
    const update = (patch: Partial<typeof task>) => onChange({ task: { ...task, ...patch } });
    return (
      <div className="form">
        {text('queue', task.queue, (v) => update({ queue: v }), 'flow-queues')}
        {text('title', labelIn(task.title, i18n.language, ''), (v) =>
          update({ title: withLabel(task.title, i18n.language, v) }),
        )}
        <SelectField
          name={`${name}.priority`}
          label={t('actions.priority')}
          value={task.priority ?? 'normal'}
          onChange={(priority) => update({ priority })}
          options={(['low', 'normal', 'high', 'urgent'] as const).map((p) => ({
            value: p,
            label: t(`actions.priorities.${p}`),
          }))}
        />
        {text('due', task.due, (v) => update({ due: optional(v) }))}
        {text('assignee', task.assignee, (v) => update({ assignee: optional(v) }))}
      </div>
    );
  }
  const emit = action.emit;
  return (
    <div className="form">
      {text('event', emit.event, (v) => onChange({ emit: { ...emit, event: v } }))}
      <p className="section">{t('actions.payload')}</p>
      <AssignmentsEditor
        name={`${name}.payload`}
        value={emit.payload}
        onChange={(payload) =>
          onChange({
            emit: { ...emit, payload: Object.keys(payload).length ? payload : undefined },
          })
        }
      />
    </div>
  );
}
