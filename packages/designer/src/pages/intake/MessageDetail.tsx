import { Alert, Button, Card, Descriptions, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../api';
import { LineReading, MisreadWhy } from '../../components/intake/LineReading';
import { messageOf } from '../integrations/message-of';
import { type Message, RETRYABLE } from './intake-types';
import { OutcomeBadge } from './OutcomeBadge';
import { useDate } from './use-date';

const EXTENSION: Record<string, string> = { email: 'eml', wecom: 'xml', dingtalk: 'json' };

/**
 * One message: who sent it and what, its original to download, what the message format
 * understood line by line and what it did not, the orders it created, its problems, the
 * answer sent — and, when it failed, a retry.
 */
export function MessageDetail(props: { id: string; onClose(): void; onRetried(): void }) {
  const { t } = useTranslation();
  const date = useDate();
  const [message, setMessage] = useState<Message>();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setMessage(undefined);
    setNote(undefined);
    api<Message>('GET', `/intake/messages/${props.id}`)
      .then((m) => (setMessage(m), setError(undefined)))
      .catch((e) => setError(messageOf(e)));
  }, [props.id]);

  async function retry() {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/intake/messages/${props.id}/retry`);
      // The retry answers once worked; the detail (with the answer) is read again.
      const m = await api<Message>('GET', `/intake/messages/${props.id}`);
      setMessage(m);
      setNote(t('intake.retried', { outcome: t(`intake.outcome.${m.outcome}`) }));
      props.onRetried();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function original() {
    if (!message) return;
    const status = await download(
      `/intake/messages/${message.id}/raw`,
      `${message.id}.${EXTENSION[message.channel] ?? 'eml'}`,
    );
    if (status !== 200) setError(t('intake.originalGone', { status }));
  }

  const body = message?.result?.body;
  return (
    <Card
      className="message-detail"
      data-testid="message-detail"
      title={
        <Space>
          <h2>{t('intake.detail')}</h2>
          {message && <OutcomeBadge outcome={message.outcome} />}
        </Space>
      }
      extra={<Button onClick={props.onClose}>{t('intake.close')}</Button>}
    >
      {error && <Alert type="error" showIcon title={error} />}
      {note && (
        <p className="muted" role="status" data-testid="retry-result">
          {note}
        </p>
      )}
      {message && (
        <>
          <Descriptions
            className="message-facts"
            size="small"
            column={2}
            items={[
              { key: 'from', label: t('intake.from'), children: message.from },
              { key: 'to', label: t('intake.to'), children: message.to.join(', ') },
              { key: 'subject', label: t('intake.subject'), children: message.subject },
              { key: 'received', label: t('intake.received'), children: date(message.receivedAt) },
              ...(message.auth && 'verified' in message.auth
                ? [
                    {
                      key: 'checked',
                      label: t('intake.checked'),
                      children: <span className="mono">{String(message.auth.verified)}</span>,
                    },
                  ]
                : []),
              { key: 'attempts', label: t('intake.attempts'), children: message.attempts },
              ...(message.duplicates > 0
                ? [
                    {
                      key: 'duplicates',
                      label: t('intake.duplicates'),
                      children: message.duplicates,
                    },
                  ]
                : []),
            ]}
          />
          <Space className="message-actions">
            <Button onClick={() => void original()}>{t('intake.original')}</Button>
            {RETRYABLE.includes(message.outcome) && (
              <Button type="primary" disabled={busy} onClick={() => void retry()}>
                {t('intake.retry')}
              </Button>
            )}
          </Space>
          {body && (
            <LineReading
              understood={body.understood}
              notUnderstood={body.notUnderstood}
              ignored={body.ignored}
              testId="reading"
            />
          )}
          {message.result?.files?.length ? (
            <>
              <h3>{t('intake.files')}</h3>
              <ul>
                {message.result.files.map((f) => (
                  <li key={f.name}>{t('intake.fileRows', f)}</li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>{t('intake.orders')}</h3>
          {message.orders.length ? (
            <ul data-testid="message-orders">
              {message.orders.map((o) => (
                <li key={o.externalRef}>
                  <a href={`#/orders?flow=${message.flow}&q=${encodeURIComponent(o.externalRef)}`}>
                    {o.externalRef}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('intake.noOrders')}</p>
          )}
          <h3>{t('intake.problems')}</h3>
          {message.problems.length ? (
            <ul className="problems" data-testid="message-problems">
              {message.problems.map((p, i) => (
                <li key={i} className="error">
                  {p.line ? t('intake.line', { line: p.line }) : t('intake.whole')}
                  {p.file && ` (${p.file})`}: <MisreadWhy code={p.code} message={p.message} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('intake.noProblems')}</p>
          )}
          <h3>{t('intake.answer')}</h3>
          <p className="muted">
            {message.answer
              ? t('intake.answerNote', { note: message.answer })
              : t('intake.notAnswered')}
          </p>
          {message.reply && (
            <pre className="reply" data-testid="reply">
              {message.channel === 'email'
                ? `${message.reply.subject}\n\n${message.reply.text}`
                : message.reply.text}
            </pre>
          )}
        </>
      )}
    </Card>
  );
}
