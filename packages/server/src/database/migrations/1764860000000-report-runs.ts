import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled reports sent: one row per flow, report and month, claimed by the process that sends
 * it (so a report goes out once with several processes), with the channels already reached.
 */
export class ReportRuns1764860000000 implements MigrationInterface {
  name = 'ReportRuns1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE report_runs (
      flow_key VARCHAR(64) NOT NULL,
      report_id VARCHAR(64) NOT NULL,
      month VARCHAR(7) NOT NULL,
      status VARCHAR(8) NOT NULL,
      delivered TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      next_at VARCHAR(32),
      lease_until VARCHAR(32),
      error TEXT,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      PRIMARY KEY (flow_key, report_id, month)
    )`);
    await q.query('CREATE INDEX report_runs_due ON report_runs (status, next_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE report_runs');
  }
}
