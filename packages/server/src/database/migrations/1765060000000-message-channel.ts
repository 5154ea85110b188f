import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel a message came by: `email` (every message so far), `wecom`, `dingtalk`. */
export class MessageChannel1765060000000 implements MigrationInterface {
  name = 'MessageChannel1765060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      "ALTER TABLE intake_messages ADD COLUMN channel VARCHAR(32) NOT NULL DEFAULT 'email'",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake_messages DROP COLUMN channel');
  }
}
