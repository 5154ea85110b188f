import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config/ordo-config';

/**
 * The run's throw-away database: a SQLite file in the run's directory, or a new PostgreSQL
 * database on the server of `postgresUrl` (created, then dropped with everything in it). The
 * database the URL names is only connected to for the CREATE and DROP: its data is never read
 * or written.
 */
export async function throwAwayDatabase(
  dir: string,
  postgresUrl?: string,
): Promise<{ database: DatabaseConfig; drop(): Promise<void> }> {
  if (!postgresUrl)
    return { database: { kind: 'sqlite', file: path.join(dir, 'ordo.db') }, drop: async () => {} };
  const name = `ordo_sim_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
