import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a reconciliation repaired: the drifted orders whose status it pushed to the system again
 * (`repaired`) and those whose push the system refused (`refused`). Reports written before
 * repaired nothing (0).
 */
export class ReconciliationRepairs1764950100000 implements MigrationInterface {
  name = 'ReconciliationRepairs1764950100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reconciliations ADD COLUMN repaired INTEGER NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE reconciliations ADD COLUMN refused INTEGER NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reconciliations DROP COLUMN refused');
    await q.query('ALTER TABLE reconciliations DROP COLUMN repaired');
  }
}
