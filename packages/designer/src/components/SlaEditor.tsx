import type { Flow, Sla } from '@ordo/engine';
import { Card, Checkbox, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { withLabel } from '../model/action-edits';
import { labelIn } from '../model/flow-graph';
import { Field, fieldId } from './TextField';

/**
 * A state's SLA: how long an order may stay (ISO-8601, e.g. PT4H), and what a breach does —
 * fire an event, open a task in a queue, or both. Without a duration there is no SLA.
 */
export function SlaEditor(props: { flow: Flow; sla: Sla | undefined; onChange(sla?: Sla): void }) {
  const { t, i18n } = useTranslation();
  const sla = props.sla;
  const breach = sla?.onBreach ?? {};
  // Keeps what this form does not edit (a flow document may carry more than it shows).
  const write = (next: Sla) => props.onChange(next.in ? next : { ...next, in: undefined });
  const update = (within: string, onBreach: Sla['onBreach']) =>
    within.trim() ? write({ ...sla, within: within.trim(), onBreach }) : props.onChange(undefined);
  const calendar = props.flow.calendar;
  const input = (
    name: string,
    label: string,
    value: string,
    set: (v: string) => void,
    list?: string,
  ) => (
    <Field label={label} htmlFor={fieldId(name)}>
      <Input
        id={fieldId(name)}
        name={name}
        list={list}
        placeholder={name === 'sla-within' ? 'PT4H' : undefined}
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    </Field>
  );
  return (
    <Card size="small" className="sla" title={t('sla.title')}>
      <div className="form">
        {input('sla-within', t('sla.within'), sla?.within ?? '', (v) => update(v, breach))}
        {sla && (
          <>
            <Checkbox
              name="sla-business"
              checked={sla.in === 'business'}
              onChange={(e) => write({ ...sla, in: e.target.checked ? 'business' : undefined })}
            >
              {calendar ? t('sla.business', { calendar }) : t('sla.businessNoCalendar')}
            </Checkbox>
            {input(
              'sla-event',
              t('sla.event'),
              breach.event ?? '',
              (v) => update(sla.within, { ...breach, event: v || undefined }),
              'flow-events',
            )}
            {input(
              'sla-queue',
              t('sla.queue'),
              breach.task?.queue ?? '',
              (v) =>
                update(sla.within, {
                  ...breach,
                  task: v ? { ...breach.task, queue: v } : undefined,
                }),
              'flow-queues',
            )}
            {breach.task &&
              input(
                'sla-task-title',
                t('sla.taskTitle'),
                labelIn(breach.task.title, i18n.language, ''),
                (v) =>
                  update(sla.within, {
                    ...breach,
                    task: {
                      ...breach.task!,
                      title: v ? withLabel(breach.task!.title, i18n.language, v) : undefined,
                    },
                  }),
              )}
          </>
        )}
      </div>
    </Card>
  );
}
