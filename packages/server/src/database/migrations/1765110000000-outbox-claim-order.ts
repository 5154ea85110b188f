import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox_due` gains `id`, the claim's tie-break (`ORDER BY next_attempt_at, id`): the claim
 * then walks the index in order and stops at its LIMIT, instead of reading and sorting every
 * due row (and checking each one's earlier rows) — a claim cost that grew with the backlog.
 */
export class OutboxClaimOrder1765110000000 implements MigrationInterface {
  name = 'OutboxClaimOrder1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_due');
    await q.query('CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_due');
    await q.query('CREATE INDEX outbox_due ON outbox (status, next_attempt_at)');
  }
}
