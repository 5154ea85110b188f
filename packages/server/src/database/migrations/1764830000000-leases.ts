import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases fence their holders' writes: every claimed row (outbox, timers, webhook deliveries,
 * flow schedules) carries the token of the claim that holds it, and a holder's settle,
 * reschedule or delete matches that token — a runner that stalled past its lease and comes
 * back changes nothing. Idempotency keys get a lease of their own (an in-progress mark that
 * expires), and keyed bulk requests record each item's result in that item's transaction.
 */
export class Leases1764830000000 implements MigrationInterface {
  name = 'Leases1764830000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'timers', 'webhook_deliveries'])
      await q.query(`ALTER TABLE ${table} ADD COLUMN lease_token VARCHAR(64)`);
    for (const table of ['flow_schedules', 'idempotency_records']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN lease_token VARCHAR(64)`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN locked_until VARCHAR(32)`);
    }
    await q.query(`CREATE TABLE idempotency_items (
      principal_id VARCHAR(64) NOT NULL,
      key VARCHAR(200) NOT NULL,
      item VARCHAR(200) NOT NULL,
      result TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      PRIMARY KEY (principal_id, key, item)
    )`);
    await q.query('CREATE INDEX idempotency_items_created ON idempotency_items (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_items');
    for (const table of ['flow_schedules', 'idempotency_records']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN locked_until`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN lease_token`);
    }
    for (const table of ['outbox', 'timers', 'webhook_deliveries'])
      await q.query(`ALTER TABLE ${table} DROP COLUMN lease_token`);
  }
}
