import type { ExceptionRule, Flow } from '@ordo/engine';
import { useTranslation } from 'react-i18next';
import { withLabel } from '../../model/action-edits';
import { labelIn } from '../../model/flow-graph';
import { AssignmentsEditor } from '../AssignmentsEditor';
import { ItemButtons, TextField } from '../TextField';
import { LogicInput } from './LogicInput';

const KINDS = [
  'connector_failed',
  'auto_blocked',
  'sla_breached',
  'rule_warning',
  'unmatched_delivery',
  'refused_delivery',
  'drift_refused',
] as const;
const RESOLUTIONS = ['retry', 'event', 'patch', 'task'] as const;
type Resolution = (typeof RESOLUTIONS)[number];

/** The narrowing filter each kind offers. */
const FILTER: Record<ExceptionRule['kind'], 'connector' | 'state' | 'rule' | 'trigger'> = {
  connector_failed: 'connector',
  auto_blocked: 'state',
  sla_breached: 'state',
  rule_warning: 'rule',
  unmatched_delivery: 'trigger',
  refused_delivery: 'trigger',
  drift_refused: 'connector',
};

const resolutionOf = (rule: ExceptionRule): Resolution =>
  RESOLUTIONS.find((r) => rule[r] !== undefined) ?? 'task';

/**
 * Exception routing: rules by kind (the first that applies wins), each settled automatically —
 * retry later, fire another event, patch data — or handed to a person as a task in a queue.
 */
export function ExceptionsEditor({ flow, onChange }: { flow: Flow; onChange(flow: Flow): void }) {
  const { t, i18n } = useTranslation();
  const rules = flow.exceptions ?? [];
  const set = (next: ExceptionRule[]) =>
    onChange({ ...flow, exceptions: next.length ? next : undefined });
  const queue = Object.keys(flow.queues ?? {})[0] ?? 'exceptions';
  const choices: Record<string, string[]> = {
    connector: Object.keys(flow.connectors ?? {}),
    state: flow.states.map((s) => s.id),
    rule: (flow.rules ?? []).map((r) => r.id),
    trigger: (flow.triggers ?? []).map((x) => x.id),
  };
  return (
    <section className="form" data-testid="exceptions-editor">
      <h3>{t('integration.exceptions')}</h3>
      <p className="muted">{t('integration.exceptionsHelp')}</p>
      {rules.map((rule, i) => {
        const update = (patch: Partial<ExceptionRule>) =>
          set(rules.map((x, j) => (j === i ? ({ ...x, ...patch } as ExceptionRule) : x)));
        const filter = FILTER[rule.kind];
        const resolution = resolutionOf(rule);
        return (
          <fieldset key={i} className="form">
            <legend>
              {i + 1}. {t(`integration.kinds.${rule.kind}`)}
            </legend>
            <label>
              {t('integration.kind')}
              <select
                name={`exceptions.${i}.kind`}
                value={rule.kind}
                onChange={(e) =>
                  update({
                    kind: e.target.value as ExceptionRule['kind'],
                    connector: undefined,
                    state: undefined,
                    rule: undefined,
                    trigger: undefined,
                    after: undefined,
                  })
                }
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`integration.kinds.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(`integration.only.${filter}`)}
              <select
                name={`exceptions.${i}.${filter}`}
                value={rule[filter] ?? ''}
                onChange={(e) => update({ [filter]: e.target.value || undefined })}
              >
                <option value="">{t('integration.any')}</option>
                {choices[filter].map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            {rule.kind === 'auto_blocked' && (
              <TextField
                name={`exceptions.${i}.after`}
                label={t('integration.blockedFor')}
                placeholder="PT15M"
                value={rule.after}
                onChange={(after) => update({ after: after || undefined })}
              />
            )}
            <LogicInput
              name={`exceptions.${i}.when`}
              label={t('integration.when')}
              placeholder='{">": [{"var": "amount"}, 20000]}'
              value={rule.when}
              onChange={(when) => update({ when })}
            />
            <label>
              {t('integration.settle')}
              <select
                name={`exceptions.${i}.resolution`}
                value={resolution}
                onChange={(e) => {
                  const next = e.target.value as Resolution;
                  update({
                    retry: next === 'retry' ? { after: 'PT5M', times: 3 } : undefined,
                    event: next === 'event' ? '' : undefined,
                    patch: next === 'patch' ? {} : undefined,
                    task: next === 'task' ? { queue, title: '' } : undefined,
                  });
                }}
              >
                {RESOLUTIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`integration.resolutions.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            {rule.retry && (
              <span className="inline">
                <TextField
                  name={`exceptions.${i}.retry.after`}
                  label={t('integration.retryAfter')}
                  value={rule.retry.after}
                  onChange={(after) => update({ retry: { ...rule.retry!, after } })}
                />
                <label>
                  {t('integration.retryTimes')}
                  <input
                    name={`exceptions.${i}.retry.times`}
                    type="number"
                    min={1}
                    max={100}
                    value={rule.retry.times ?? ''}
                    onChange={(e) =>
                      update({
                        retry: {
                          ...rule.retry!,
                          times: e.target.value ? Number(e.target.value) : undefined,
                        },
                      })
                    }
                  />
                </label>
              </span>
            )}
            {rule.event !== undefined && (
              <input
                name={`exceptions.${i}.event`}
                list="flow-events"
                aria-label={t('integration.event')}
                value={rule.event}
                onChange={(e) => update({ event: e.target.value })}
              />
            )}
            {rule.patch && (
              <AssignmentsEditor
                name={`exceptions.${i}.patch`}
                value={rule.patch}
                onChange={(patch) => update({ patch })}
              />
            )}
            {rule.task && (
              <span className="inline">
                <input
                  name={`exceptions.${i}.task.queue`}
                  list="flow-queues"
                  aria-label={t('actions.queue')}
                  value={rule.task.queue}
                  onChange={(e) => update({ task: { ...rule.task!, queue: e.target.value } })}
                />
                <input
                  name={`exceptions.${i}.task.title`}
                  aria-label={t('actions.title')}
                  placeholder={t('actions.title')}
                  value={labelIn(rule.task.title, i18n.language, '')}
                  onChange={(e) =>
                    update({
                      task: {
                        ...rule.task!,
                        title: withLabel(rule.task!.title, i18n.language, e.target.value),
                      },
                    })
                  }
                />
              </span>
            )}
            <ItemButtons name={`exceptions.${i}`} list={rules} i={i} onChange={set} />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="ghost"
        name="exceptions.add"
        onClick={() =>
          set([...rules, { kind: 'connector_failed', task: { queue, title: 'Look into it' } }])
        }
      >
        {t('integration.addRule')}
      </button>
    </section>
  );
}
