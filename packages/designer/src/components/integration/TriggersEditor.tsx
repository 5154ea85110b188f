import type { Flow, ScheduleTrigger, Trigger, WebhookTrigger } from '@ordo/engine';
import { Button, Card, Checkbox, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { freeName } from '../../model/integration-edits';
import { ActionForm } from '../ActionsEditor';
import { AssignmentsEditor } from '../AssignmentsEditor';
import { SelectField, TextField } from '../TextField';
import { LogicInput } from './LogicInput';

type Webhook = WebhookTrigger['webhook'];
type Schedule = ScheduleTrigger['schedule'];

/**
 * What moves orders from outside: inbound webhooks (signed; find the order or start one; an
 * event, or a system's status code) and schedules (poll a connector while orders wait).
 */
export function TriggersEditor({ flow, onChange }: { flow: Flow; onChange(flow: Flow): void }) {
  const { t } = useTranslation();
  const triggers = flow.triggers ?? [];
  const set = (next: Trigger[]) => onChange({ ...flow, triggers: next.length ? next : undefined });
  const replace = (i: number, trigger: Trigger) =>
    set(triggers.map((x, j) => (j === i ? trigger : x)));
  const id = (base: string) =>
    freeName(
      base,
      triggers.map((x) => x.id),
    );
  return (
    <section className="form" data-testid="triggers-editor">
      <h3>{t('integration.triggers')}</h3>
      {triggers.map((trigger, i) => (
        <Card
          key={i}
          size="small"
          data-kind={'webhook' in trigger ? 'webhook' : 'schedule'}
          title={t(`integration.${'webhook' in trigger ? 'webhook' : 'schedule'}`)}
        >
          <div className="form">
            <TextField
              name={`triggers.${i}.id`}
              label={t('integration.id')}
              value={trigger.id}
              onChange={(v) => replace(i, { ...trigger, id: v })}
            />
            {'webhook' in trigger ? (
              <WebhookForm
                name={`triggers.${i}`}
                flow={flow}
                id={trigger.id}
                hook={trigger.webhook}
                onChange={(webhook) => replace(i, { id: trigger.id, webhook })}
              />
            ) : 'schedule' in trigger ? (
              <ScheduleForm
                name={`triggers.${i}`}
                flow={flow}
                schedule={trigger.schedule}
                onChange={(schedule) => replace(i, { id: trigger.id, schedule })}
              />
            ) : (
              // A pull (ERP intake) is written in the flow's JSON; shown here as what it reads.
              <p className="mono" data-testid="pull-trigger">
                pull {trigger.pull.connector} {trigger.pull.path} every {trigger.pull.every}
              </p>
            )}
            <Button danger className="add" onClick={() => set(triggers.filter((_, j) => j !== i))}>
              {t('fields.remove')}
            </Button>
          </div>
        </Card>
      ))}
      <Space wrap>
        <Button
          name="triggers.add-webhook"
          onClick={() =>
            set([
              ...triggers,
              {
                id: id('inbound'),
                webhook: {
                  secret: `${flow.key}-hook`,
                  find: { by: 'externalRef', value: { var: '$body.orderNo' } },
                  event: { type: { var: '$body.event' } },
                },
              },
            ])
          }
        >
          {t('integration.addWebhook')}
        </Button>
        <Button
          name="triggers.add-schedule"
          onClick={() =>
            set([
              ...triggers,
              {
                id: id('poll'),
                schedule: {
                  every: 'PT15M',
                  states: [flow.states[0]?.id ?? ''],
                  call: { connector: Object.keys(flow.connectors ?? {})[0] ?? '', action: '' },
                },
              },
            ])
          }
        >
          {t('integration.addSchedule')}
        </Button>
      </Space>
    </section>
  );
}

function WebhookForm(props: {
  name: string;
  flow: Flow;
  id: string;
  hook: Webhook;
  onChange(hook: Webhook): void;
}) {
  const { t } = useTranslation();
  const { name, flow, hook } = props;
  const update = (patch: Partial<Webhook>) => props.onChange({ ...hook, ...patch });
  const mode = hook.system !== undefined ? 'system' : hook.event ? 'event' : 'none';
  return (
    <>
      <p className="muted">
        <code>
          POST /api/hooks/{flow.key}/{props.id}
        </code>{' '}
        {t('integration.signed')}
      </p>
      <TextField
        name={`${name}.secret`}
        label={t('integration.secret')}
        value={hook.secret}
        onChange={(v) => update({ secret: v })}
      />
      <SelectField<'id' | 'externalRef'>
        name={`${name}.find.by`}
        label={t('integration.findBy')}
        value={hook.find.by}
        onChange={(by) => update({ find: { ...hook.find, by } })}
        options={[
          { value: 'externalRef', label: t('integration.byRef') },
          { value: 'id', label: t('integration.byId') },
        ]}
      />
      <LogicInput
        name={`${name}.find.value`}
        label={t('integration.findIn')}
        placeholder="$body.orderNo"
        value={hook.find.value}
        onChange={(value) => update({ find: { ...hook.find, value } })}
      />
      <Checkbox
        name={`${name}.create`}
        checked={hook.create !== undefined}
        onChange={(e) => update({ create: e.target.checked ? { data: {} } : undefined })}
      >
        {t('integration.create')}
      </Checkbox>
      {hook.create && (
        <AssignmentsEditor
          name={`${name}.create.data`}
          valueHint='{"var": "$body.customer"}'
          value={hook.create.data}
          onChange={(data) => update({ create: { data } })}
        />
      )}
      <SelectField<string>
        name={`${name}.mode`}
        label={t('integration.becomes')}
        value={mode}
        options={[
          { value: 'event', label: t('integration.modeEvent') },
          { value: 'system', label: t('integration.modeSystem') },
          { value: 'none', label: t('integration.modeNone') },
        ]}
        onChange={(next) =>
          update(
            next === 'system'
              ? {
                  event: undefined,
                  system: Object.keys(flow.systems ?? {})[0] ?? '',
                  status: { var: '$body.status' },
                }
              : next === 'event'
                ? {
                    system: undefined,
                    status: undefined,
                    event: { type: { var: '$body.event' } },
                  }
                : { system: undefined, status: undefined, event: undefined },
          )
        }
      />
      {hook.event && (
        <LogicInput
          name={`${name}.event.type`}
          label={t('integration.eventFrom')}
          placeholder='$body.event or "confirm"'
          value={hook.event.type}
          onChange={(type) => update({ event: { ...hook.event, type } })}
        />
      )}
      {hook.system !== undefined && (
        <>
          <SelectField<string>
            name={`${name}.system`}
            label={t('integration.system')}
            value={hook.system || undefined}
            onChange={(system) => update({ system })}
            options={Object.keys(flow.systems ?? {}).map((s) => ({ value: s, label: s }))}
          />
          <LogicInput
            name={`${name}.status`}
            label={t('integration.statusFrom')}
            placeholder="$body.status"
            value={hook.status}
            onChange={(status) => update({ status })}
          />
        </>
      )}
    </>
  );
}

function ScheduleForm(props: {
  name: string;
  flow: Flow;
  schedule: Schedule;
  onChange(schedule: Schedule): void;
}) {
  const { t } = useTranslation();
  const { name, flow, schedule } = props;
  const update = (patch: Partial<Schedule>) => props.onChange({ ...schedule, ...patch });
  const deadline = schedule.deadline;
  return (
    <>
      <TextField
        name={`${name}.every`}
        label={t('integration.every')}
        placeholder="PT15M"
        value={schedule.every}
        onChange={(v) => update({ every: v || undefined })}
      />
      <TextField
        name={`${name}.cron`}
        label={t('integration.cron')}
        placeholder="0 */2 * * *"
        value={schedule.cron}
        onChange={(v) => update({ cron: v || undefined })}
      />
      <fieldset className="while-in">
        <legend>{t('integration.whileIn')}</legend>
        <Space wrap>
          {flow.states.map((s) => (
            <Checkbox
              key={s.id}
              name={`${name}.states.${s.id}`}
              checked={schedule.states.includes(s.id)}
              onChange={(e) =>
                update({
                  states: e.target.checked
                    ? [...schedule.states, s.id]
                    : schedule.states.filter((x) => x !== s.id),
                })
              }
            >
              {s.id}
            </Checkbox>
          ))}
        </Space>
      </fieldset>
      <ActionForm
        name={`${name}.call`}
        flow={flow}
        action={{ call: schedule.call }}
        onChange={(a) => 'call' in a && update({ call: a.call })}
      />
      <LogicInput
        name={`${name}.until`}
        label={t('integration.until')}
        placeholder='{"==": [{"var": "payment.status"}, "paid"]}'
        value={schedule.until}
        onChange={(until) => update({ until })}
      />
      <TextField
        name={`${name}.deadline.after`}
        label={t('integration.deadline')}
        placeholder="P7D"
        value={deadline?.after}
        onChange={(v) =>
          update({
            deadline: v ? { ...deadline, after: v } : undefined,
          })
        }
      />
      {deadline && (
        <TextField
          name={`${name}.deadline.event`}
          label={t('integration.deadlineEvent')}
          list="flow-events"
          value={deadline.event}
          onChange={(v) => update({ deadline: { ...deadline, event: v || undefined } })}
        />
      )}
    </>
  );
}
