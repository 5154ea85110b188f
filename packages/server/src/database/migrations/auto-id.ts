import type { QueryRunner } from 'typeorm';

/** The column type of a generated integer primary key, on the migration's database. */
export const autoId = (q: QueryRunner) =>
  q.connection.options.type === 'postgres'
    ? 'BIGSERIAL PRIMARY KEY'
    : 'INTEGER PRIMARY KEY AUTOINCREMENT';
