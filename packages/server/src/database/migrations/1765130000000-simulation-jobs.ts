import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Simulation jobs (`POST /api/flows/:key/simulations`), kept in the database so that a
 * finished job's result outlives a restart and any process of a cluster answers for it. The
 * process running a job (`owner`) renews `lease_until`; an active job whose lease ran out is
 * reported `interrupted`. `cancel_requested` asks the owner, from any process, to stop it.
 */
export class SimulationJobs1765130000000 implements MigrationInterface {
  name = 'SimulationJobs1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE simulation_jobs (
      id VARCHAR(36) PRIMARY KEY,
      flow_key VARCHAR(64) NOT NULL,
      version VARCHAR(16) NOT NULL,
      days INTEGER NOT NULL,
      seed INTEGER NOT NULL,
      status VARCHAR(12) NOT NULL,
      progress TEXT NOT NULL,
      owner VARCHAR(64) NOT NULL,
      lease_until VARCHAR(32) NOT NULL,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      created_at VARCHAR(32) NOT NULL,
      started_at VARCHAR(32),
      finished_at VARCHAR(32),
      error TEXT,
      result TEXT
    )`);
    await q.query('CREATE INDEX simulation_jobs_flow ON simulation_jobs (flow_key, created_at)');
    await q.query('CREATE INDEX simulation_jobs_active ON simulation_jobs (status, owner)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE simulation_jobs');
  }
}
