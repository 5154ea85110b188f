import { Form, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Someone } from '../model/order-names';
import { Modal } from './Modal';

/** Asks before something that cannot be undone; says what will happen. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      title={title}
      submitLabel={confirmLabel}
      cancelLabel={t('orders.cancel')}
      onSubmit={onConfirm}
      onCancel={onCancel}
    >
      <p>{message}</p>
    </Modal>
  );
}

/**
 * Gives a task to a person picked from the people who may work it (active people, those with
 * a role of its queue or admins first, in an antd `Select`'s groups), or back to its queue; a
 * choice is required.
 */
export function ReassignDialog({
  people,
  queue,
  assignee,
  onDone,
  onCancel,
}: {
  people: readonly Someone[];
  queue: string;
  assignee: string | null;
  onDone: (assignee: string | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const QUEUE = '\u0000queue';
  // Nothing chosen at first: the current assignee is the one the task is leaving.
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string>();
  const active = people.filter((p) => p.kind === 'user' && p.active);
  const works = (p: Someone) => p.roles.includes(queue) || p.roles.includes('admin');
  const [first, others] = [active.filter(works), active.filter((p) => !works(p))];
  return (
    <Modal
      title={t('workbench.reassignTitle')}
      submitLabel={t('workbench.reassignSubmit')}
      cancelLabel={t('orders.cancel')}
      onCancel={onCancel}
      onSubmit={() => {
        if (!choice) return setError(t('workbench.pickSomeone'));
        if (choice === assignee) return setError(t('workbench.alreadyTheirs'));
        onDone(choice === QUEUE ? null : choice);
      }}
    >
      <Form component={false} layout="vertical">
        <Form.Item
          label={t('workbench.giveTo')}
          htmlFor="reassign-to"
          validateStatus={error ? 'error' : undefined}
          help={error && <span role="alert">{error}</span>}
        >
          <Select
            id="reassign-to"
            data-name="reassign-to"
            placeholder={t('workbench.choose')}
            value={choice || undefined}
            onChange={(value: string) => (setChoice(value), setError(undefined))}
            options={[
              {
                label: t('workbench.worksQueue', { queue }),
                options: first.map((p) => ({ value: p.id, label: p.name })),
              },
              ...(others.length > 0
                ? [
                    {
                      label: t('workbench.otherPeople'),
                      options: others.map((p) => ({ value: p.id, label: p.name })),
                    },
                  ]
                : []),
              ...(assignee !== null
                ? [{ value: QUEUE, label: t('workbench.backToQueue', { queue }) }]
                : []),
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
