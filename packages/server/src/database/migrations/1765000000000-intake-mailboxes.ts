import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IMAP mailboxes polled for orders by e-mail (a flow's `intake.email.imap`): per flow, the
 * last poll's state (`ok` or `failed`, with its message), the failures in a row (the back-off),
 * the messages taken in all, and when it last polled and last succeeded. The schedule and its
 * lease live in `flow_schedules` (key `imap:<flow>`).
 */
export class IntakeMailboxes1765000000000 implements MigrationInterface {
  name = 'IntakeMailboxes1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake_mailboxes (
      flow_key VARCHAR(64) PRIMARY KEY,
      mailbox TEXT NOT NULL,
      state VARCHAR(12) NOT NULL,
      message TEXT,
      failures INTEGER NOT NULL DEFAULT 0,
      taken INTEGER NOT NULL DEFAULT 0,
      polled_at VARCHAR(32),
      ok_at VARCHAR(32),
      next_at VARCHAR(32)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake_mailboxes');
  }
}
