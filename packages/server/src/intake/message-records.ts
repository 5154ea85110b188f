import type { VerifiedSender } from './sender-auth';
import type { AnswerLanguage } from './sender-language';
import { createHash, randomUUID } from 'node:crypto';
import type { Db, SqlExecutor } from '../database/db';

/** What became of a message. */
export type MessageOutcome = 'pending' | 'created' | 'partial' | 'refused' | 'failed' | 'rejected';

export const OUTCOMES: readonly MessageOutcome[] = [
  'pending',
  'created',
  'partial',
  'refused',
  'failed',
  'rejected',
];

/** A problem of a message, by line of its body or row of an attached sheet. */
export interface MessageProblem {
  /** The body line (1-based), or the sheet's row; 0 for the message as a whole. */
  line: number;
  /** The attached file the row is in; absent for the body. */
  file?: string;
  column?: string;
  code: string;
  message: string;
}

/** An order created from a message. */
export interface MessageOrder {
  externalRef: string;
  id?: string;
}

/** What the receiver could tell of the sender: checked here, or claimed by a relay's headers. */
export interface SenderCheck {
  /** The envelope sender's domain (MAIL FROM) and the From header's. */
  envelopeDomain: string | null;
  fromDomain: string | null;
  /** Whether each is in ORDO_SMTP_ALLOW. */
  allowed: boolean;
  /** The client's address and the name it gave (HELO/EHLO). */
  client: string;
  helo: string;
  /** The DKIM signatures' domains (`d=`), as written (`verified.dkim` has Ordo's check). */
  dkimDomains: string[];
  /** A relay's verdicts as written in the message: recorded, never trusted. */
  authenticationResults: string[];
  receivedSpf: string[];
  /** From the Authentication-Results header, when present (`pass`, `fail`, ...): claimed. */
  spf?: string;
  dkim?: string;
  /** Ordo's own SPF/DKIM/DMARC check, over DNS, when the message was worked. */
  verified?: VerifiedSender;
}

/** What was checked of a chat message: the platform's signature (and, for WeCom, its decryption). */
export interface ChatCheck {
  channel: string;
  /** `msg_signature` + AES (WeCom), `sign` (DingTalk): checked before it was stored. */
  verified: string;
  /** WeCom: the corpId and AgentID it was addressed to; DingTalk: the conversation. */
  corpId?: string;
  agentId?: string;
  conversationId?: string;
}

export interface MessageRecord {
  id: string;
  /** How it came: `email`, `wecom`, `dingtalk`. */
  channel: string;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  flow: string | null;
  outcome: MessageOutcome;
  orders: MessageOrder[];
  problems: MessageProblem[];
  result: unknown;
  auth: SenderCheck | ChatCheck | null;
  duplicates: number;
  attempts: number;
  receivedAt: string;
  processedAt: string | null;
  answeredAt: string | null;
  answer: string | null;
  /** The language the sender is answered in (null: recorded before it was kept). */
  language: AnswerLanguage | null;
}

const json = (text: unknown) => (typeof text === 'string' ? JSON.parse(text) : null);

function recordOf(row: Record<string, unknown>): MessageRecord {
  return {
    id: row.id as string,
    channel: (row.channel as string | null) ?? 'email',
    messageId: (row.message_id as string | null) ?? null,
    from: (row.mail_from as string | null) ?? null,
    to: json(row.rcpt_to) ?? [],
    subject: (row.subject as string | null) ?? null,
    flow: (row.flow_key as string | null) ?? null,
    outcome: row.outcome as MessageOutcome,
    orders: json(row.orders) ?? [],
    problems: json(row.problems) ?? [],
    result: json(row.result),
    auth: json(row.auth),
    duplicates: Number(row.duplicates),
    attempts: Number(row.attempts),
    receivedAt: row.received_at as string,
    processedAt: (row.processed_at as string | null) ?? null,
    answeredAt: (row.answered_at as string | null) ?? null,
    answer: (row.answer as string | null) ?? null,
    language: (row.language as AnswerLanguage | null) ?? null,
  };
}

/** The key a message is processed once by: its Message-ID (a chat message's platform id), else the hash of its bytes. */
export function messageKey(messageId: string | null, raw: Buffer): string {
  const source = messageId
    ? `id:${messageId.trim().toLowerCase()}`
    : `raw:${raw.toString('base64')}`;
  return createHash('sha256').update(source).digest('hex');
}

const COLUMNS =
  'id, channel, message_id, mail_from, rcpt_to, subject, flow_key, outcome, orders, problems, result, auth, duplicates, attempts, received_at, processed_at, answered_at, answer, language';

/** The `intake_messages` table: every message received, its raw bytes and its outcome. */
export class MessageRecords {
  constructor(private readonly db: Db) {}

  /**
   * Stores a received message as `pending`, once per key: answers the new record's id, or
   * undefined when the key was already stored (the duplicate is counted, not stored again).
   */
  async receive(message: {
    key: string;
    messageId: string | null;
    from: string | null;
    to: string[];
    subject: string | null;
    flow: string;
    auth: SenderCheck | ChatCheck;
    raw: Buffer;
    language: AnswerLanguage;
    now: string;
    /** How it came (default `email`). */
    channel?: string;
  }): Promise<string | undefined> {
    const id = randomUUID();
    const inserted = await this.db.run(
      `INSERT INTO intake_messages (id, channel, message_key, message_id, mail_from, rcpt_to, subject, flow_key, outcome, auth, raw, language, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING`,
      [
        id,
        message.channel ?? 'email',
        message.key,
        message.messageId,
        message.from,
        JSON.stringify(message.to),
        message.subject,
        message.flow,
        JSON.stringify(message.auth),
        message.raw.toString('base64'),
        message.language,
        message.now,
      ],
    );
    if (inserted === 1) return id;
    await this.db.run(
      'UPDATE intake_messages SET duplicates = duplicates + 1 WHERE message_key = ?',
      [message.key],
    );
    return undefined;
  }

  /** Records a message refused (a sender outside the allow-list): nothing is kept of its content. */
  async reject(message: {
    from: string | null;
    to: string[];
    auth: SenderCheck;
    problem: MessageProblem;
    now: string;
    /** Once per key (a polled mailbox's message, read again after a crash): its messageKey. */
    key?: string;
    messageId?: string | null;
    subject?: string | null;
    flow?: string;
  }): Promise<void> {
    const id = randomUUID();
    await this.db.run(
      `INSERT INTO intake_messages (id, message_key, message_id, mail_from, rcpt_to, subject, flow_key, outcome, problems, auth, received_at, processed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'rejected', ?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING`,
      [
        id,
        message.key ?? `rejected:${id}`,
        message.messageId ?? null,
        message.from,
        JSON.stringify(message.to),
        message.subject ?? null,
        message.flow ?? null,
        JSON.stringify([message.problem]),
        JSON.stringify(message.auth),
        message.now,
        message.now,
      ],
    );
  }

  /** Pending messages whose lease is free (none taken, or expired), oldest first. */
  async due(now: string, limit: number): Promise<{ id: string; from: string | null }[]> {
    const rows = await this.db.query<{ id: string; mail_from: string | null }>(
      `SELECT id, mail_from FROM intake_messages WHERE outcome = 'pending' AND (locked_until IS NULL OR locked_until < ?)
       ORDER BY received_at, id LIMIT ?`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, from: r.mail_from }));
  }

  /** Takes a pending message under a lease: its raw bytes and lease token, or undefined. */
  async claim(id: string, now: string, until: string) {
    const lease = randomUUID();
    const taken = await this.db.run(
      `UPDATE intake_messages SET lease_token = ?, locked_until = ?, attempts = attempts + 1
       WHERE id = ? AND outcome = 'pending' AND (locked_until IS NULL OR locked_until < ?)`,
      [lease, until, id, now],
    );
    if (taken !== 1) return undefined;
    const [row] = await this.db.query<{
      raw: string;
      flow_key: string;
      rcpt_to: string;
      channel: string;
      auth: string | null;
    }>('SELECT raw, flow_key, rcpt_to, channel, auth FROM intake_messages WHERE id = ?', [id]);
    return {
      lease,
      channel: row.channel,
      auth: json(row.auth) as SenderCheck | ChatCheck | null,
      raw: Buffer.from(row.raw, 'base64'),
      flow: row.flow_key,
      to: JSON.parse(row.rcpt_to) as string[],
    };
  }

  /** A message's original bytes: undefined without the record, null when none were kept (refused at SMTP). */
  async raw(id: string): Promise<Buffer | null | undefined> {
    const [row] = await this.db.query<{ raw: string | null }>(
      'SELECT raw FROM intake_messages WHERE id = ?',
      [id],
    );
    if (!row) return undefined;
    return row.raw === null ? null : Buffer.from(row.raw, 'base64');
  }

  /**
   * Writes a message's outcome, fenced by its lease (in `tx`, the transaction of its orders,
   * when given): false when the lease was lost, so the caller's transaction must roll back.
   */
  async finish(
    id: string,
    lease: string,
    outcome: Exclude<MessageOutcome, 'pending' | 'rejected'>,
    found: { orders: MessageOrder[]; problems: MessageProblem[]; result: unknown },
    now: string,
    tx: SqlExecutor = this.db,
  ): Promise<boolean> {
    const written = await tx.run(
      `UPDATE intake_messages SET outcome = ?, orders = ?, problems = ?, result = ?, processed_at = ?,
       lease_token = NULL, locked_until = NULL WHERE id = ? AND lease_token = ?`,
      [
        outcome,
        JSON.stringify(found.orders),
        JSON.stringify(found.problems),
        JSON.stringify(found.result ?? null),
        now,
        id,
        lease,
      ],
    );
    return written === 1;
  }

  /** Replaces a held message's sender check (with Ordo's own verdicts added). */
  async setAuth(id: string, lease: string, auth: SenderCheck): Promise<void> {
    await this.db.run('UPDATE intake_messages SET auth = ? WHERE id = ? AND lease_token = ?', [
      JSON.stringify(auth),
      id,
      lease,
    ]);
  }

  /** Notes the answer: sent (`answered_at`), or why it was not (`answer`, kept for a retry). */
  async answered(id: string, sentAt: string | null, note: string): Promise<void> {
    await this.db.run('UPDATE intake_messages SET answered_at = ?, answer = ? WHERE id = ?', [
      sentAt,
      note,
      id,
    ]);
  }

  /** Processed messages whose answer was never sent (a crash between the write and the mail). */
  async unanswered(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM intake_messages WHERE outcome IN ('created', 'partial', 'refused', 'failed')
       AND answered_at IS NULL AND answer IS NULL ORDER BY received_at LIMIT ?`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Puts a processed message back to `pending` (an operator's retry); false when it is not one. */
  async requeue(id: string): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE intake_messages SET outcome = 'pending', answered_at = NULL, answer = NULL,
       lease_token = NULL, locked_until = NULL
       WHERE id = ? AND outcome IN ('failed', 'refused', 'partial')`,
      [id],
    );
    return changed === 1;
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM intake_messages WHERE id = ?`, [id]);
    return row && recordOf(row);
  }

  /** Newest first, `limit` a page, after the cursor (`received_at|id` of the last one seen). */
  async list(query: {
    flow?: string;
    outcome?: string;
    channel?: string;
    limit: number;
    after?: [string, string];
  }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.channel) {
      where.push('channel = ?');
      params.push(query.channel);
    }
    if (query.flow) {
      where.push('flow_key = ?');
      params.push(query.flow);
    }
    if (query.outcome) {
      where.push('outcome = ?');
      params.push(query.outcome);
    }
    if (query.after) {
      where.push('(received_at < ? OR (received_at = ? AND id < ?))');
      params.push(query.after[0], query.after[0], query.after[1]);
    }
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM intake_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY received_at DESC, id DESC LIMIT ?`,
      [...params, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(recordOf);
    const last = rows.length > query.limit ? items[items.length - 1] : undefined;
    return { items, last };
  }
}
