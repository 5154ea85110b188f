import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journey roll-up that analytics read: per order, its stays in states, its measures and
 * counters, derived from the history by the engine's `compileJourney` and kept up to date
 * incrementally (orders changed since a flow's mark). Times are ISO-8601 text, durations
 * milliseconds; customer, channel, version and whether the order came from an imported log are copied in so every filter is an index range.
 */
export class Journeys1764750000000 implements MigrationInterface {
  name = 'Journeys1764750000000';

  async up(q: QueryRunner): Promise<void> {
    const common = `flow_key VARCHAR(64) NOT NULL,
      flow_version INTEGER NOT NULL,
      customer VARCHAR(200),
      channel VARCHAR(32) NOT NULL,
      imported INTEGER NOT NULL`;
    await q.query(`CREATE TABLE journey_orders (
      order_id VARCHAR(64) PRIMARY KEY,
      ${common},
      created_at VARCHAR(32) NOT NULL,
      completed_at VARCHAR(32),
      cycle_ms BIGINT
    )`);
    await q.query('CREATE INDEX journey_orders_created ON journey_orders (flow_key, created_at)');
    await q.query(
      'CREATE INDEX journey_orders_completed ON journey_orders (flow_key, completed_at)',
    );
    await q.query(`CREATE TABLE journey_stays (
      order_id VARCHAR(64) NOT NULL,
      step INTEGER NOT NULL,
      ${common},
      state VARCHAR(64) NOT NULL,
      from_state VARCHAR(64),
      event VARCHAR(100),
      entered_at VARCHAR(32) NOT NULL,
      left_at VARCHAR(32),
      duration_ms BIGINT,
      left_by VARCHAR(8),
      exception INTEGER NOT NULL,
      due_at VARCHAR(32),
      PRIMARY KEY (order_id, step)
    )`);
    await q.query('CREATE INDEX journey_stays_entered ON journey_stays (flow_key, entered_at)');
    await q.query('CREATE INDEX journey_stays_left ON journey_stays (flow_key, left_at)');
    await q.query(
      'CREATE INDEX journey_stays_open ON journey_stays (flow_key, state) WHERE left_at IS NULL',
    );
    await q.query(`CREATE TABLE journey_measures (
      order_id VARCHAR(64) NOT NULL,
      measure VARCHAR(64) NOT NULL,
      ${common},
      started_at VARCHAR(32) NOT NULL,
      ended_at VARCHAR(32) NOT NULL,
      duration_ms BIGINT NOT NULL,
      due_at VARCHAR(32),
      late INTEGER,
      PRIMARY KEY (order_id, measure)
    )`);
    await q.query(
      'CREATE INDEX journey_measures_ended ON journey_measures (flow_key, measure, ended_at)',
    );
    await q.query(`CREATE TABLE journey_counters (
      order_id VARCHAR(64) NOT NULL,
      counter VARCHAR(64) NOT NULL,
      ${common},
      at VARCHAR(32) NOT NULL,
      PRIMARY KEY (order_id, counter)
    )`);
    await q.query('CREATE INDEX journey_counters_at ON journey_counters (flow_key, counter, at)');
    await q.query(`CREATE TABLE journey_marks (
      flow_key VARCHAR(64) PRIMARY KEY,
      rolled_to VARCHAR(32) NOT NULL
    )`);
    // updated_at leads: an index led by flow_key would win the generic plan of the webhook path's
    // (flow_key, id) lookup on an empty table and then scan a flow's orders (test/scale.e2e-spec.ts).
    await q.query('CREATE INDEX orders_updated ON orders (updated_at, id)');
    await q.query('CREATE INDEX exceptions_flow_created ON exceptions (flow_key, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX orders_updated');
    await q.query('DROP INDEX exceptions_flow_created');
    for (const table of [
      'journey_marks',
      'journey_counters',
      'journey_measures',
      'journey_stays',
      'journey_orders',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
