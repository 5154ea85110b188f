import type { ExternalSystem, Flow } from '@ordo/engine';
import { Button, Card, Checkbox, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { freeName, renameKey, withoutKey } from '../../model/integration-edits';
import { ActionForm } from '../ActionsEditor';
import { TextField } from '../TextField';

type Call = NonNullable<ExternalSystem['read']>['call'];

/**
 * The status translator: per external system, its status codes and the states (and events)
 * they stand for, how our changes are pushed to it, and how its view is read for drift.
 */
export function SystemsEditor({ flow, onChange }: { flow: Flow; onChange(flow: Flow): void }) {
  const { t } = useTranslation();
  const systems = flow.systems ?? {};
  const set = (next: typeof systems) =>
    onChange({ ...flow, systems: Object.keys(next).length ? next : undefined });
  const connector = Object.keys(flow.connectors ?? {})[0] ?? '';
  const blankCall = (): Call => ({ connector, action: '' });
  return (
    <section className="form" data-testid="systems-editor">
      <h3>{t('integration.systems')}</h3>
      <p className="muted">{t('integration.systemsHelp')}</p>
      {Object.entries(systems).map(([name, system], i) => {
        const update = (patch: Partial<ExternalSystem>) =>
          set({ ...systems, [name]: { ...system, ...patch } });
        const statuses = system.statuses;
        return (
          <Card
            key={i}
            size="small"
            title={
              <Input
                name={`systems.${i}.name`}
                aria-label={t('integration.system')}
                value={name}
                onChange={(e) => set(renameKey(systems, name, e.target.value))}
              />
            }
          >
            <div className="form">
              <table className="codes">
                <thead>
                  <tr>
                    <th>{t('integration.code')}</th>
                    <th>{t('integration.state')}</th>
                    <th>{t('integration.event')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {statuses.map((s, j) => {
                    const row = (patch: Partial<typeof s>) =>
                      update({
                        statuses: statuses.map((x, k) => (k === j ? { ...x, ...patch } : x)),
                      });
                    return (
                      <tr key={j}>
                        <td>
                          <Input
                            size="small"
                            aria-label={t('integration.code')}
                            name={`systems.${i}.statuses.${j}.code`}
                            value={s.code}
                            onChange={(e) => row({ code: e.target.value })}
                          />
                        </td>
                        <td>
                          <Select<string>
                            size="small"
                            data-testid={`systems.${i}.statuses.${j}.state`}
                            aria-label={t('integration.state')}
                            popupMatchSelectWidth={false}
                            value={s.state}
                            onChange={(state) => row({ state })}
                            options={flow.states.map((st) => ({ value: st.id, label: st.id }))}
                          />
                        </td>
                        <td>
                          <Input
                            size="small"
                            aria-label={t('integration.event')}
                            name={`systems.${i}.statuses.${j}.event`}
                            list="flow-events"
                            value={s.event ?? ''}
                            onChange={(e) => row({ event: e.target.value || undefined })}
                          />
                        </td>
                        <td>
                          <Button
                            size="small"
                            type="text"
                            danger
                            aria-label={t('fields.remove')}
                            disabled={statuses.length === 1}
                            onClick={() => update({ statuses: statuses.filter((_, k) => k !== j) })}
                          >
                            ×
                          </Button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <Button
                size="small"
                className="add"
                name={`systems.${i}.statuses.add`}
                onClick={() =>
                  update({ statuses: [...statuses, { code: '', state: flow.states[0]?.id ?? '' }] })
                }
              >
                {t('integration.addCode')}
              </Button>
              <Checkbox
                name={`systems.${i}.push`}
                checked={system.push !== undefined}
                onChange={(e) =>
                  update({ push: e.target.checked ? { call: blankCall() } : undefined })
                }
              >
                {t('integration.push')}
              </Checkbox>
              {system.push && (
                <ActionForm
                  name={`systems.${i}.push`}
                  flow={flow}
                  action={system.push}
                  onChange={(a) => 'call' in a && update({ push: a })}
                />
              )}
              <Checkbox
                name={`systems.${i}.read`}
                checked={system.read !== undefined}
                onChange={(e) =>
                  update({
                    read: e.target.checked ? { call: blankCall(), status: '/status' } : undefined,
                  })
                }
              >
                {t('integration.read')}
              </Checkbox>
              {system.read && (
                <>
                  <ActionForm
                    name={`systems.${i}.read`}
                    flow={flow}
                    action={{ call: system.read.call }}
                    onChange={(a) =>
                      'call' in a && update({ read: { ...system.read!, call: a.call } })
                    }
                  />
                  <TextField
                    name={`systems.${i}.read.status`}
                    label={t('integration.statusPointer')}
                    value={system.read.status}
                    onChange={(status) => update({ read: { ...system.read!, status } })}
                  />
                  <TextField
                    name={`systems.${i}.read.every`}
                    label={t('integration.every')}
                    placeholder="PT1H"
                    value={system.read.every}
                    onChange={(every) =>
                      update({ read: { ...system.read!, every: every || undefined } })
                    }
                  />
                  <Checkbox
                    name={`systems.${i}.read.repair`}
                    checked={system.read.repair === true}
                    onChange={(e) =>
                      update({ read: { ...system.read!, repair: e.target.checked || undefined } })
                    }
                  >
                    {t('integration.repair')}
                  </Checkbox>
                </>
              )}
              <Button danger className="add" onClick={() => set(withoutKey(systems, name))}>
                {t('integration.removeSystem')}
              </Button>
            </div>
          </Card>
        );
      })}
      <Button
        className="add"
        name="systems.add"
        onClick={() =>
          set({
            ...systems,
            [freeName('system', Object.keys(systems))]: {
              statuses: [{ code: '', state: flow.states[0]?.id ?? '' }],
            },
          })
        }
      >
        {t('integration.addSystem')}
      </Button>
    </section>
  );
}
