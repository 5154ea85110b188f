import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { messageOf } from './message-of';
import { StatusTabs } from './StatusTabs';
import { OrderLink } from './OrderLink';
import { useOrders } from '../../components/use-names';

interface ExceptionRecord {
  id: number;
  flow: string;
  orderId: string | null;
  kind: string;
  resolution: string;
  status: 'open' | 'settled';
  settledBy: 'system' | 'person' | null;
  note: string | null;
  detail: { error?: string };
  createdAt: string;
}

interface Stats {
  total: number;
  settledAutomatically: number;
  open: number;
  automaticShare: number;
}

/** Exceptions as recorded, and the share settled without a person. */
export function ExceptionsSection() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'open' | 'settled'>('open');
  const [items, setItems] = useState<ExceptionRecord[]>([]);
  const [stats, setStats] = useState<Stats>();
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      Promise.all([
        api<{ items: ExceptionRecord[] }>('GET', `/exceptions?status=${status}&limit=100`),
        api<Stats>('GET', '/exceptions/stats'),
      ])
        .then(([list, totals]) => {
          setItems(list.items);
          setStats(totals);
        })
        .catch((e) => setError(messageOf(e))),
    [status],
  );
  useEffect(() => void load(), [load]);
  const orders = useOrders(items.map((x) => x.orderId));

  const share = new Intl.NumberFormat(i18n.language, { style: 'percent' });
  return (
    <section>
      <h2>{t('integrations.exceptions')}</h2>
      {stats && (
        <p className="muted" data-testid="exception-stats">
          {t('integrations.exceptionsIntro', {
            auto: stats.settledAutomatically,
            total: stats.total,
            share: share.format(stats.automaticShare),
            open: stats.open,
          })}
        </p>
      )}
      <StatusTabs
        statuses={['open', 'settled'] as const}
        value={status}
        onChange={setStatus}
        labels="integrations.exceptionStatus"
      />
      {error && <p className="error">{error}</p>}
      {items.length === 0 ? (
        <p className="muted">{t('integrations.noEffects')}</p>
      ) : (
        <table data-testid="exceptions">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('integrations.kind')}</th>
              <th>{t('integrations.order')}</th>
              <th>{t('integrations.resolution')}</th>
              <th>{t('integrations.note')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td>{x.id}</td>
                <td>
                  {x.kind} <span className="muted">{x.flow}</span>
                </td>
                <td>
                  {x.orderId ? <OrderLink id={x.orderId} order={orders.get(x.orderId)} /> : '—'}
                </td>
                <td>{t(`integrations.resolutions.${x.resolution}`)}</td>
                <td className="error-text">{x.note ?? x.detail.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
