import { Alert, Button, Card, Typography } from 'antd';
import { ListTable } from '../components/ListTable';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ExceptionsSection } from './integrations/ExceptionsSection';
import { messageOf } from './integrations/message-of';
import { StatusTabs } from './integrations/StatusTabs';
import { WebhooksSection } from './integrations/WebhooksSection';
import { OrderLink } from './integrations/OrderLink';
import { useOrders } from '../components/use-names';

interface Credential {
  name: string;
  fields: string[];
  /** host:port patterns it may be sent to; none: nowhere (a webhook secret only Ordo reads). */
  hosts: string[];
  updatedAt: string;
}

/** Host patterns typed as a list: separated by commas, spaces or new lines. */
const hostList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

interface Effect {
  id: number;
  orderId: string;
  type: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  effect: { connector?: string; action?: string; channels?: string[] };
}

interface ConnectorInfo {
  id: string;
  version: string;
  title: string;
  actions: { name: string; title: string }[];
}

const STATUSES = ['dead', 'pending', 'running', 'done'] as const;

/**
 * What ran and failed (effects, exceptions), where events go (webhook subscriptions), what an
 * admin stores once (credentials) and what is installed.
 */
export function IntegrationsPage() {
  const { t } = useTranslation();
  return (
    <main className="page integrations">
      <Typography.Title level={1}>{t('integrations.title')}</Typography.Title>
      <Effects />
      <ExceptionsSection />
      <WebhooksSection />
      <Credentials />
      <Connectors />
    </main>
  );
}

function Effects() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('dead');
  const [items, setItems] = useState<Effect[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api<{ items: Effect[] }>('GET', `/effects?status=${status}&limit=100`)
        .then((r) => setItems(r.items))
        .catch((e) => setError(messageOf(e))),
    [status],
  );
  useEffect(() => void load(), [load]);
  const orders = useOrders(items.map((e) => e.orderId));

  async function retry(id: number) {
    try {
      await api('POST', `/effects/${id}/retry`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <Card title={<h2>{t('integrations.effects')}</h2>} className="section-card">
      <StatusTabs
        statuses={STATUSES}
        value={status}
        onChange={setStatus}
        labels="integrations.status"
      />
      {error && <Alert className="error" type="error" showIcon title={error} />}
      <ListTable<Effect>
        empty={t('integrations.noEffects')}
        data-testid="effects"
        dataSource={items}
        columns={[
          { key: 'id', title: '#', dataIndex: 'id', width: 70 },
          {
            key: 'order',
            title: t('integrations.order'),
            render: (_, e) => <OrderLink id={e.orderId} order={orders.get(e.orderId)} />,
          },
          {
            key: 'what',
            title: t('integrations.what'),
            render: (_, e) =>
              e.type === 'connector.call'
                ? `${e.effect.connector}.${e.effect.action}`
                : `${e.type} → ${(e.effect.channels ?? []).join(', ')}`,
          },
          { key: 'attempts', title: t('integrations.attempts'), dataIndex: 'attempts', width: 90 },
          {
            key: 'error',
            title: t('integrations.error'),
            dataIndex: 'lastError',
            className: 'error-text',
          },
          {
            key: 'retry',
            width: 100,
            render: (_, e) =>
              e.status === 'dead' && (
                <Button size="small" onClick={() => void retry(e.id)}>
                  {t('integrations.retry')}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}

function Credentials() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<Credential[]>([]);
  const [name, setName] = useState('');
  const [fields, setFields] = useState<[string, string][]>([['apiKey', '']]);
  const [hosts, setHosts] = useState('');
  /** The credential whose hosts are being edited, and the text being edited. */
  const [editing, setEditing] = useState<{ name: string; hosts: string }>();
  const [error, setError] = useState<string>();
  const load = () =>
    api<{ items: Credential[] }>('GET', '/credentials')
      .then((r) => setItems(r.items))
      .catch((e) => setError(messageOf(e)));
  useEffect(() => void load(), []);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await api('POST', '/credentials', {
        name,
        secret: Object.fromEntries(fields),
        hosts: hostList(hosts),
      });
      setName('');
      setFields([['apiKey', '']]);
      setHosts('');
      setError(undefined);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function saveHosts(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    try {
      await api('PATCH', `/credentials/${encodeURIComponent(editing.name)}`, {
        hosts: hostList(editing.hosts),
      });
      setEditing(undefined);
      setError(undefined);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function remove(credential: string) {
    await api('DELETE', `/credentials/${encodeURIComponent(credential)}`);
    await load();
  }

  const setField = (i: number, at: 0 | 1, value: string) =>
    setFields(
      fields.map((f, j) =>
        j === i ? ((at ? [f[0], value] : [value, f[1]]) as [string, string]) : f,
      ),
    );
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Card title={<h2>{t('integrations.credentials')}</h2>} className="section-card">
      <p className="muted">{t('integrations.credentialsIntro')}</p>
      <ul className="flow-list" data-testid="credentials">
        {items.map((c) => (
          <li key={c.name}>
            <strong>{c.name}</strong>
            <span className="muted">
              {c.fields.join(', ')} · {date.format(new Date(c.updatedAt))}
            </span>
            <span className="mono" data-testid={`hosts-${c.name}`}>
              {c.hosts.length ? c.hosts.join(', ') : t('integrations.hostsNowhere')}
            </span>
            {editing?.name === c.name ? (
              <form className="inline" onSubmit={saveHosts}>
                <input
                  aria-label={t('integrations.hosts')}
                  name={`edit-hosts-${c.name}`}
                  value={editing.hosts}
                  onChange={(e) => setEditing({ name: c.name, hosts: e.target.value })}
                />
                <button type="submit">{t('integrations.saveHosts')}</button>
              </form>
            ) : (
              <button
                className="ghost"
                onClick={() => setEditing({ name: c.name, hosts: c.hosts.join(', ') })}
              >
                {t('integrations.editHosts')}
              </button>
            )}
            <button className="ghost" onClick={() => void remove(c.name)}>
              {t('integrations.delete')}
            </button>
          </li>
        ))}
      </ul>
      <form className="form section-form" onSubmit={save}>
        <label>
          {t('integrations.credentialName')}
          <input
            name="credential-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </label>
        <label>
          {t('integrations.hosts')}
          <input
            name="credential-hosts"
            placeholder="api.bank.example:443, *.crm.example:443"
            value={hosts}
            onChange={(e) => setHosts(e.target.value)}
          />
          <span className="muted">{t('integrations.hostsHelp')}</span>
        </label>
        {fields.map(([key, value], i) => (
          <div className="inline" key={i}>
            <input
              aria-label={t('integrations.field')}
              name={`field-${i}`}
              value={key}
              onChange={(e) => setField(i, 0, e.target.value)}
              required
            />
            <input
              aria-label={t('integrations.secret')}
              name={`secret-${i}`}
              type="password"
              autoComplete="off"
              value={value}
              onChange={(e) => setField(i, 1, e.target.value)}
              required
            />
          </div>
        ))}
        <div className="inline">
          <button type="button" className="ghost" onClick={() => setFields([...fields, ['', '']])}>
            {t('integrations.addField')}
          </button>
          <button type="submit">{t('integrations.save')}</button>
        </div>
        {error && <p className="error">{error}</p>}
      </form>
    </Card>
  );
}

function Connectors() {
  const { t } = useTranslation();
  const [items, setItems] = useState<ConnectorInfo[]>([]);
  useEffect(
    () => void api<{ items: ConnectorInfo[] }>('GET', '/connectors').then((r) => setItems(r.items)),
    [],
  );
  return (
    <Card title={<h2>{t('integrations.connectors')}</h2>} className="section-card">
      <ul className="flow-list" data-testid="connectors">
        {items.map((c) => (
          <li key={c.id}>
            <strong>{t(`deploy.connectorTypes.${c.id}`, { defaultValue: c.title })}</strong>
            <span className="mono">
              {c.id}@{c.version}
            </span>
            <span className="muted">{c.actions.map((a) => a.name).join(', ')}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
