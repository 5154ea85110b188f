import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fingerprints of the keys the processes of one database must share (the token signing key
 * and the credential sealing key): an HMAC of a fixed label under each key, never the key.
 * Written at the first start in cluster mode; a process with other keys refuses to start.
 */
export class KeyFingerprints1764820000000 implements MigrationInterface {
  name = 'KeyFingerprints1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE key_fingerprints (
      name VARCHAR(32) PRIMARY KEY,
      fingerprint VARCHAR(64) NOT NULL,
      created_at VARCHAR(32) NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE key_fingerprints');
  }
}
