import { createHmac } from 'node:crypto';
import type { Db } from '../database/db';
import { ConfigError } from './ordo-config';

/** A key every process of one database must hold alike, and the setting that gives it. */
export interface SharedKey {
  /** Row name in `key_fingerprints`. */
  name: string;
  /** The environment variable (and what it does) to tell the operator to share. */
  setting: string;
  what: string;
  /** {@link keyFingerprint} of the key. */
  fingerprint: string;
}

const LABEL = 'ordo key fingerprint v1';

/** HMAC-SHA256 of a fixed label under the key: identifies the key, reveals nothing of it. */
export const keyFingerprint = (key: string | Buffer): string =>
  createHmac('sha256', key).update(LABEL).digest('hex');

/**
 * Cluster mode: records the fingerprint of each shared key at the first start (the first
 * process wins a race: insert-if-absent, then read back), and refuses to start a process
 * whose key differs — with a ConfigError naming the setting to share. Tokens signed by one
 * process would be refused by another, and credentials sealed by one unreadable by another.
 */
export async function checkSharedKeys(db: Db, keys: SharedKey[], at = new Date()): Promise<void> {
  const problems: string[] = [];
  for (const key of keys) {
    const mine = key.fingerprint;
    await db.run(
      'INSERT INTO key_fingerprints (name, fingerprint, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
      [key.name, mine, at.toISOString()],
    );
    const [row] = await db.query<{ fingerprint: string; created_at: string }>(
      'SELECT fingerprint, created_at FROM key_fingerprints WHERE name = ?',
      [key.name],
    );
    if (row && row.fingerprint !== mine)
      problems.push(
        `${key.setting}: this process's ${key.what} differs from the one the other processes of this database use (recorded ${row.created_at}): in cluster mode every process must be started with the same ${key.setting}`,
      );
  }
  if (problems.length) throw new ConfigError(problems);
}
