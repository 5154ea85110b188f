import { Button, Card, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { messageOf } from '../integrations/message-of';
import { CopyText } from './CopyText';
import { type Channel, type MailboxStatus, type Message, OUTCOMES } from './intake-types';
import { OutcomeBadge } from './OutcomeBadge';
import { useDate } from './use-date';

/** A callback or import path as the URL to give the other system (this server's origin). */
const urlOf = (channel: Channel) =>
  channel.address.startsWith('/api/')
    ? `${window.location.origin}${channel.address}`
    : channel.address;

/**
 * One channel: where to send orders (copyable), how it is set up, its counts by outcome and
 * its last messages (each opens the message); a polled mailbox can be polled now.
 */
export function ChannelCard(props: {
  channel: Channel;
  /** Changes when messages may have arrived (a poll, a retry): the last ones are asked again. */
  refresh: number;
  onOpen(id: string): void;
  onPolled(): void;
}) {
  const { channel } = props;
  const { t } = useTranslation();
  const date = useDate();
  const [last, setLast] = useState<Message[]>([]);
  const [mailbox, setMailbox] = useState<MailboxStatus | undefined>(channel.mailbox);
  const [polling, setPolling] = useState(false);
  const [note, setNote] = useState<{ text: string; bad: boolean }>();
  useEffect(() => setMailbox(channel.mailbox), [channel.mailbox]);
  useEffect(() => {
    if (!channel.messages) return;
    const query = new URLSearchParams({
      flow: channel.flow,
      channel: channel.messages,
      limit: '3',
    });
    void api<{ items: Message[] }>('GET', `/intake/messages?${query}`)
      .then((r) => setLast(r.items))
      .catch(() => setLast([]));
  }, [channel.flow, channel.messages, props.refresh]);

  async function pollNow() {
    setPolling(true);
    setNote(undefined);
    try {
      const status = await api<MailboxStatus>('POST', `/intake/mailboxes/${channel.flow}/poll`);
      setMailbox(status);
      setNote({
        text: `${t('intake.pollDone', { state: t(`intake.mailboxState.${status.state}`) })}${status.message ? ` — ${status.message}` : ''}`,
        bad: status.state === 'failed',
      });
      props.onPolled();
    } catch (e) {
      setNote({ text: messageOf(e), bad: true });
    } finally {
      setPolling(false);
    }
  }

  // How the channel is set up, in a line: the receiver, the callback, the pull's schedule.
  const setup = [
    channel.kind === 'email' &&
      (channel.receiver
        ? `${t('intake.receiver')}: ${channel.receiver.host}:${channel.receiver.port}`
        : t('intake.receiverOff')),
    (channel.kind === 'wecom' || channel.kind === 'dingtalk') && t('intake.callbackUrl'),
    channel.kind === 'wecom' && `corpId ${channel.corpId} · AgentId ${channel.agentId}`,
    channel.kind === 'file' && t('intake.importRoute'),
    channel.kind === 'pull' &&
      t('intake.pullEvery', { every: channel.every, connector: channel.connector }),
    channel.kind === 'pull' &&
      (channel.pull?.runAt
        ? t('intake.lastRun', {
            at: date(channel.pull.runAt),
            outcome: t(`intake.pullOutcome.${channel.pull.outcome ?? 'ok'}`),
          })
        : t('intake.neverRun')),
    // A failed run says why (the server's words: a refused host, an answer it could not read).
    channel.pull?.outcome === 'failed' && channel.pull.message,
    channel.pull?.cursor && `${t('intake.cursor')} ${channel.pull.cursor}`,
    channel.orderChannel && t('intake.orderChannel', { channel: channel.orderChannel }),
  ];
  return (
    <li className="channel" data-kind={channel.kind} data-flow={channel.flow}>
      <Card
        size="small"
        title={
          <div className="channel-head">
            <strong>{t(`intake.kind.${channel.kind}`)}</strong>
            {OUTCOMES.filter((o) => channel.counts[o]).map((o) => (
              <OutcomeBadge key={o} outcome={o} count={channel.counts[o]} />
            ))}
          </div>
        }
      >
        <CopyText text={urlOf(channel)} />
        <p className="muted">{setup.filter(Boolean).join(' · ')}</p>
        {mailbox && (
          <div className="inline" data-testid="mailbox">
            <Tag
              className="mailbox-state"
              data-state={mailbox.state}
              color={mailbox.state === 'failed' ? 'error' : undefined}
            >
              {t(`intake.mailboxState.${mailbox.state}`)}
            </Tag>
            {mailbox.polledAt && (
              <span className="muted">
                {t('intake.polledAt', { at: date(mailbox.polledAt) })}
                {mailbox.nextAt && `, ${t('intake.nextAt', { at: date(mailbox.nextAt) })}`}
              </span>
            )}
            <Button size="small" disabled={polling} onClick={() => void pollNow()}>
              {polling ? t('intake.polling') : t('intake.pollNow')}
            </Button>
          </div>
        )}
        {note && (
          <p className={note.bad ? 'error' : 'muted'} role="status" data-testid="poll-result">
            {note.text}
          </p>
        )}
        {channel.messages && (
          <>
            <p className="muted">
              {channel.lastAt
                ? t('intake.lastAt', { at: date(channel.lastAt) })
                : t('intake.noMessagesYet')}
            </p>
            <ul className="last-messages">
              {last.map((m) => (
                <li key={m.id}>
                  <OutcomeBadge outcome={m.outcome} />{' '}
                  <Button type="link" size="small" onClick={() => props.onOpen(m.id)}>
                    {m.subject ?? m.from ?? m.id}
                  </Button>{' '}
                  <span className="muted">{date(m.receivedAt)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </li>
  );
}
