import type { Flow } from '@ordo/engine';
import { Button, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { freeName, listOf, renameKey, withoutKey } from '../../model/integration-edits';

/** The flow's work queues and the business roles that work each one. */
export function QueuesEditor({ flow, onChange }: { flow: Flow; onChange(flow: Flow): void }) {
  const { t } = useTranslation();
  const queues = flow.queues ?? {};
  const set = (next: typeof queues) =>
    onChange({ ...flow, queues: Object.keys(next).length ? next : undefined });
  return (
    <section className="form" data-testid="queues-editor">
      <h3>{t('integration.queues')}</h3>
      <p className="muted">{t('integration.queuesHelp')}</p>
      {Object.entries(queues).map(([name, queue], i) => (
        <Space.Compact key={i} block>
          <Input
            name={`queues.${i}.name`}
            aria-label={t('integration.queue')}
            value={name}
            onChange={(e) => set(renameKey(queues, name, e.target.value))}
          />
          <Input
            name={`queues.${i}.roles`}
            aria-label={t('integration.roles')}
            placeholder={t('integration.roles')}
            value={queue.roles.join(', ')}
            onChange={(e) => set({ ...queues, [name]: { roles: listOf(e.target.value) } })}
          />
          <Button danger onClick={() => set(withoutKey(queues, name))}>
            {t('fields.remove')}
          </Button>
        </Space.Compact>
      ))}
      <Button
        className="add"
        name="queues.add"
        onClick={() =>
          set({ ...queues, [freeName('queue', Object.keys(queues))]: { roles: ['operator'] } })
        }
      >
        {t('integration.addQueue')}
      </Button>
    </section>
  );
}
