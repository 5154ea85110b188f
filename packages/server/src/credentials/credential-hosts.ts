import type { SqlExecutor } from '../database/db';

/**
 * The hosts of the named credentials that are stored (a name that is not is missing from the
 * map). Read without the sealing key: checking a flow needs where a secret may go, not the secret.
 */
export async function credentialHosts(
  db: SqlExecutor,
  names: readonly string[],
): Promise<Map<string, string[]>> {
  const unique = [...new Set(names)];
  if (!unique.length) return new Map();
  const rows = await db.query(
    `SELECT name, hosts FROM credentials WHERE name IN (${unique.map(() => '?').join(', ')})`,
    unique,
  );
  return new Map(rows.map((r) => [r.name as string, JSON.parse(r.hosts as string) as string[]]));
}
