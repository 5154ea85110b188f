import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hosts a credential may be sent to (a JSON array of host:port patterns). Credentials
 * stored before have none (`[]`: sent nowhere) until an admin gives them their hosts
 * (`PATCH /api/credentials/:name`): nothing carries a secret to a host nobody named.
 */
export class CredentialHosts1764810000000 implements MigrationInterface {
  name = 'CredentialHosts1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credentials ADD COLUMN hosts TEXT NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE credentials DROP COLUMN hosts');
  }
}
