import { Alert, Card, Tag } from 'antd';
import { ListTable } from '../../components/ListTable';
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
    <Card title={<h2>{t('integrations.exceptions')}</h2>} className="section-card">
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
      {error && <Alert className="error" type="error" showIcon title={error} />}
      <ListTable<ExceptionRecord>
        empty={t('integrations.noEffects')}
        data-testid="exceptions"
        dataSource={items}
        columns={[
          { key: 'id', title: '#', dataIndex: 'id', width: 70 },
          {
            key: 'kind',
            title: t('integrations.kind'),
            render: (_, x) => (
              <>
                <Tag color="volcano">{x.kind}</Tag> <span className="muted">{x.flow}</span>
              </>
            ),
          },
          {
            key: 'order',
            title: t('integrations.order'),
            render: (_, x) =>
              x.orderId ? <OrderLink id={x.orderId} order={orders.get(x.orderId)} /> : '—',
          },
          {
            key: 'resolution',
            title: t('integrations.resolution'),
            render: (_, x) => t(`integrations.resolutions.${x.resolution}`),
          },
          {
            key: 'note',
            title: t('integrations.note'),
            className: 'error-text',
            render: (_, x) => x.note ?? x.detail.error ?? '',
          },
        ]}
      />
    </Card>
  );
}
