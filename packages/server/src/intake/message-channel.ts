import type { SqlExecutor } from '../database/db';
import type { MailOrders } from './mail-orders';
import type { MessageRecord } from './message-records';

/** A stored message held under its lease: its raw bytes and where it was sent. */
export interface HeldMessage {
  id: string;
  raw: Buffer;
  flow: string;
  to: string[];
}

/**
 * A channel besides e-mail whose messages the intake worker works (chat): how a held message
 * becomes orders, and how its sender is answered. The worker owns the lease, the outcome, the
 * record and retries; a channel only reads and replies.
 */
export interface MessageChannel {
  /** Its orders and problems; throws when it cannot be worked now (the outcome is `failed`). */
  read(held: HeldMessage, fence: (tx: SqlExecutor) => Promise<void>): Promise<MailOrders>;
  /** Sends the answer; answers the note kept on the record (`sent to …`), throws when not sent. */
  reply(record: MessageRecord): Promise<string>;
}
