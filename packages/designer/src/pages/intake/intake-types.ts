import type { MisreadLine, UnderstoodLine } from '@ordo/engine';

/** What `GET /api/intake/channels` and `/api/intake/messages` answer, as the page reads it. */

export type Outcome = 'pending' | 'created' | 'partial' | 'refused' | 'failed' | 'rejected';
export const OUTCOMES: readonly Outcome[] = [
  'pending',
  'created',
  'partial',
  'refused',
  'failed',
  'rejected',
];
export const MESSAGE_CHANNELS = ['email', 'wecom', 'dingtalk'] as const;
/** The outcomes an operator may have worked again. */
export const RETRYABLE: readonly Outcome[] = ['failed', 'refused', 'partial'];

export interface MailboxStatus {
  flow: string;
  mailbox: string;
  state: 'never' | 'ok' | 'failed';
  message: string | null;
  failures: number;
  taken: number;
  polledAt: string | null;
  nextAt: string | null;
}

export interface Channel {
  flow: string;
  flowName: unknown;
  kind: 'email' | 'imap' | 'wecom' | 'dingtalk' | 'file' | 'pull';
  messages: (typeof MESSAGE_CHANNELS)[number] | null;
  address: string;
  receiver?: { host: string; port: number } | null;
  mailbox?: MailboxStatus;
  corpId?: string;
  agentId?: number;
  connector?: string;
  every?: string;
  pull?: {
    cursor: string | null;
    outcome: string | null;
    message: string | null;
    runAt: string | null;
  } | null;
  orderChannel?: string;
  lastAt: string | null;
  counts: Partial<Record<Outcome, number>>;
}

export interface Message {
  id: string;
  channel: string;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  flow: string | null;
  outcome: Outcome;
  orders: { externalRef: string; id?: string }[];
  problems: { line: number; file?: string; column?: string; code: string; message: string }[];
  result?: {
    body?: { understood: UnderstoodLine[]; notUnderstood: MisreadLine[]; ignored: number[] };
    files?: { name: string; rows: number; imported: number }[];
  } | null;
  auth: Record<string, unknown> | null;
  duplicates: number;
  attempts: number;
  receivedAt: string;
  answeredAt: string | null;
  answer: string | null;
  reply?: { subject: string; text: string } | null;
}

/** A page of messages. */
export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}
