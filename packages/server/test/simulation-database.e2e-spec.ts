import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { newDatabaseName, STALE_MS } from '../src/simulation/sim-database';

/** `ordo simulate --database`: a run stopped by a signal, and runs that died before. */
const url = process.env.DATABASE_URL;
const onPostgres = url?.startsWith('postgres') ? describe : describe.skip;
const bin = path.join(__dirname, '..', 'bin', 'ordo.js');

onPostgres('a simulation on PostgreSQL stopped by a signal', () => {
  const query = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, string>[];
    } finally {
      await client.end();
    }
  };
  const simDatabases = async () =>
    (await query(`SELECT datname FROM pg_database WHERE datname LIKE 'ordo!_sim!_%' ESCAPE '!'`))
      .map((r) => r.datname)
      .sort();
  // Left by runs that died: one two days ago, one an hour ago (it may be running still).
  const stale = newDatabaseName(Date.now() - 2 * STALE_MS);
  const recent = newDatabaseName(Date.now() - 3_600_000);
  const other = 'ordo_sim_keep_me';
  afterAll(async () => {
    for (const name of [stale, recent, other]) await query(`DROP DATABASE IF EXISTS ${name}`);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    it(`drops its database on ${signal}, and a dead run's over a day old at its start`, async () => {
      for (const name of [stale, recent, other])
        await query(`DROP DATABASE IF EXISTS ${name}`).then(() => query(`CREATE DATABASE ${name}`));
      const before = await simDatabases();
      const child = spawn(
        process.execPath,
        [bin, 'simulate', 'status-sync', '--days', '30', '--database', url!],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      // Its own database appears once the stale one is gone: then it is simulating.
      let own: string[] = [];
      for (let i = 0; i < 600 && !own.length; i++) {
        await new Promise((r) => setTimeout(r, 100));
        own = (await simDatabases()).filter((n) => !before.includes(n));
      }
      expect(own).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 3000));
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(stderr).toContain(`stopped by ${signal}; the run's throw-away database was dropped`);
      // Its own and the stale one dropped; the recent one and a name of another form kept.
      // (Only these names: another run on this server may have its own meanwhile.)
      const left = await simDatabases();
      expect(left).toEqual(expect.arrayContaining([recent, other]));
      expect(left).not.toContain(stale);
      expect(left).not.toContain(own[0]);
    }, 120_000);
});
