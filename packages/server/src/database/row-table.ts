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
  private readonly pgInsert: string;
  private readonly sqliteInsert: string;

  constructor(
    readonly table: string,
    readonly columns: readonly Column[],
  ) {
    const names = columns.map(([name]) => name).join(', ');
    const arrays = columns.map(([, type]) => `?::${type}[]`).join(', ');
    this.pgInsert = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
    this.sqliteInsert = `INSERT INTO ${table} (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
  }

  /** Inserts the rows inside `tx` (a transaction of `db`). */
  async insert(db: Db, tx: SqlExecutor, rows: readonly unknown[][]): Promise<void> {
    if (!rows.length) return;
    if (db.kind === 'postgres')
      await tx.run(
        this.pgInsert,
        this.columns.map((_, c) => rows.map((row) => row[c] ?? null)),
      );
    else for (const row of rows) await tx.run(this.sqliteInsert, row as unknown[]);
  }
}
