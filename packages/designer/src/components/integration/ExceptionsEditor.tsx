import type { ExceptionRule, Flow } from '@ordo/engine';
import { Button, Card, Input, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { withLabel } from '../../model/action-edits';
import { labelIn } from '../../model/flow-graph';
import { AssignmentsEditor } from '../AssignmentsEditor';
import { Field, fieldId, ItemButtons, SelectField, TextField } from '../TextField';
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
          <Card key={i} size="small" title={`${i + 1}. ${t(`integration.kinds.${rule.kind}`)}`}>
            <div className="form">
              <SelectField<ExceptionRule['kind']>
                name={`exceptions.${i}.kind`}
                label={t('integration.kind')}
                value={rule.kind}
                options={KINDS.map((k) => ({ value: k, label: t(`integration.kinds.${k}`) }))}
                onChange={(kind) =>
                  update({
                    kind,
                    connector: undefined,
                    state: undefined,
                    rule: undefined,
                    trigger: undefined,
                    after: undefined,
                  })
                }
              />
              <SelectField<string>
                name={`exceptions.${i}.${filter}`}
                label={t(`integration.only.${filter}`)}
                value={rule[filter] ?? ''}
                onChange={(c) => update({ [filter]: c || undefined })}
                options={[
                  { value: '', label: t('integration.any') },
                  ...choices[filter].map((c) => ({ value: c, label: c })),
                ]}
              />
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
              <SelectField<Resolution>
                name={`exceptions.${i}.resolution`}
                label={t('integration.settle')}
                value={resolution}
                options={RESOLUTIONS.map((r) => ({
                  value: r,
                  label: t(`integration.resolutions.${r}`),
                }))}
                onChange={(next) =>
                  update({
                    retry: next === 'retry' ? { after: 'PT5M', times: 3 } : undefined,
                    event: next === 'event' ? '' : undefined,
                    patch: next === 'patch' ? {} : undefined,
                    task: next === 'task' ? { queue, title: '' } : undefined,
                  })
                }
              />
              {rule.retry && (
                <Space wrap align="end">
                  <TextField
                    name={`exceptions.${i}.retry.after`}
                    label={t('integration.retryAfter')}
                    value={rule.retry.after}
                    onChange={(after) => update({ retry: { ...rule.retry!, after } })}
                  />
                  <Field
                    label={t('integration.retryTimes')}
                    htmlFor={fieldId(`exceptions.${i}.retry.times`)}
                  >
                    <InputNumber<number>
                      // antd names its step buttons in English only; the arrow keys step.
                      controls={false}
                      id={fieldId(`exceptions.${i}.retry.times`)}
                      name={`exceptions.${i}.retry.times`}
                      min={1}
                      max={100}
                      value={rule.retry.times ?? null}
                      onChange={(times) =>
                        update({ retry: { ...rule.retry!, times: times ?? undefined } })
                      }
                    />
                  </Field>
                </Space>
              )}
              {rule.event !== undefined && (
                <Input
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
                <Space.Compact block>
                  <Input
                    name={`exceptions.${i}.task.queue`}
                    list="flow-queues"
                    aria-label={t('actions.queue')}
                    value={rule.task.queue}
                    onChange={(e) => update({ task: { ...rule.task!, queue: e.target.value } })}
                  />
                  <Input
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
                </Space.Compact>
              )}
              <ItemButtons name={`exceptions.${i}`} list={rules} i={i} onChange={set} />
            </div>
          </Card>
        );
      })}
      <Button
        className="add"
        name="exceptions.add"
        onClick={() =>
          set([...rules, { kind: 'connector_failed', task: { queue, title: 'Look into it' } }])
        }
      >
        {t('integration.addRule')}
      </Button>
    </section>
  );
}
