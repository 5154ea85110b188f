import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: flows and their immutable versions, orders, append-only history, the
 * outbox, idempotency records and principals. JSON is stored as text and times as ISO-8601
 * UTC text (which sorts in time order) so one set of statements serves SQLite and PostgreSQL.
 */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const autoId = pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE flows (
      key VARCHAR(64) PRIMARY KEY,
      name TEXT NOT NULL,
      draft TEXT NOT NULL,
      draft_problems TEXT NOT NULL,
      draft_valid INTEGER NOT NULL,
      latest_version INTEGER,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      updated_by VARCHAR(64)
    )`);
    await q.query(`CREATE TABLE flow_versions (
      flow_key VARCHAR(64) NOT NULL REFERENCES flows(key),
      version INTEGER NOT NULL,
      document TEXT NOT NULL,
      note TEXT,
      published_at VARCHAR(32) NOT NULL,
      published_by VARCHAR(64),
      PRIMARY KEY (flow_key, version)
    )`);
    await q.query(`CREATE TABLE orders (
      id VARCHAR(64) PRIMARY KEY,
      flow_key VARCHAR(64) NOT NULL,
      flow_version INTEGER NOT NULL,
      state VARCHAR(64) NOT NULL,
      data TEXT NOT NULL,
      version INTEGER NOT NULL,
      customer VARCHAR(200),
      channel VARCHAR(32) NOT NULL,
      external_ref VARCHAR(200),
      search_text TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL
    )`);
    await q.query(
      'CREATE INDEX orders_flow_state_created ON orders (flow_key, state, created_at, id)',
    );
    await q.query('CREATE INDEX orders_created ON orders (created_at, id)');
    await q.query('CREATE INDEX orders_customer ON orders (customer, created_at)');
    await q.query('CREATE INDEX orders_channel ON orders (channel, created_at)');
    await q.query(
      'CREATE UNIQUE INDEX orders_flow_external_ref ON orders (flow_key, external_ref)',
    );
    await q.query(`CREATE TABLE order_history (
      order_id VARCHAR(64) NOT NULL REFERENCES orders(id),
      seq INTEGER NOT NULL,
      kind VARCHAR(16) NOT NULL,
      event VARCHAR(100),
      transition VARCHAR(64),
      from_state VARCHAR(64),
      to_state VARCHAR(64) NOT NULL,
      actor_id VARCHAR(64) NOT NULL,
      actor_roles TEXT NOT NULL,
      payload TEXT,
      at VARCHAR(32) NOT NULL,
      PRIMARY KEY (order_id, seq)
    )`);
    await q.query(`CREATE TABLE outbox (
      id ${autoId},
      order_id VARCHAR(64) NOT NULL,
      history_seq INTEGER NOT NULL,
      effect_index INTEGER NOT NULL,
      idempotency_key VARCHAR(200) NOT NULL UNIQUE,
      type VARCHAR(32) NOT NULL,
      effect TEXT NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at VARCHAR(32) NOT NULL,
      last_error TEXT,
      created_at VARCHAR(32) NOT NULL
    )`);
    await q.query('CREATE INDEX outbox_due ON outbox (status, next_attempt_at)');
    await q.query(`CREATE TABLE idempotency_records (
      principal_id VARCHAR(64) NOT NULL,
      key VARCHAR(200) NOT NULL,
      request_hash VARCHAR(64) NOT NULL,
      status_code INTEGER NOT NULL,
      response TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      PRIMARY KEY (principal_id, key)
    )`);
    await q.query('CREATE INDEX idempotency_created ON idempotency_records (created_at)');
    await q.query(`CREATE TABLE principals (
      id VARCHAR(64) PRIMARY KEY,
      kind VARCHAR(8) NOT NULL,
      name VARCHAR(200) NOT NULL,
      email VARCHAR(320) UNIQUE,
      password_hash VARCHAR(100),
      key_prefix VARCHAR(16),
      key_hash VARCHAR(64) UNIQUE,
      roles TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      revoked_at VARCHAR(32)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'principals',
      'idempotency_records',
      'outbox',
      'order_history',
      'orders',
      'flow_versions',
      'flows',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
