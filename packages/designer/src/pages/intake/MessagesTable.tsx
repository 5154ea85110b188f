import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { messageOf } from '../integrations/message-of';
import { MESSAGE_CHANNELS, type MessagePage, OUTCOMES } from './intake-types';
import { OutcomeBadge } from './OutcomeBadge';
import { useDate } from './use-date';

const PAGE = 20;

/** Every message, newest first, filtered by flow, channel and outcome, a page at a time. */
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

  const choose = (key: keyof typeof filter) => (e: { target: { value: string } }) => {
    setFilter({ ...filter, [key]: e.target.value });
    setCursors([]);
  };

  return (
    <section>
      <h2>{t('intake.messages')}</h2>
      <div className="inline" data-testid="message-filters">
        <select
          name="flow"
          value={filter.flow}
          onChange={choose('flow')}
          aria-label={t('intake.flow')}
        >
          <option value="">{t('intake.anyFlow')}</option>
          {props.flows.map((f) => (
            <option key={f.key} value={f.key}>
              {f.name}
            </option>
          ))}
        </select>
        <select
          name="channel"
          value={filter.channel}
          onChange={choose('channel')}
          aria-label={t('intake.channelColumn')}
        >
          <option value="">{t('intake.anyChannel')}</option>
          {MESSAGE_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`intake.channel.${c}`)}
            </option>
          ))}
        </select>
        <select
          name="outcome"
          value={filter.outcome}
          onChange={choose('outcome')}
          aria-label={t('intake.outcomeColumn')}
        >
          <option value="">{t('intake.anyOutcome')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`intake.outcome.${o}`)}
            </option>
          ))}
        </select>
      </div>
      {error && <p className="error">{error}</p>}
      {page && !page.items.length ? (
        <p className="muted">{t('intake.noMessages')}</p>
      ) : (
        <table data-testid="messages">
          <thead>
            <tr>
              <th>{t('intake.received')}</th>
              <th>{t('intake.flow')}</th>
              <th>{t('intake.channelColumn')}</th>
              <th>{t('intake.from')}</th>
              <th>{t('intake.subject')}</th>
              <th>{t('intake.orders')}</th>
              <th>{t('intake.outcomeColumn')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page?.items.map((m) => (
              <tr key={m.id} data-id={m.id} data-outcome={m.outcome}>
                <td>{date(m.receivedAt)}</td>
                <td>{m.flow}</td>
                <td>{t(`intake.channel.${m.channel}`, { defaultValue: m.channel })}</td>
                <td>{m.from}</td>
                <td>{m.subject}</td>
                <td>{m.orders.map((o) => o.externalRef).join(', ')}</td>
                <td>
                  <OutcomeBadge outcome={m.outcome} />
                </td>
                <td>
                  <button type="button" className="ghost" onClick={() => props.onOpen(m.id)}>
                    {t('intake.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inline">
        {cursors.length > 0 && (
          <button type="button" className="ghost" onClick={() => setCursors([])}>
            {t('intake.first')}
          </button>
        )}
        {page?.nextCursor && (
          <button
            type="button"
            className="ghost"
            data-testid="next-page"
            onClick={() => setCursors([...cursors, page.nextCursor!])}
          >
            {t('intake.next')}
          </button>
        )}
      </div>
    </section>
  );
}
