import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** The PostgreSQL server benchmarks use (the machine's local one unless BENCH_PG_URL says). */
export const PG_URL =
  process.env.BENCH_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh PostgreSQL database for one benchmark, dropped afterwards. */
export async function benchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ordo_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh SQLite file for one benchmark. */
export function benchSqlite(): { file: string; drop(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ordo-bench-'));
  return {
    file: path.join(dir, 'ordo.db'),
    drop: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `clients` loops of `step` for `ms` milliseconds; operations per second. */
export async function loadFor(
  ms: number,
  clients: number,
  step: (client: number, i: number) => Promise<unknown> | unknown,
): Promise<number> {
  const end = Date.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) {
        await step(c, i);
        done++;
      }
    }),
  );
  return done / (ms / 1000);
}

export function printRatios(title: string, rows: [string, number][], target?: string): void {
  const base = rows[0][1] || 1;
  console.log(`\n${title}`);
  for (const [name, rate] of rows)
    console.log(
      `  ${name.padEnd(52)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} /s ${(rate / base).toFixed(2).padStart(7)}×`,
    );
  if (target) console.log(`  ${target}`);
}
