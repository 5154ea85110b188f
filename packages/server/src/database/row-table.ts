import type { Db, SqlExecutor } from './db';

/** A column of a table written in bulk: its name and its PostgreSQL type (for `unnest`). */
export type Column = readonly [name: string, pgType: 'varchar' | 'text' | 'int' | 'bigint'];

/**
 * A table's columns, from which the bulk insert of both dialects comes: on PostgreSQL ONE
 * statement over column arrays (`unnest`, whatever the number of rows: one prepared statement),
 * on SQLite one prepared statement per row inside the caller's transaction (in-process, so as
 * fast). Rows are arrays in the columns' order.
 */
export class RowTable {
  /** The column names, comma-separated, for a statement's column list. */
  readonly names: string;
  /** `unnest(?::type[], …)`: the columns as PostgreSQL arrays, one parameter each. */
  readonly unnest: string;
  private readonly pgInsert: string;
  private readonly sqliteInsert: string;

  constructor(
    readonly table: string,
    readonly columns: readonly Column[],
  ) {
    this.names = columns.map(([name]) => name).join(', ');
    this.unnest = `unnest(${columns.map(([, type]) => `?::${type}[]`).join(', ')})`;
    this.pgInsert = `INSERT INTO ${table} (${this.names}) SELECT * FROM ${this.unnest}`;
    this.sqliteInsert = `INSERT INTO ${table} (${this.names}) VALUES (${columns.map(() => '?').join(', ')})`;
  }

  /** The rows as column arrays (`[[a1, b1], [a2, b2]]` → `[[a1, a2], [b1, b2]]`). */
  arrays(rows: readonly unknown[][]): unknown[][] {
    return this.columns.map((_, c) => rows.map((row) => row[c] ?? null));
  }

  /** `INSERT INTO table (columns) VALUES (?, …), (?, …)` for the rows, or nothing for none. */
  values(rows: readonly unknown[][]): { sql: string; params: unknown[] } | undefined {
    if (!rows.length) return undefined;
    const one = `(${this.columns.map(() => '?').join(', ')})`;
    return {
      sql: `INSERT INTO ${this.table} (${this.names}) VALUES ${rows.map(() => one).join(', ')}`,
      params: rows.flat(),
    };
  }

  /** Inserts the rows inside `tx` (a transaction of `db`). */
  async insert(db: Db, tx: SqlExecutor, rows: readonly unknown[][]): Promise<void> {
    if (!rows.length) return;
    if (db.kind === 'postgres') await tx.run(this.pgInsert, this.arrays(rows));
    else for (const row of rows) await tx.run(this.sqliteInsert, row as unknown[]);
  }
}
