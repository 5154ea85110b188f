import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A finished simulation keeps its dashboard (the analytics and volume series of the simulated
 * window, read before its throw-away database went), which the designer opens like the live one.
 */
export class SimulationDashboard1765170000000 implements MigrationInterface {
  name = 'SimulationDashboard1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE simulation_jobs ADD COLUMN dashboard TEXT');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE simulation_jobs DROP COLUMN dashboard');
  }
}
