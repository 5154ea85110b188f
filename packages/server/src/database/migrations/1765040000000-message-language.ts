import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The language a message's sender is answered in (`en`, `zh-CN`), read when it arrives. */
export class MessageLanguage1765040000000 implements MigrationInterface {
  name = 'MessageLanguage1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake_messages ADD COLUMN language VARCHAR(8)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake_messages DROP COLUMN language');
  }
}
