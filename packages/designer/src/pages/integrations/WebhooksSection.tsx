import { Card } from 'antd';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { messageOf } from './message-of';

interface Subscription {
  id: number;
  url: string;
  events: string[];
  createdAt: string;
}

interface Delivery {
  id: number;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Outbound webhook subscriptions: subscribe, read each one's delivery log, send one again. */
export function WebhooksSection() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Subscription[]>([]);
  const [open, setOpen] = useState<number>();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('order.state_changed');
  const [secret, setSecret] = useState('');
  /** The secret Ordo generated for the last subscription: shown this once. */
  const [generated, setGenerated] = useState<string>();
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api<{ items: Subscription[] }>('GET', '/webhooks')
        .then((r) => setItems(r.items))
        .catch((e) => setError(messageOf(e))),
    [],
  );
  useEffect(() => void load(), [load]);

  async function subscribe(event: FormEvent) {
    event.preventDefault();
    try {
      const list = events
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      const created = await api<{ secret?: string }>('POST', '/webhooks', {
        url,
        events: list,
        ...(secret && { secret }),
      });
      setGenerated(created.secret);
      setUrl('');
      setSecret('');
      setError(undefined);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function remove(id: number) {
    await api('DELETE', `/webhooks/${id}`);
    if (open === id) setOpen(undefined);
    await load();
  }

  return (
    <Card title={<h2>{t('integrations.webhooks')}</h2>} className="section-card">
      <p className="muted">{t('integrations.webhooksIntro')}</p>
      <ul className="flow-list" data-testid="webhooks">
        {items.map((s) => (
          <li key={s.id}>
            <button className="ghost" onClick={() => setOpen(open === s.id ? undefined : s.id)}>
              <strong>{s.url}</strong>
            </button>
            <span className="muted">{s.events.join(', ')}</span>
            <button className="ghost" onClick={() => void remove(s.id)}>
              {t('integrations.delete')}
            </button>
          </li>
        ))}
      </ul>
      {open !== undefined && <Deliveries subscription={open} />}
      <form className="form section-form" onSubmit={subscribe}>
        <label>
          {t('integrations.url')}
          <input
            name="webhook-url"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
          />
        </label>
        <label>
          {t('integrations.events')}
          <input
            name="webhook-events"
            value={events}
            onChange={(e) => setEvents(e.target.value)}
            required
          />
        </label>
        <label>
          {t('integrations.secret')}
          <input
            name="webhook-secret"
            type="password"
            autoComplete="new-password"
            placeholder={t('integrations.secretGenerated')}
            pattern="whsec_[A-Za-z0-9+/]+={0,2}"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        {generated && (
          <p className="notice" data-testid="webhook-secret-once">
            {t('integrations.secretOnce')} <code>{generated}</code>
          </p>
        )}
        {error && <p className="error">{error}</p>}
        <button type="submit">{t('integrations.subscribe')}</button>
      </form>
    </Card>
  );
}

function Deliveries({ subscription }: { subscription: number }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<Delivery[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api<{ items: Delivery[] }>('GET', `/webhooks/${subscription}/deliveries?limit=100`)
        .then((r) => setItems(r.items))
        .catch((e) => setError(messageOf(e))),
    [subscription],
  );
  useEffect(() => void load(), [load]);

  async function redeliver(id: number) {
    try {
      await api('POST', `/webhooks/${subscription}/deliveries/${id}/redeliver`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <div className="card">
      <h3>{t('integrations.deliveries')}</h3>
      {error && <p className="error">{error}</p>}
      {items.length === 0 ? (
        <p className="muted">{t('integrations.noDeliveries')}</p>
      ) : (
        <table data-testid="deliveries">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('integrations.what')}</th>
              <th>{t('integrations.attempts')}</th>
              <th>{t('integrations.error')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td>{d.id}</td>
                <td>
                  {d.event} · {t(`integrations.deliveryStatus.${d.status}`)} ·{' '}
                  {date.format(new Date(d.deliveredAt ?? d.createdAt))}
                </td>
                <td>{d.attempts}</td>
                <td className="error-text">
                  {d.status === 'delivered' ? '' : (d.lastError ?? '')}
                </td>
                <td>
                  <button className="ghost" onClick={() => void redeliver(d.id)}>
                    {t('integrations.redeliver')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
