import type { MigrationInterface, QueryRunner } from 'typeorm';
import { autoId } from './auto-id';

/**
 * People and the audit log. A principal can be disabled (`disabled_at`); `generation` is
 * carried in its login tokens and bumped when it is disabled, so a token issued before stays
 * dead after re-enabling; `created_by` is who made an API key (a key's roles never exceed its
 * creator's). `audit_log` records administrative changes: who, when, what, before and after.
 */
export class PeopleAudit1764850000000 implements MigrationInterface {
  name = 'PeopleAudit1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE principals ADD COLUMN disabled_at VARCHAR(32)');
    await q.query('ALTER TABLE principals ADD COLUMN generation INTEGER NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE principals ADD COLUMN created_by VARCHAR(64)');
    await q.query('CREATE INDEX principals_created_by ON principals (created_by)');
    await q.query(`CREATE TABLE audit_log (
      id ${autoId(q)},
      at VARCHAR(32) NOT NULL,
      actor VARCHAR(64) NOT NULL,
      entity VARCHAR(32) NOT NULL,
      entity_id VARCHAR(200) NOT NULL,
      action VARCHAR(32) NOT NULL,
      before_value TEXT,
      after_value TEXT
    )`);
    await q.query('CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id)');
    await q.query('CREATE INDEX audit_log_actor ON audit_log (actor, id)');
    await q.query('CREATE INDEX audit_log_at ON audit_log (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP INDEX principals_created_by');
    await q.query('ALTER TABLE principals DROP COLUMN created_by');
    await q.query('ALTER TABLE principals DROP COLUMN generation');
    await q.query('ALTER TABLE principals DROP COLUMN disabled_at');
  }
}
