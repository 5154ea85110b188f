import type { MigrationInterface, QueryRunner } from 'typeorm';
import { autoId } from './auto-id';

/**
 * Integration and exceptions: per-order timers (SLA, polls, blocked autos), inbound deliveries
 * kept for de-duplication, outbound webhook subscriptions and their delivery log, human tasks
 * and their comments, recorded exceptions, and reconciliation reports.
 */
export class Integration1764500000000 implements MigrationInterface {
  name = 'Integration1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE timers (
      id ${autoId(q)},
      order_id VARCHAR(64) NOT NULL,
      timer VARCHAR(200) NOT NULL,
      state VARCHAR(64) NOT NULL,
      due_at VARCHAR(32) NOT NULL,
      since VARCHAR(32),
      locked_until VARCHAR(32),
      UNIQUE (order_id, timer)
    )`);
    await q.query('CREATE INDEX timers_due ON timers (due_at)');
    await q.query(`CREATE TABLE hook_deliveries (
      key VARCHAR(300) PRIMARY KEY,
      flow_key VARCHAR(64) NOT NULL,
      trigger_id VARCHAR(64) NOT NULL,
      status INTEGER NOT NULL,
      answer TEXT NOT NULL,
      received_at VARCHAR(32) NOT NULL
    )`);
    await q.query('CREATE INDEX hook_deliveries_received ON hook_deliveries (received_at)');
    await q.query(`CREATE TABLE webhook_subscriptions (
      id ${autoId(q)},
      url TEXT NOT NULL,
      events TEXT NOT NULL,
      secret TEXT NOT NULL,
      active INTEGER NOT NULL,
      created_at VARCHAR(32) NOT NULL,
      created_by VARCHAR(64)
    )`);
    await q.query(`CREATE TABLE webhook_deliveries (
      id ${autoId(q)},
      subscription_id BIGINT NOT NULL,
      source_key VARCHAR(300) NOT NULL,
      event VARCHAR(200) NOT NULL,
      payload TEXT NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at VARCHAR(32) NOT NULL,
      locked_until VARCHAR(32),
      last_status INTEGER,
      last_error TEXT,
      created_at VARCHAR(32) NOT NULL,
      delivered_at VARCHAR(32),
      UNIQUE (subscription_id, source_key)
    )`);
    await q.query(
      'CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)',
    );
    await q.query(`CREATE TABLE tasks (
      id ${autoId(q)},
      effect_key VARCHAR(200) NOT NULL UNIQUE,
      order_id VARCHAR(64),
      flow_key VARCHAR(64) NOT NULL,
      queue VARCHAR(100) NOT NULL,
      roles TEXT NOT NULL,
      title TEXT NOT NULL,
      priority VARCHAR(8) NOT NULL,
      status VARCHAR(8) NOT NULL,
      assignee VARCHAR(64),
      due_at VARCHAR(32),
      exception_id BIGINT,
      resolution TEXT,
      created_at VARCHAR(32) NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      closed_at VARCHAR(32),
      closed_by VARCHAR(64)
    )`);
    await q.query('CREATE INDEX tasks_queue ON tasks (queue, status, id)');
    await q.query('CREATE INDEX tasks_assignee ON tasks (assignee, status, id)');
    await q.query('CREATE INDEX tasks_order ON tasks (order_id, id)');
    await q.query(`CREATE TABLE task_comments (
      id ${autoId(q)},
      task_id BIGINT NOT NULL,
      author VARCHAR(64) NOT NULL,
      body TEXT NOT NULL,
      created_at VARCHAR(32) NOT NULL
    )`);
    await q.query('CREATE INDEX task_comments_task ON task_comments (task_id, id)');
    await q.query(`CREATE TABLE exceptions (
      id ${autoId(q)},
      source_key VARCHAR(300) NOT NULL UNIQUE,
      flow_key VARCHAR(64) NOT NULL,
      order_id VARCHAR(64),
      kind VARCHAR(32) NOT NULL,
      detail TEXT NOT NULL,
      rule_index INTEGER,
      resolution VARCHAR(8) NOT NULL,
      status VARCHAR(8) NOT NULL,
      settled_by VARCHAR(8),
      note TEXT,
      created_at VARCHAR(32) NOT NULL,
      settled_at VARCHAR(32)
    )`);
    await q.query('CREATE INDEX exceptions_flow ON exceptions (flow_key, kind, id)');
    await q.query('CREATE INDEX exceptions_order ON exceptions (order_id, id)');
    await q.query(`CREATE TABLE reconciliations (
      id ${autoId(q)},
      flow_key VARCHAR(64) NOT NULL,
      system VARCHAR(64) NOT NULL,
      checked INTEGER NOT NULL,
      drifted INTEGER NOT NULL,
      failed INTEGER NOT NULL,
      drift TEXT NOT NULL,
      started_at VARCHAR(32) NOT NULL,
      finished_at VARCHAR(32) NOT NULL
    )`);
    await q.query('CREATE INDEX reconciliations_flow ON reconciliations (flow_key, system, id)');
    // Flow-level schedules (reconciliations): the next run, taken by one process only.
    await q.query(`CREATE TABLE flow_schedules (
      key VARCHAR(200) PRIMARY KEY,
      next_run_at VARCHAR(32) NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'flow_schedules',
      'reconciliations',
      'exceptions',
      'task_comments',
      'tasks',
      'webhook_deliveries',
      'webhook_subscriptions',
      'hook_deliveries',
      'timers',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
