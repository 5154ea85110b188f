import type { OrderSource as Source } from '@ordo/engine';
import { Button, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../api';

/** Line numbers as ranges: 3, 4, 5, 9 → "3–5, 9". */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (sorted[i + 1] === sorted[i] + 1) i++;
    out.push(start === sorted[i] ? String(start) : `${start}–${sorted[i]}`);
  }
  return out.join(', ');
}

/** The chat platforms' names, as their users know them (the same in both languages). */
const CHAT_NAMES: Record<string, string> = { wecom: 'WeCom 企业微信', dingtalk: 'DingTalk 钉钉' };

/** The original's file name: an e-mail's .eml, a WeCom message's XML, a DingTalk message's JSON. */
const originalName = (source: Source) =>
  `${source.id}.${source.kind === 'chat' ? (source.channel === 'wecom' ? 'xml' : 'json') : 'eml'}`;

/**
 * One sentence of where the order came from (its creation's `source`), and the original
 * message to download.
 */
export function OrderSourceLine({ source }: { source: Source }) {
  const { t } = useTranslation();
  const [refused, setRefused] = useState<number>();
  async function original() {
    const status = await download(`/intake/messages/${source.id}/raw`, originalName(source));
    setRefused(status === 200 ? undefined : status);
  }
  const lines = source.lines?.length ? lineRanges(source.lines) : undefined;
  const parts = [
    source.kind === 'email' &&
      t('workbench.source.email', { from: source.from ?? t('workbench.source.unknownSender') }),
    source.kind === 'chat' &&
      t('workbench.source.chat', {
        channel: CHAT_NAMES[source.channel ?? ''] ?? source.channel,
        from: source.from ?? t('workbench.source.unknownSender'),
      }),
    source.kind === 'email' &&
      source.subject &&
      t('workbench.source.subject', { subject: source.subject }),
    source.kind === 'file' &&
      (source.name
        ? t('workbench.source.file', { name: source.name })
        : t('workbench.source.aFile')),
    source.kind === 'email' &&
      source.name &&
      t('workbench.source.attachment', { name: source.name }),
    source.kind === 'pull' && t('workbench.source.pull', { id: source.id, page: source.page }),
    lines &&
      t(
        source.kind === 'chat'
          ? 'workbench.source.chatLines'
          : source.kind === 'email' && !source.name
            ? 'workbench.source.bodyLines'
            : 'workbench.source.rows',
        {
          lines,
        },
      ),
  ].filter(Boolean);
  return (
    <div className="order-source muted" data-testid="order-source" data-kind={source.kind}>
      {parts.join(t('workbench.source.separator'))}
      {(source.kind === 'email' || source.kind === 'chat') && source.id && (
        <>
          {' '}
          <Button
            type="link"
            size="small"
            data-testid="original-message"
            onClick={() => void original()}
          >
            {t('workbench.source.original')}
          </Button>
          {refused !== undefined && (
            <Typography.Text type="danger" data-testid="original-refused">
              {' '}
              {t(refused === 403 ? 'workbench.source.forbidden' : 'workbench.source.notKept')}
            </Typography.Text>
          )}
        </>
      )}
    </div>
  );
}
