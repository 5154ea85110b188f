import type { Flow } from '@ordo/engine';
import type { MessageOutcome } from './message-records';
import type { MailboxStatus } from './mailbox-status';

/** The kinds of channel a flow takes orders by. */
export const CHANNEL_KINDS = ['email', 'imap', 'wecom', 'dingtalk', 'file', 'pull'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A pull's cursor and last run, as `intake_pulls` keeps them. */
export interface PullState {
  trigger: string;
  cursor: string | null;
  taken: number;
  outcome: string | null;
  message: string | null;
  runAt: string | null;
}

/** One way orders come into a published flow, where to send them, and how it has gone. */
export interface IntakeChannel {
  flow: string;
  flowName: unknown;
  kind: ChannelKind;
  /** The intake messages' `channel` its messages are recorded under; null when none are (file, pull). */
  messages: 'email' | 'wecom' | 'dingtalk' | null;
  /** Where orders are sent: the e-mail addresses, the mailbox, a callback path, the pulled URL. */
  address: string;
  /** email: the flow's addresses and the SMTP receiver (null when it is off). */
  addresses?: string[];
  receiver?: { host: string; port: number } | null;
  /** imap: the polled mailbox's status. */
  mailbox?: MailboxStatus;
  /** wecom: the application it takes messages for; dingtalk: where replies may go. */
  corpId?: string;
  agentId?: number;
  replyHosts?: string[];
  /** pull: the trigger, its connector, schedule and cursor. */
  trigger?: string;
  connector?: string;
  every?: string;
  pull?: PullState | null;
  /** The orders' channel (an e-mail's, chat's or pull's `channel`). */
  orderChannel?: string;
  /** The newest message (a pull's last run); null when none yet. */
  lastAt: string | null;
  /** Messages by outcome (shared by `email` and `imap`: both record e-mail). */
  counts: Partial<Record<MessageOutcome, number>>;
}

/** What the channels are derived from besides the flow: the receiver, the mailboxes, the pulls. */
export interface ChannelContext {
  receiver: { host: string; port: number } | null;
  mailbox(flow: string): MailboxStatus | undefined;
  pulls(flow: string): PullState[];
}

type Base = Omit<IntakeChannel, 'lastAt' | 'counts'>;

/** Joins a connector's base URL and a path, as the http connector sends it. */
const joined = (base: unknown, path: string) =>
  typeof base === 'string' ? `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : path;

/**
 * Every channel a published flow's document enables, in a fixed order: e-mail to the SMTP
 * receiver, a polled mailbox, WeCom and DingTalk callbacks, the file import (every flow), and
 * each ERP pull. Derived from the document alone, so a new template needs nothing here.
 */
export function channelsOf(key: string, name: unknown, doc: Flow, ctx: ChannelContext): Base[] {
  const base = { flow: key, flowName: name };
  const out: Base[] = [];
  const email = doc.intake?.email;
  if (email) {
    out.push({
      ...base,
      kind: 'email',
      messages: 'email',
      address: email.to.join(', '),
      addresses: email.to,
      receiver: ctx.receiver,
      orderChannel: email.channel ?? 'email',
    });
    const mailbox = email.imap && ctx.mailbox(key);
    if (mailbox)
      out.push({
        ...base,
        kind: 'imap',
        messages: 'email',
        address: mailbox.mailbox,
        mailbox,
        orderChannel: email.channel ?? 'email',
      });
  }
  const wecom = doc.intake?.wecom;
  if (wecom)
    out.push({
      ...base,
      kind: 'wecom',
      messages: 'wecom',
      address: `/api/intake/wecom/${key}`,
      corpId: wecom.corpId,
      agentId: wecom.agentId,
      orderChannel: wecom.channel ?? 'wecom',
    });
  const dingtalk = doc.intake?.dingtalk;
  if (dingtalk)
    out.push({
      ...base,
      kind: 'dingtalk',
      messages: 'dingtalk',
      address: `/api/intake/dingtalk/${key}`,
      replyHosts: dingtalk.replyHosts ?? ['oapi.dingtalk.com:443'],
      orderChannel: dingtalk.channel ?? 'dingtalk',
    });
  out.push({ ...base, kind: 'file', messages: null, address: `/api/flows/${key}/imports` });
  const pulls = ctx.pulls(key);
  for (const trigger of doc.triggers ?? []) {
    if (!('pull' in trigger)) continue;
    const spec = trigger.pull;
    out.push({
      ...base,
      kind: 'pull',
      messages: null,
      address: joined(doc.connectors?.[spec.connector]?.settings?.baseUrl, spec.path),
      trigger: trigger.id,
      connector: spec.connector,
      every: spec.every,
      pull: pulls.find((p) => p.trigger === trigger.id) ?? null,
      orderChannel: spec.channel ?? 'erp',
    });
  }
  return out;
}
