import { Alert, Button, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ListTable } from '../../components/ListTable';
import { messageOf } from '../integrations/message-of';
import { MESSAGE_CHANNELS, type MessagePage, OUTCOMES } from './intake-types';
import { OutcomeBadge } from './OutcomeBadge';
import { useDate } from './use-date';

const PAGE = 20;

/**
 * Every message, newest first, filtered by flow, channel and outcome (antd `Select`s, each
 * `data-name`d), a page at a time in an antd `Table` (each row's `data-id` and `data-outcome`).
 */
export function MessagesTable(props: {
  flows: readonly { key: string; name: string }[];
  refresh: number;
  onOpen(id: string): void;
}) {
  const { t } = useTranslation();
  const date = useDate();
  const [filter, setFilter] = useState({ flow: '', channel: '', outcome: '' });
  /** The cursors of the pages before this one (the first has none). */
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<MessagePage>();
  const [error, setError] = useState<string>();
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    const query = new URLSearchParams({ limit: String(PAGE) });
    for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v);
    if (cursor) query.set('cursor', cursor);
    api<MessagePage>('GET', `/intake/messages?${query}`)
      .then((p) => (setPage(p), setError(undefined)))
      .catch((e) => setError(messageOf(e)));
  }, [filter, cursor, props.refresh]);

  const choose = (key: keyof typeof filter) => (value: string) => {
    setFilter({ ...filter, [key]: value });
    setCursors([]);
  };
  const filterSelect = (
    key: keyof typeof filter,
    label: string,
    options: { value: string; label: string }[],
  ) => (
    <Select
      data-name={key}
      className="message-filter"
      aria-label={label}
      value={filter[key]}
      onChange={choose(key)}
      options={options}
    />
  );
  type Message = MessagePage['items'][number];

  return (
    <section>
      <h2>{t('intake.messages')}</h2>
      <Space wrap data-testid="message-filters">
        {filterSelect('flow', t('intake.flow'), [
          { value: '', label: t('intake.anyFlow') },
          ...props.flows.map((f) => ({ value: f.key, label: f.name })),
        ])}
        {filterSelect('channel', t('intake.channelColumn'), [
          { value: '', label: t('intake.anyChannel') },
          ...MESSAGE_CHANNELS.map((c) => ({ value: c, label: t(`intake.channel.${c}`) })),
        ])}
        {filterSelect('outcome', t('intake.outcomeColumn'), [
          { value: '', label: t('intake.anyOutcome') },
          ...OUTCOMES.map((o) => ({ value: o, label: t(`intake.outcome.${o}`) })),
        ])}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {page && !page.items.length ? (
        <p className="muted">{t('intake.noMessages')}</p>
      ) : (
        <ListTable<Message>
          data-testid="messages"
          size="small"
          dataSource={page?.items ?? []}
          onRow={(m) => ({ 'data-id': m.id, 'data-outcome': m.outcome }) as object}
          columns={[
            { key: 'received', title: t('intake.received'), render: (_, m) => date(m.receivedAt) },
            { key: 'flow', title: t('intake.flow'), dataIndex: 'flow' },
            {
              key: 'channel',
              title: t('intake.channelColumn'),
              render: (_, m) => t(`intake.channel.${m.channel}`, { defaultValue: m.channel }),
            },
            { key: 'from', title: t('intake.from'), dataIndex: 'from' },
            { key: 'subject', title: t('intake.subject'), dataIndex: 'subject' },
            {
              key: 'orders',
              title: t('intake.orders'),
              render: (_, m) => m.orders.map((o) => o.externalRef).join(', '),
            },
            {
              key: 'outcome',
              title: t('intake.outcomeColumn'),
              render: (_, m) => <OutcomeBadge outcome={m.outcome} />,
            },
            {
              key: 'open',
              render: (_, m) => (
                <Button size="small" onClick={() => props.onOpen(m.id)}>
                  {t('intake.open')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Space className="pager">
        {cursors.length > 0 && <Button onClick={() => setCursors([])}>{t('intake.first')}</Button>}
        {page?.nextCursor && (
          <Button
            data-testid="next-page"
            onClick={() => setCursors([...cursors, page.nextCursor!])}
          >
            {t('intake.next')}
          </Button>
        )}
      </Space>
    </section>
  );
}
