import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '@ordo/engine';
import { api, ApiError } from '../../api';
import { Modal } from '../Modal';
import {
  type ConnectorInfo,
  deployConnectors,
  type FormValues,
  initialValues,
  instanceForms,
  keepsDefaults,
} from '../../model/deploy-form';
import { messageOf } from '../../pages/integrations/message-of';
import { SettingInput } from './SettingInput';

/** What the form needs of a template. */
export interface DeployTemplate {
  id: string;
  title: string;
  flow: Flow;
  credentials: { name: string; fields: string[] }[];
}

/**
 * Deploying a template: each connector's settings (a form from the connector's settings
 * schema, filled with the template's: the demo's fake systems) and the credential it sends
 * (a placeholder unless typed). Only changes are sent; the server's refusals show at their field.
 */
export function DeployForm({
  template,
  loadSamples,
  onDeployed,
  onCancel,
}: {
  template: DeployTemplate;
  loadSamples: boolean;
  onDeployed(answer: unknown): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [described, setDescribed] = useState<ConnectorInfo[]>();
  const [stored, setStored] = useState<string[]>([]);
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void Promise.all([
      api<{ items: ConnectorInfo[] }>('GET', '/connectors'),
      api<{ items: { name: string }[] }>('GET', '/credentials'),
    ])
      .then(([connectors, credentials]) => {
        setStored(credentials.items.map((c) => c.name));
        setDescribed(connectors.items);
        setValues(
          initialValues(
            instanceForms(template.flow.connectors ?? {}, connectors.items, template.credentials),
          ),
        );
      })
      .catch((e) => setError(messageOf(e)));
  }, [template]);
  const forms = useMemo(
    () =>
      described
        ? instanceForms(template.flow.connectors ?? {}, described, template.credentials)
        : [],
    [described, template],
  );

  async function submit() {
    const { connectors, errors: bad } = deployConnectors(forms, values);
    setError(undefined);
    setErrors(
      Object.fromEntries(Object.entries(bad).map(([at, why]) => [at, t(`deploy.bad.${why}`)])),
    );
    if (Object.keys(bad).length) return;
    setBusy(true);
    try {
      onDeployed(
        await api('POST', `/templates/${template.id}/deploy`, { loadSamples, connectors }),
      );
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) {
        setErrors(Object.fromEntries(e.problem.errors.map((p) => [p.path, p.message])));
        setError(e.problem.detail);
      } else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const set = (
    instance: string,
    part: 'settings' | 'credential',
    name: string,
    value: string | boolean,
  ) =>
    setValues((v) => ({
      ...v,
      [instance]: { ...v[instance], [part]: { ...v[instance][part], [name]: value } },
    }));
  /** A refusal at this path or, for an object, at the object itself. */
  const errorAt = (path: string) => errors[path];

  return (
    <Modal
      title={t('deploy.title', { name: template.title })}
      submitLabel={busy ? t('templates.deploying') : t('templates.deploy')}
      cancelLabel={t('deploy.cancel')}
      onSubmit={() => void (!busy && submit())}
      onCancel={onCancel}
    >
      <div className="deploy-form" data-testid="deploy-form">
        <p className="muted">{t('deploy.intro')}</p>
        {error && <p className="error">{error}</p>}
        {!described && !error && <p className="muted">{t('deploy.loading')}</p>}
        {forms.map((form) => {
          const typed = values[form.name];
          if (!typed) return null;
          const base = `/connectors/${form.name}`;
          const credentialState = !form.credential
            ? 'optional'
            : stored.includes(form.credential)
              ? 'stored'
              : 'placeholder';
          return (
            <fieldset key={form.name} data-testid={`deploy-connector-${form.name}`}>
              <legend>
                {form.name}{' '}
                <span className="muted">
                  {t(`deploy.connectorTypes.${form.type}`, {
                    defaultValue: described?.find((c) => c.id === form.type)?.title ?? form.type,
                  })}
                </span>{' '}
                <span className="badge">
                  {keepsDefaults(form, values) ? t('deploy.defaults') : t('deploy.changed')}
                </span>
              </legend>
              {errorAt(base) && <p className="error">{errorAt(base)}</p>}
              {errorAt(`${base}/settings`) && (
                <p className="error">{errorAt(`${base}/settings`)}</p>
              )}
              {form.settings.map((s) => (
                <SettingInput
                  key={s.name}
                  name={`${form.name}.${s.name}`}
                  label={t(`deploy.setting.${s.name}`, { defaultValue: s.schema.title ?? s.name })}
                  kind={s.kind}
                  choices={(s.schema.enum ?? []).map((v) => ({
                    value: String(v),
                    label: t(`deploy.choice.${s.name}.${String(v)}`, { defaultValue: String(v) }),
                  }))}
                  value={typed.settings[s.name]}
                  error={errorAt(`${base}/settings/${s.name}`)}
                  onChange={(v) => set(form.name, 'settings', s.name, v)}
                />
              ))}
              {form.credentialFields.length > 0 && (
                <div className="deploy-credential">
                  <h4>
                    {t('deploy.credential')} {form.credential && <code>{form.credential}</code>}{' '}
                    <span className="badge" data-testid={`credential-state-${form.name}`}>
                      {t(`deploy.credentialState.${credentialState}`)}
                    </span>
                  </h4>
                  <p className="muted">{t(`deploy.credentialHint.${credentialState}`)}</p>
                  {errorAt(`${base}/credential`) && (
                    <p className="error">{errorAt(`${base}/credential`)}</p>
                  )}
                  {form.credentialFields.map((field) => (
                    <SettingInput
                      key={field}
                      name={`${form.name}.credential.${field}`}
                      label={t(`deploy.setting.${field}`, { defaultValue: field })}
                      kind="text"
                      secret
                      placeholder={t(`deploy.credentialPlaceholder.${credentialState}`)}
                      value={typed.credential[field] ?? ''}
                      error={errorAt(`${base}/credential/${field}`)}
                      onChange={(v) => set(form.name, 'credential', field, String(v))}
                    />
                  ))}
                </div>
              )}
            </fieldset>
          );
        })}
      </div>
    </Modal>
  );
}
