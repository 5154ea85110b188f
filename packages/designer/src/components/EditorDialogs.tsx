import { Transition, type Flow } from '@ordo/engine';
import { Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';
import { ErrorAlert } from './TextField';
import { idFromLabel, idProblem, ID_MAX } from '../model/ids';

/** What the flow schema accepts as an event name, and the longest publish note the server keeps. */
const EVENT = Transition.properties.event;
const EVENT_NAME = new RegExp(EVENT.pattern!);
export const NOTE_MAX = 2000;

/** Names the event of a transition drawn on the canvas; a name is required. */
export function NewEventDialog({
  doc,
  from,
  to,
  onDone,
  onCancel,
}: {
  doc: Flow;
  from: string;
  to: string;
  onDone: (event: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [event, setEvent] = useState(`${from}_to_${to}`);
  const [error, setError] = useState<string>();
  return (
    <Modal
      title={t('editor.newEvent')}
      submitLabel={t('inspector.add')}
      cancelLabel={t('orders.cancel')}
      onCancel={onCancel}
      onSubmit={() => {
        const name = event.trim();
        if (!name) return setError(t('editor.eventRequired'));
        if (name.length > EVENT.maxLength! || !EVENT_NAME.test(name))
          return setError(t('workbench.eventPattern', { max: EVENT.maxLength }));
        if (
          doc.transitions.some((x) => (x.event ?? x.id) === name && [x.from].flat().includes(from))
        )
          return setError(t('editor.eventTaken', { event: name }));
        onDone(name);
      }}
    >
      <label>
        {t('inspector.event')}
        <Input
          name="new-event"
          value={event}
          aria-invalid={error ? true : undefined}
          status={error ? 'error' : undefined}
          onChange={(e) => (setEvent(e.target.value), setError(undefined))}
        />
      </label>
      {error && <ErrorAlert message={error} />}
    </Modal>
  );
}

/** Takes the optional note of the version about to be published. */
export function PublishDialog({
  onDone,
  onCancel,
}: {
  onDone: (note: string | undefined) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  return (
    <Modal
      title={t('editor.publish')}
      submitLabel={t('editor.publish')}
      cancelLabel={t('orders.cancel')}
      onCancel={onCancel}
      onSubmit={() => {
        const text = note.trim();
        if (text.length > NOTE_MAX) return setError(t('workbench.noteTooLong', { max: NOTE_MAX }));
        onDone(text || undefined);
      }}
    >
      <label>
        {t('editor.note')}
        <Input
          name="publish-note"
          value={note}
          aria-invalid={error ? true : undefined}
          status={error ? 'error' : undefined}
          onChange={(e) => (setNote(e.target.value), setError(undefined))}
        />
      </label>
      <p className="muted">
        {t('workbench.noteCount', { count: note.trim().length, max: NOTE_MAX })}
      </p>
      {error && <ErrorAlert message={error} />}
    </Modal>
  );
}

/**
 * Names a new state: its label (what people see) and its id (what events, the API and the
 * other systems use), suggested from the label until the id is typed; both required.
 */
export function NewStateDialog({
  doc,
  onDone,
  onCancel,
}: {
  doc: Flow;
  onDone: (state: { id: string; label: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const taken = new Set(doc.states.map((s) => s.id));
  const [label, setLabel] = useState('');
  const [id, setId] = useState<string>();
  const [error, setError] = useState<string>();
  const shownId = id ?? (label.trim() ? idFromLabel(label, taken) : '');
  return (
    <Modal
      title={t('editor.newState')}
      submitLabel={t('inspector.add')}
      cancelLabel={t('orders.cancel')}
      onCancel={onCancel}
      onSubmit={() => {
        if (!label.trim()) return setError(t('editor.stateLabelRequired'));
        const problem = idProblem(shownId, taken);
        if (problem) return setError(t(`editor.stateId.${problem}`, { id: shownId, max: ID_MAX }));
        onDone({ id: shownId, label: label.trim() });
      }}
    >
      <label>
        {t('inspector.label')}
        <Input
          name="new-state-label"
          value={label}
          aria-invalid={error && !label.trim() ? true : undefined}
          status={error && !label.trim() ? 'error' : undefined}
          onChange={(e) => (setLabel(e.target.value), setError(undefined))}
        />
      </label>
      <label>
        {t('inspector.id')}
        <Input
          name="new-state-id"
          value={shownId}
          aria-invalid={error && label.trim() ? true : undefined}
          status={error && label.trim() ? 'error' : undefined}
          onChange={(e) => (setId(e.target.value), setError(undefined))}
        />
      </label>
      <p className="muted">{t('editor.stateIdHint')}</p>
      {error && <ErrorAlert message={error} />}
    </Modal>
  );
}
