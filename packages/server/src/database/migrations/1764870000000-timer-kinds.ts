import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A timer's kind (sla, poll, blocked) is a column instead of a prefix of its id that readers
 * parse; existing timers get theirs from that prefix.
 */
export class TimerKinds1764870000000 implements MigrationInterface {
  name = 'TimerKinds1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE timers ADD COLUMN kind VARCHAR(16)');
    for (const kind of ['sla', 'poll', 'blocked'])
      await q.query(`UPDATE timers SET kind = '${kind}' WHERE timer LIKE '${kind}:%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE timers DROP COLUMN kind');
  }
}
