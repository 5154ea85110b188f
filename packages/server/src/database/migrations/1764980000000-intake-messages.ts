import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders by e-mail: every message received, stored (raw, base64) before the SMTP answer and
 * processed once by its Message-ID (`message_key`, unique). `outcome` is `pending` until it is
 * read, then `created`, `partial`, `refused` or `failed`; `rejected` records a sender refused at
 * SMTP (nothing stored). A process works a message under a lease (`lease_token`,
 * `locked_until`); `answered_at` marks the answer sent.
 */
export class IntakeMessages1764980000000 implements MigrationInterface {
  name = 'IntakeMessages1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake_messages (
      id VARCHAR(36) PRIMARY KEY,
      message_key VARCHAR(64) NOT NULL,
      message_id TEXT,
      mail_from VARCHAR(320),
      rcpt_to TEXT NOT NULL,
      subject TEXT,
      flow_key VARCHAR(64),
      outcome VARCHAR(12) NOT NULL,
      orders TEXT,
      problems TEXT,
      result TEXT,
      auth TEXT,
      raw TEXT,
      duplicates INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      lease_token VARCHAR(36),
      locked_until VARCHAR(32),
      received_at VARCHAR(32) NOT NULL,
      processed_at VARCHAR(32),
      answered_at VARCHAR(32),
      answer TEXT
    )`);
    await q.query('CREATE UNIQUE INDEX intake_messages_key ON intake_messages (message_key)');
    await q.query(
      'CREATE INDEX intake_messages_flow ON intake_messages (flow_key, outcome, received_at)',
    );
    await q.query('CREATE INDEX intake_messages_received ON intake_messages (received_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake_messages');
  }
}
