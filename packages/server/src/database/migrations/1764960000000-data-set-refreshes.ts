import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data sets refreshed on a schedule from a connector: per data set, what to call and how often
 * (`spec`, JSON), and the outcome of its last run — `ok` with the version it wrote (none when
 * the answer held the current rows), or `failed` with the message and the per-row errors.
 * The schedule itself and its lease are a `flow_schedules` row keyed `dataset:<key>`.
 */
export class DataSetRefreshes1764960000000 implements MigrationInterface {
  name = 'DataSetRefreshes1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE data_set_refreshes (
      data_set VARCHAR(64) PRIMARY KEY,
      spec TEXT NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      updated_by VARCHAR(200) NOT NULL,
      run_at VARCHAR(32),
      outcome VARCHAR(8),
      message TEXT,
      errors TEXT,
      version INTEGER
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE data_set_refreshes');
  }
}
