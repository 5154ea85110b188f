import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference data sets: per set its current version and column types (`data_sets`), every
 * version's summary (`data_set_versions`), and the rows as ranges of versions — a row is
 * written when it appears or changes (`from_version`) and closed when it changes or goes
 * (`to_version`), so a new version of a 100,000-row catalogue writes only what differs, and
 * any old version can still be read (replays). A deleted set keeps its row (`deleted`), so a set
 * made again under its key goes on from its last version: a version number is never reused.
 * Each history entry names the versions of the sets its change read (`order_history.data_sets`).
 */
export class DataSets1764920000000 implements MigrationInterface {
  name = 'DataSets1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE data_sets (
      key VARCHAR(64) PRIMARY KEY,
      title VARCHAR(200) NOT NULL,
      version INTEGER NOT NULL,
      deleted INTEGER NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE TABLE data_set_versions (
      data_set VARCHAR(64) NOT NULL REFERENCES data_sets(key) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      key_column VARCHAR(100) NOT NULL,
      columns TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      source TEXT,
      created_at VARCHAR(32) NOT NULL,
      created_by VARCHAR(64) NOT NULL,
      PRIMARY KEY (data_set, version)
    )`);
    await q.query(`CREATE TABLE data_set_rows (
      data_set VARCHAR(64) NOT NULL REFERENCES data_sets(key) ON DELETE CASCADE,
      row_key TEXT NOT NULL,
      from_version INTEGER NOT NULL,
      to_version INTEGER,
      line INTEGER,
      data TEXT NOT NULL,
      PRIMARY KEY (data_set, row_key, from_version)
    )`);
    await q.query(
      'CREATE INDEX data_set_rows_current ON data_set_rows (data_set, row_key) WHERE to_version IS NULL',
    );
    await q.query('ALTER TABLE order_history ADD COLUMN data_sets TEXT');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_history DROP COLUMN data_sets');
    await q.query('DROP TABLE data_set_rows');
    await q.query('DROP TABLE data_set_versions');
    await q.query('DROP TABLE data_sets');
  }
}
