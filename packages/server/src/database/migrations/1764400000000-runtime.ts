import type { MigrationInterface, QueryRunner } from 'typeorm';
import { autoId } from './auto-id';

/**
 * The runtime: outbox rows get a lease (`locked_until`, so a row whose runner died is taken
 * again), their outcome and when they settled; notifications are kept for their audience;
 * connector credentials are stored encrypted.
 */
export class Runtime1764400000000 implements MigrationInterface {
  name = 'Runtime1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox ADD COLUMN locked_until VARCHAR(32)');
    await q.query('ALTER TABLE outbox ADD COLUMN result TEXT');
    await q.query('ALTER TABLE outbox ADD COLUMN settled_at VARCHAR(32)');
    await q.query('CREATE INDEX outbox_order ON outbox (order_id, id)');
    // The dispatcher's claim: due rows of the types it runs, oldest first.
    await q.query('CREATE INDEX outbox_claim ON outbox (status, type, next_attempt_at)');
    await q.query(`CREATE TABLE notifications (
      id ${autoId(q)},
      effect_key VARCHAR(200) NOT NULL UNIQUE,
      order_id VARCHAR(64) NOT NULL,
      flow_key VARCHAR(64) NOT NULL,
      audience_kind VARCHAR(8) NOT NULL,
      audience VARCHAR(200) NOT NULL,
      message TEXT NOT NULL,
      channels TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL
    )`);
    await q.query(
      'CREATE INDEX notifications_audience ON notifications (audience_kind, audience, id)',
    );
    await q.query('CREATE INDEX notifications_order ON notifications (order_id, id)');
    await q.query(`CREATE TABLE credentials (
      name VARCHAR(100) PRIMARY KEY,
      key_id VARCHAR(16) NOT NULL,
      iv VARCHAR(32) NOT NULL,
      tag VARCHAR(32) NOT NULL,
      ciphertext TEXT NOT NULL,
      fields TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      updated_by VARCHAR(64)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE credentials');
    await q.query('DROP TABLE notifications');
    await q.query('DROP INDEX outbox_claim');
    await q.query('DROP INDEX outbox_order');
    for (const column of ['settled_at', 'result', 'locked_until'])
      await q.query(`ALTER TABLE outbox DROP COLUMN ${column}`);
  }
}
