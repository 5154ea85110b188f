import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journey roll-up summed per UTC day and month (analytics/journey-periods.ts): what a
 * window's analytics read instead of every stay. The roll-up keeps it by deltas, so the journeys rolled up before
 * it existed are dropped with their marks: the next analytics request rolls every order up again
 * and fills both. The open stays get partial indexes for what analytics ask of them (overdue
 * SLAs, open exceptions), imported orders one for the baseline; a mark keeps the id it reached
 * and when it was checked (a catch-up then rereads only what it may have missed).
 */
export class JourneyPeriods1764910000000 implements MigrationInterface {
  name = 'JourneyPeriods1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE journey_periods (
      flow_key VARCHAR(64) NOT NULL,
      period VARCHAR(10) NOT NULL,
      channel VARCHAR(32) NOT NULL,
      flow_version INTEGER NOT NULL,
      imported INTEGER NOT NULL,
      metric VARCHAR(16) NOT NULL,
      grp VARCHAR(400) NOT NULL,
      bucket INTEGER NOT NULL,
      n BIGINT NOT NULL,
      total BIGINT NOT NULL,
      PRIMARY KEY (flow_key, period, channel, flow_version, imported, metric, grp, bucket)
    )`);
    for (const table of [
      'journey_orders',
      'journey_stays',
      'journey_measures',
      'journey_counters',
      'journey_marks',
    ])
      await q.query(`DELETE FROM ${table}`);
    await q.query(
      'CREATE INDEX journey_orders_imported ON journey_orders (flow_key, created_at) WHERE imported = 1',
    );
    await q.query(
      'CREATE INDEX journey_stays_open_due ON journey_stays (flow_key, due_at) WHERE left_at IS NULL AND due_at IS NOT NULL',
    );
    await q.query(
      'CREATE INDEX journey_stays_open_exception ON journey_stays (flow_key, entered_at) WHERE left_at IS NULL AND exception = 1',
    );
    await q.query('ALTER TABLE journey_marks ADD COLUMN rolled_id VARCHAR(64)');
    await q.query('ALTER TABLE journey_marks ADD COLUMN checked_at VARCHAR(32)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'journey_orders_imported',
      'journey_stays_open_due',
      'journey_stays_open_exception',
    ])
      await q.query(`DROP INDEX ${index}`);
    await q.query('ALTER TABLE journey_marks DROP COLUMN checked_at');
    await q.query('ALTER TABLE journey_marks DROP COLUMN rolled_id');
    await q.query('DROP TABLE journey_periods');
  }
}
