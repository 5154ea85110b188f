import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config/ordo-config';

/** A throw-away database's name: `ordo_sim_<creation time, base 36 ms>_<random hex>`. */
const NAME = /^ordo_sim_([0-9a-z]{8,9})_[0-9a-f]{12}$/;
/** A run's database older than this was left by a run that died (SIGKILL, a crash). */
export const STALE_MS = 24 * 3_600_000;

/** A new throw-away database name, which tells its creation time (`staleDatabases`). */
export const newDatabaseName = (now = Date.now()) =>
  `ordo_sim_${now.toString(36)}_${randomBytes(6).toString('hex')}`;

/**
 * The names, of those given, of throw-away databases created over a day before `now`: only
 * names of exactly the form this module makes (any other database is never touched).
 */
export function staleDatabases(names: readonly string[], now = Date.now()): string[] {
  return names.filter((name) => {
    const match = NAME.exec(name);
    return !!match && now - parseInt(match[1], 36) > STALE_MS;
  });
}

/**
 * The run's throw-away database: a SQLite file in the run's directory, or a new PostgreSQL
 * database on the server of `postgresUrl` (created, then dropped with everything in it). The
 * database the URL names is only connected to for the CREATE and DROP: its data is never read
 * or written. Before creating it, the throw-away databases of runs that died over a day ago
 * (killed before they could drop theirs) are dropped — those no one is connected to.
 */
export async function throwAwayDatabase(
  dir: string,
  postgresUrl?: string,
): Promise<{ database: DatabaseConfig; drop(): Promise<void> }> {
  if (!postgresUrl)
    return { database: { kind: 'sqlite', file: path.join(dir, 'ordo.db') }, drop: async () => {} };
  const name = newDatabaseName();
  const admin = async <T>(work: (client: Client) => Promise<T>) => {
    const client = new Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'ordo!_sim!_%' ESCAPE '!'`,
    );
    for (const stale of staleDatabases(rows.map((r) => r.datname)))
      // No FORCE: a database someone still uses (a very long run) stays.
      await client.query(`DROP DATABASE IF EXISTS ${stale}`).catch(() => undefined);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
