import type { Flow } from '@ordo/engine';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

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
        if (
          doc.transitions.some((x) => (x.event ?? x.id) === name && [x.from].flat().includes(from))
        )
          return setError(t('editor.eventTaken', { event: name }));
        onDone(name);
      }}
    >
      <label>
        {t('inspector.event')}
        <input
          name="new-event"
          value={event}
          aria-invalid={error ? true : undefined}
          onChange={(e) => (setEvent(e.target.value), setError(undefined))}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
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
  return (
    <Modal
      title={t('editor.publish')}
      submitLabel={t('editor.publish')}
      cancelLabel={t('orders.cancel')}
      onCancel={onCancel}
      onSubmit={() => onDone(note.trim() || undefined)}
    >
      <label>
        {t('editor.note')}
        <input name="publish-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
    </Modal>
  );
}
