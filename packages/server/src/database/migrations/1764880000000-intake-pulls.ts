import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP pulls: per flow and pull trigger, the cursor it keeps (advanced in the transaction of
 * the orders it took) and the outcome of its last run (`ok`, or `failed` with the message).
 */
export class IntakePulls1764880000000 implements MigrationInterface {
  name = 'IntakePulls1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake_pulls (
      key VARCHAR(200) PRIMARY KEY,
      cursor TEXT,
      taken INTEGER NOT NULL DEFAULT 0,
      outcome VARCHAR(8),
      message TEXT,
      run_at VARCHAR(32)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake_pulls');
  }
}
