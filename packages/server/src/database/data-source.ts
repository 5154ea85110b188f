import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/ordo-config';
import { type Db, PostgresDb, SqliteDb } from './db';
import { migrations } from './migrations';

/** A TypeORM data source for the configured database (migrations only; never synchronize). */
export function createDataSource(config: DatabaseConfig, poolSize = 10): DataSource {
  if (config.kind === 'postgres')
    return new DataSource({
      type: 'postgres',
      url: config.url,
      migrations,
      synchronize: false,
      extra: { max: poolSize },
    });
  protectSqliteFile(config.file);
  return new DataSource({
    type: 'better-sqlite3',
    database: config.file,
    migrations,
    synchronize: false,
    // WAL: readers never block the writer, and commits are ~5× faster than the rollback journal.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  });
}

/**
 * The SQLite file holds every order, person and sealed credential: it is created 0600 (owner
 * only) like the key files, and an existing one (with its -wal and -shm) is tightened to 0600.
 * SQLite gives the -wal and -shm files it creates the database file's mode.
 */
function protectSqliteFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** Initializes the data source and runs pending migrations; returns the names it ran. */
export async function openDatabase(dataSource: DataSource): Promise<{ db: Db; ran: string[] }> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  const driver = dataSource.driver as unknown as { databaseConnection?: unknown; master?: unknown };
  const db =
    dataSource.options.type === 'postgres'
      ? new PostgresDb(driver.master as never)
      : new SqliteDb(driver.databaseConnection as never);
  return { db, ran: ran.map((m) => m.name) };
}
