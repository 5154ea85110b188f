import type { Flow, Sla } from '@ordo/engine';
import { useTranslation } from 'react-i18next';
import { withLabel } from '../model/action-edits';
import { labelIn } from '../model/flow-graph';

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
  return (
    <fieldset className="form sla">
      <legend>{t('sla.title')}</legend>
      <label>
        {t('sla.within')}
        <input
          name="sla-within"
          placeholder="PT4H"
          value={sla?.within ?? ''}
          onChange={(e) => update(e.target.value, breach)}
        />
      </label>
      {sla && (
        <>
          <label className="check">
            <input
              type="checkbox"
              name="sla-business"
              checked={sla.in === 'business'}
              onChange={(e) => write({ ...sla, in: e.target.checked ? 'business' : undefined })}
            />
            {calendar ? t('sla.business', { calendar }) : t('sla.businessNoCalendar')}
          </label>
          <label>
            {t('sla.event')}
            <input
              name="sla-event"
              list="flow-events"
              value={breach.event ?? ''}
              onChange={(e) =>
                update(sla.within, { ...breach, event: e.target.value || undefined })
              }
            />
          </label>
          <label>
            {t('sla.queue')}
            <input
              name="sla-queue"
              list="flow-queues"
              value={breach.task?.queue ?? ''}
              onChange={(e) =>
                update(sla.within, {
                  ...breach,
                  task: e.target.value ? { ...breach.task, queue: e.target.value } : undefined,
                })
              }
            />
          </label>
          {breach.task && (
            <label>
              {t('sla.taskTitle')}
              <input
                name="sla-task-title"
                value={labelIn(breach.task.title, i18n.language, '')}
                onChange={(e) =>
                  update(sla.within, {
                    ...breach,
                    task: {
                      ...breach.task!,
                      title: e.target.value
                        ? withLabel(breach.task!.title, i18n.language, e.target.value)
                        : undefined,
                    },
                  })
                }
              />
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}
