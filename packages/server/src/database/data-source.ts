import { mkdirSync } from 'node:fs';
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
  mkdirSync(path.dirname(config.file), { recursive: true });
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
