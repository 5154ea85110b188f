import { Alert, Button, Card, Empty, Input, Tag, Typography } from 'antd';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { blankFlow } from '../model/flow-edits';
import { labelIn } from '../model/flow-graph';
import { idFromLabel } from '../model/ids';

interface FlowSummary {
  key: string;
  name: unknown;
  latestVersion: number | null;
  draftValid: boolean;
  updatedAt: string;
}

/** The flows, and creating a blank one. */
export function FlowList() {
  const { t, i18n } = useTranslation();
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [name, setName] = useState('');
  /** The key as typed; until then, suggested from the name. */
  const [typedKey, setTypedKey] = useState<string>();
  const [error, setError] = useState<string>();
  const taken = new Set(flows.map((f) => f.key));
  const key = typedKey ?? (name.trim() ? idFromLabel(name, taken, 'flow').replace(/_/g, '-') : '');

  useEffect(() => {
    void api<{ items: FlowSummary[] }>('GET', '/flows').then((r) => setFlows(r.items));
  }, []);

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      await api('POST', '/flows', blankFlow(key, name.trim() || key));
      window.location.hash = `#/flows/${key}`;
    } catch (e) {
      setError(
        e instanceof ApiError
          ? (e.problem.errors?.[0]?.message ?? e.message)
          : (e as Error).message,
      );
    }
  }

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <main className="page flows">
      <div className="page-head">
        <Typography.Title level={1}>{t('flows.title')}</Typography.Title>
        <Button href="#/templates">{t('templates.fromTemplate')}</Button>
      </div>
      <Card size="small" className="new-flow">
        <form className="inline" onSubmit={create}>
          <Input
            name="name"
            aria-label={t('flows.name')}
            placeholder={t('flows.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Input
            name="key"
            aria-label={t('flows.key')}
            placeholder={t('flows.key')}
            value={key}
            onChange={(e) => setTypedKey(e.target.value)}
            required
            pattern="[a-z0-9][a-z0-9_-]*"
          />
          <Button type="primary" htmlType="submit">
            {t('flows.new')}
          </Button>
        </form>
        {error && <Alert className="error" type="error" showIcon title={error} />}
      </Card>
      {flows.length === 0 && <Empty description={t('flows.none')} />}
      <ul className="flow-list flow-cards">
        {flows.map((f) => (
          <li key={f.key}>
            <a className="flow-card" href={`#/flows/${f.key}`}>
              <strong>{labelIn(f.name as never, i18n.language, f.key)}</strong>
              <code>{f.key}</code>
              <span>
                <Tag color={!f.draftValid ? 'error' : f.latestVersion ? 'success' : 'default'}>
                  {f.latestVersion
                    ? t('flows.published', { version: f.latestVersion })
                    : t('flows.draft')}
                  {!f.draftValid && ` · ${t('flows.invalid')}`}
                </Tag>
              </span>
              <span className="muted">{date.format(new Date(f.updatedAt))}</span>
            </a>
            {f.latestVersion && (
              <Button
                type="link"
                className="flow-analytics"
                href={`#/analytics/${f.key}`}
                data-analytics={f.key}
              >
                {t('analytics.title')}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </main>
  );
}
