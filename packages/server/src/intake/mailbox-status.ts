import type { ImapMailbox } from '@ordo/engine';
import type { SqlExecutor } from '../database/db';

/** A polled mailbox as the operator sees it: where it is, and how its last poll went. */
export interface MailboxStatus {
  flow: string;
  /** `user@host:port/folder` — never the password. */
  mailbox: string;
  /** `never` until the first poll; `failed` with the reason (a wrong password, a refused host). */
  state: 'never' | 'ok' | 'failed';
  message: string | null;
  /** Failed polls in a row: the next waits `every` × 2^failures, at most an hour. */
  failures: number;
  /** Messages taken from the mailbox in all (stored to be worked, or refused and recorded). */
  taken: number;
  polledAt: string | null;
  okAt: string | null;
  nextAt: string | null;
}

/** A mailbox's port: given, or IMAP's own (993 with TLS from the first byte, 143 without). */
export const mailboxPort = (spec: Pick<ImapMailbox, 'port' | 'tls'>) =>
  spec.port ?? (spec.tls === false ? 143 : 993);

/** Where a mailbox is, for the status and the records (`user@host:port/folder`). */
export const mailboxLabel = (spec: ImapMailbox) =>
  `${spec.user}@${spec.host}:${mailboxPort(spec)}/${spec.folder ?? 'INBOX'}`;

/** The `intake_mailboxes` table: one row per flow whose mailbox has been polled. */
export class MailboxStatuses {
  constructor(private readonly db: SqlExecutor) {}

  async get(flow: string, spec: ImapMailbox): Promise<MailboxStatus> {
    const [row] = await this.db.query('SELECT * FROM intake_mailboxes WHERE flow_key = ?', [flow]);
    return {
      flow,
      mailbox: mailboxLabel(spec),
      state: (row?.state as MailboxStatus['state'] | undefined) ?? 'never',
      message: (row?.message as string | null | undefined) ?? null,
      failures: Number(row?.failures ?? 0),
      taken: Number(row?.taken ?? 0),
      polledAt: (row?.polled_at as string | null | undefined) ?? null,
      okAt: (row?.ok_at as string | null | undefined) ?? null,
      nextAt: (row?.next_at as string | null | undefined) ?? null,
    };
  }

  /** Writes a poll's outcome (in the transaction that ends its lease). */
  async write(
    tx: SqlExecutor,
    flow: string,
    poll: {
      mailbox: string;
      ok: boolean;
      message: string;
      failures: number;
      taken: number;
      at: string;
      next: string;
    },
  ): Promise<void> {
    await tx.run(
      `INSERT INTO intake_mailboxes (flow_key, mailbox, state, message, failures, taken, polled_at, ok_at, next_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flow_key) DO UPDATE SET mailbox = excluded.mailbox, state = excluded.state,
         message = excluded.message, failures = excluded.failures,
         taken = intake_mailboxes.taken + excluded.taken, polled_at = excluded.polled_at,
         ok_at = COALESCE(excluded.ok_at, intake_mailboxes.ok_at), next_at = excluded.next_at`,
      [
        flow,
        poll.mailbox,
        poll.ok ? 'ok' : 'failed',
        poll.message,
        poll.failures,
        poll.taken,
        poll.at,
        poll.ok ? poll.at : null,
        poll.next,
      ],
    );
  }
}
