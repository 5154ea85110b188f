import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The state whose entry opened a task (`tasks.state`): the task closes by itself when the
 * order leaves it; and what the task does when it is still open at its due time (`escalate`:
 * another queue and/or an event), done once (`escalated_at`). Tasks opened before have none.
 */
export class TaskLifecycle1764930000000 implements MigrationInterface {
  name = 'TaskLifecycle1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN state VARCHAR(64)');
    await q.query('ALTER TABLE tasks ADD COLUMN escalate TEXT');
    await q.query('ALTER TABLE tasks ADD COLUMN escalated_at VARCHAR(32)');
    await q.query(
      "CREATE INDEX tasks_escalation ON tasks (due_at) WHERE escalate IS NOT NULL AND escalated_at IS NULL AND status <> 'closed'",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tasks_escalation');
    await q.query('ALTER TABLE tasks DROP COLUMN escalated_at');
    await q.query('ALTER TABLE tasks DROP COLUMN escalate');
    await q.query('ALTER TABLE tasks DROP COLUMN state');
  }
}
