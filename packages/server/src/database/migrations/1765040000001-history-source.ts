import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where an order came from (e-mail, file, ERP pull), on its creation's history entry. */
export class HistorySource1765040000001 implements MigrationInterface {
  name = 'HistorySource1765040000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_history ADD COLUMN source TEXT');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_history DROP COLUMN source');
  }
}
