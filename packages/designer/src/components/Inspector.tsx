import type { Flow } from '@ordo/engine';
import { Button, Checkbox, Input, Space, Tooltip } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyEdit } from '../model/flow-edits';
import { labelIn, withLabelIn } from '../model/flow-graph';
import { ruleFields } from '../model/rule-fields';
import { ActionsEditor } from './ActionsEditor';
import { RuleBuilder } from './RuleBuilder';
import { SlaEditor } from './SlaEditor';
import { ErrorAlert, Field, fieldId, SelectField, TextField } from './TextField';
import { systemOnlyPatch } from '../model/ownership';
import { stateLabel } from '../model/data-changes';
import { idProblem, ID_MAX } from '../model/ids';
import { renameState } from '../model/rename-state';

// Monaco is large: it loads when a transition is first inspected (a textarea until then).
const GuardEditor = lazy(() => import('./GuardEditor'));

export type Selection = { kind: 'state' | 'transition'; id: string } | undefined;

/** Edits the selected state or transition; guards as json-logic. */
export function Inspector({
  doc,
  selection,
  onChange,
  onSelect,
}: {
  doc: Flow;
  selection: Selection;
  onChange: (doc: Flow) => void;
  /** A renamed state stays selected under its new id. */
  onSelect?: (selection: Selection) => void;
}) {
  const { t, i18n } = useTranslation();
  const state =
    selection?.kind === 'state' ? doc.states.find((s) => s.id === selection.id) : undefined;
  const transition =
    selection?.kind === 'transition'
      ? doc.transitions.find((x) => x.id === selection.id)
      : undefined;
  const [guard, setGuard] = useState('');
  const [error, setError] = useState<string>();
  const variables = useMemo(() => ruleFields(doc).map((f) => f.name), [doc]);
  // Reset the text only when the guard itself changes (another transition, the rule builder,
  // Apply): an autosave or a live update gives the document new objects, and must not throw
  // away what someone is typing.
  const storedGuard =
    transition?.guard === undefined ? '' : JSON.stringify(transition.guard, null, 2);
  useEffect(() => {
    setGuard(storedGuard);
    setError(undefined);
  }, [transition?.id, storedGuard]);

  /** A state as people know it: its label in the chosen language. */
  const named = (id: string) => stateLabel(doc, id, i18n.language);
  const updateState = (patch: Record<string, unknown>) =>
    onChange({
      ...doc,
      states: doc.states.map((s) => (s.id === state?.id ? { ...s, ...patch } : s)),
    });
  if (state)
    return (
      <div className="form">
        <StateIdInput
          key={state.id}
          doc={doc}
          id={state.id}
          onRename={(id) => {
            onChange(renameState(doc, state.id, id));
            onSelect?.({ kind: 'state', id });
          }}
        />
        <Field label={t('inspector.label')} htmlFor={fieldId('state-label')}>
          <Input
            id={fieldId('state-label')}
            name="state-label"
            value={labelIn(state.label, i18n.language, '')}
            onChange={(e) =>
              updateState({ label: withLabelIn(state.label, i18n.language, e.target.value) })
            }
          />
        </Field>
        <Space size="large">
          {(['initial', 'final'] as const).map((flag) => (
            <Checkbox
              key={flag}
              name={`state-${flag}`}
              checked={state[flag] === true}
              onChange={(e) => updateState({ [flag]: e.target.checked || undefined })}
            >
              {t(`inspector.${flag}`)}
            </Checkbox>
          ))}
        </Space>
        {!state.final && (
          <SlaEditor flow={doc} sla={state.sla} onChange={(sla) => updateState({ sla })} />
        )}
        <p className="section">{t('actions.entry')}</p>
        <ActionsEditor
          name="entry"
          flow={doc}
          actions={state.entry}
          onChange={(entry) => updateState({ entry })}
        />
        {!state.final && <AddTransition doc={doc} from={state.id} onChange={onChange} />}
      </div>
    );
  if (transition) {
    const update = (patch: Record<string, unknown>) =>
      onChange({
        ...doc,
        transitions: doc.transitions.map((x) => (x.id === transition.id ? { ...x, ...patch } : x)),
      });
    return (
      <div className="form">
        <Field label={t('inspector.id')} htmlFor={fieldId('transition-id')}>
          <Input id={fieldId('transition-id')} value={transition.id} readOnly />
        </Field>
        <Field label={t('inspector.label')} htmlFor={fieldId('transition-label')}>
          <Input
            id={fieldId('transition-label')}
            name="transition-label"
            placeholder={t('inspector.transitionLabelHint')}
            value={labelIn(transition.label, i18n.language, '')}
            onChange={(e) =>
              update({
                label: e.target.value
                  ? withLabelIn(transition.label, i18n.language, e.target.value)
                  : undefined,
              })
            }
          />
        </Field>
        <p className="muted" data-testid="transition-ends">
          {t('inspector.from')} {[transition.from].flat().map(named).join(', ')} →{' '}
          {t('inspector.to')} {named(transition.to)}
        </p>
        <Checkbox
          name="transition-auto"
          checked={transition.auto === true}
          onChange={(e) =>
            update(
              e.target.checked
                ? { auto: true, event: undefined }
                : { auto: undefined, event: transition.id },
            )
          }
        >
          {t('inspector.auto')}
        </Checkbox>
        {!transition.auto && (
          <Field label={t('inspector.event')} htmlFor={fieldId('transition-event')}>
            <Input
              id={fieldId('transition-event')}
              name="transition-event"
              value={transition.event ?? ''}
              onChange={(e) => update({ event: e.target.value })}
            />
          </Field>
        )}
        {!transition.auto && (
          <Tooltip title={t('inspector.systemOnlyHint')}>
            <Checkbox
              name="transition-system-only"
              checked={transition.source === 'system'}
              onChange={(e) => update(systemOnlyPatch(e.target.checked))}
            >
              {t('inspector.systemOnly')}
            </Checkbox>
          </Tooltip>
        )}
        <Field label={t('inspector.roles')} htmlFor={fieldId('transition-roles')}>
          <Input
            id={fieldId('transition-roles')}
            name="transition-roles"
            disabled={transition.source === 'system'}
            value={(transition.roles ?? []).join(', ')}
            onChange={(e) => {
              const roles = e.target.value
                .split(',')
                .map((r) => r.trim())
                .filter(Boolean);
              update({ roles: roles.length ? roles : undefined });
            }}
          />
        </Field>
        <div>
          <p className="section">{t('inspector.guard')}</p>
          <RuleBuilder
            flow={doc}
            logic={transition.guard}
            onChange={(guard) => update({ guard })}
          />
        </div>
        <div>
          <p className="section">{t('inspector.guardJson')}</p>
          <Suspense
            fallback={
              <Input.TextArea
                name="transition-guard"
                rows={8}
                value={guard}
                onChange={(e) => setGuard(e.target.value)}
                spellCheck={false}
              />
            }
          >
            <GuardEditor
              id={transition.id}
              value={guard}
              variables={variables}
              onChange={setGuard}
            />
          </Suspense>
        </div>
        {error && <ErrorAlert message={error} />}
        <Button
          name="transition-guard-apply"
          onClick={() => {
            try {
              update({ guard: guard.trim() ? JSON.parse(guard) : undefined });
              setError(undefined);
            } catch {
              setError(t('inspector.invalidJson'));
            }
          }}
        >
          {t('inspector.apply')}
        </Button>
        <p className="section">{t('actions.transition')}</p>
        <ActionsEditor
          name="actions"
          flow={doc}
          actions={transition.actions}
          onChange={(actions) => update({ actions })}
        />
      </div>
    );
  }
  return <p className="muted">{t('inspector.nothing')}</p>;
}

/**
 * A transition from the selected state, made with the keyboard (the canvas makes one by
 * dragging from handle to handle): the target state and the event that fires it.
 */
function AddTransition({
  doc,
  from,
  onChange,
}: {
  doc: Flow;
  from: string;
  onChange: (doc: Flow) => void;
}) {
  const { t, i18n } = useTranslation();
  const [to, setTo] = useState('');
  const [event, setEvent] = useState('');
  const target = to || doc.states.find((s) => s.id !== from)?.id || from;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!event.trim()) return;
        onChange(applyEdit(doc, { kind: 'connect', from, to: target, event: event.trim() }));
        setEvent('');
      }}
    >
      <strong>{t('inspector.addTransition')}</strong>
      <SelectField<string>
        name="new-transition-to"
        label={t('inspector.to')}
        value={target}
        onChange={setTo}
        options={doc.states.map((s) => ({
          value: s.id,
          label: labelIn(s.label, i18n.language, s.id),
        }))}
      />
      <TextField
        name="new-transition-event"
        label={t('inspector.event')}
        value={event}
        onChange={setEvent}
      />
      <Button type="primary" htmlType="submit">
        {t('inspector.add')}
      </Button>
    </form>
  );
}

/**
 * A state's id, editable: applied on Enter or when the field is left, once it is a valid id
 * no other state has; every reference in the draft follows (renameState).
 */
function StateIdInput({
  doc,
  id,
  onRename,
}: {
  doc: Flow;
  id: string;
  onRename: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(id);
  const [error, setError] = useState<string>();
  const apply = () => {
    const next = text.trim();
    if (next === id) return setError(undefined);
    const taken = new Set(doc.states.map((s) => s.id).filter((s) => s !== id));
    const problem = idProblem(next, taken);
    if (problem) return setError(t(`editor.stateId.${problem}`, { id: next, max: ID_MAX }));
    setError(undefined);
    onRename(next);
  };
  return (
    <Field
      label={t('inspector.id')}
      htmlFor={fieldId('state-id')}
      hint={t('inspector.idRenames')}
      error={error}
    >
      <Input
        id={fieldId('state-id')}
        name="state-id"
        value={text}
        aria-invalid={error ? true : undefined}
        onChange={(e) => (setText(e.target.value), setError(undefined))}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
          if (e.key === 'Escape') {
            setText(id);
            setError(undefined);
          }
        }}
      />
    </Field>
  );
}
