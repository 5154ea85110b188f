import { Inject, Injectable } from '@nestjs/common';
import { type DataSetRow, dataSetRow, type Label } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import { RowTable } from '../database/row-table';
import type { DataSetColumn, DataSetSummary, DataSetVersion } from './data-set-types';

const ROWS = new RowTable('data_set_rows', [
  ['data_set', 'varchar'],
  ['row_key', 'text'],
  ['from_version', 'int'],
  ['line', 'int'],
  ['data', 'text'],
]);

/** A version to write: what it is, and which rows it adds (new or changed) and closes. */
export interface VersionWrite {
  key: string;
  title: Label;
  /**
   * The version it replaces — of a set that exists, or that was deleted (its versions go on),
   * or none for a key never used: the write fails if another came first.
   */
  replaces?: { version: number; deleted: boolean };
  version: DataSetVersion;
  put: { key: string; line: number | undefined; row: DataSetRow }[];
  close: string[];
}

const versionFrom = (r: Record<string, unknown>): DataSetVersion => ({
  version: Number(r.version),
  keyColumn: r.key_column as string,
  columns: JSON.parse(r.columns as string) as DataSetColumn[],
  rows: Number(r.row_count),
  source: (r.source as string | null) ?? null,
  createdAt: r.created_at as string,
  createdBy: r.created_by as string,
});

const summaryFrom = (r: Record<string, unknown>): DataSetSummary => {
  const { createdAt, createdBy, ...version } = versionFrom(r);
  return {
    key: r.key as string,
    title: JSON.parse(r.title as string) as Label,
    ...version,
    updatedAt: createdAt,
    updatedBy: createdBy,
  };
};

const SUMMARY = `SELECT s.key, s.title, v.* FROM data_sets s
  JOIN data_set_versions v ON v.data_set = s.key AND v.version = s.version WHERE s.deleted = 0`;

/** Rows of version `v`: written at or before it, not closed by it. */
const AT_VERSION = 'data_set = ? AND from_version <= ? AND (to_version IS NULL OR to_version > ?)';

/** Data sets, their versions and their rows (as ranges of versions: see the migration). */
@Injectable()
export class DataSetsRepository {
  constructor(@Inject(DB) readonly db: Db) {}

  async list(): Promise<DataSetSummary[]> {
    return (await this.db.query(`${SUMMARY} ORDER BY s.key`)).map(summaryFrom);
  }

  async get(key: string): Promise<DataSetSummary | undefined> {
    const [row] = await this.db.query(`${SUMMARY} AND s.key = ?`, [key]);
    return row && summaryFrom(row);
  }

  /** Every version of the set, newest first. */
  async versions(key: string): Promise<DataSetVersion[]> {
    const rows = await this.db.query(
      'SELECT * FROM data_set_versions WHERE data_set = ? ORDER BY version DESC',
      [key],
    );
    return rows.map(versionFrom);
  }

  /** The last version a key had, deleted or not (0 for a key never used). */
  async lastVersion(key: string): Promise<{ version: number; deleted: boolean } | undefined> {
    const [row] = await this.db.query<{ version: number | string; deleted: number | string }>(
      'SELECT version, deleted FROM data_sets WHERE key = ?',
      [key],
    );
    return row && { version: Number(row.version), deleted: Number(row.deleted) === 1 };
  }

  /** The current version of every set (what a cache compares against). */
  async stamps(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ key: string; version: number | string }>(
      'SELECT key, version FROM data_sets WHERE deleted = 0',
    );
    return new Map(rows.map((r) => [r.key, Number(r.version)]));
  }

  /** All rows of a version, by key. */
  async rowsAt(key: string, version: number): Promise<Map<string, DataSetRow>> {
    const rows = await this.db.query<{ row_key: string; data: string }>(
      `SELECT row_key, data FROM data_set_rows WHERE ${AT_VERSION}`,
      [key, version, version],
    );
    return new Map(rows.map((r) => [r.row_key, dataSetRow(JSON.parse(r.data) as DataSetRow)]));
  }

  /** A page of a version's rows in key order, after `cursor`, whose key contains `q`. */
  async page(key: string, version: number, options: { q?: string; after?: string; limit: number }) {
    const params: unknown[] = [key, version, version];
    let sql = `SELECT row_key, data FROM data_set_rows WHERE ${AT_VERSION}`;
    if (options.q) {
      sql += " AND LOWER(row_key) LIKE ? ESCAPE '\\'";
      params.push(`%${options.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (options.after !== undefined) {
      sql += ' AND row_key > ?';
      params.push(options.after);
    }
    sql += ' ORDER BY row_key LIMIT ?';
    params.push(options.limit + 1);
    const rows = await this.db.query<{ row_key: string; data: string }>(sql, params);
    return {
      items: rows
        .slice(0, options.limit)
        .map((r) => ({ key: r.row_key, values: JSON.parse(r.data) })),
      more: rows.length > options.limit,
    };
  }

  /** Writes a version in ONE transaction; false when another version came first (nothing written). */
  write(w: VersionWrite, also?: (tx: SqlExecutor) => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const claimed = !w.replaces
        ? await tx.run(
            'INSERT INTO data_sets (key, title, version) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
            [w.key, JSON.stringify(w.title), w.version.version],
          )
        : await tx.run(
            'UPDATE data_sets SET version = ?, title = ?, deleted = 0 WHERE key = ? AND version = ? AND deleted = ?',
            [
              w.version.version,
              JSON.stringify(w.title),
              w.key,
              w.replaces.version,
              w.replaces.deleted ? 1 : 0,
            ],
          );
      if (claimed !== 1) return false;
      const v = w.version;
      await tx.run(
        `INSERT INTO data_set_versions (data_set, version, key_column, columns, row_count, source, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          w.key,
          v.version,
          v.keyColumn,
          JSON.stringify(v.columns),
          v.rows,
          v.source,
          v.createdAt,
          v.createdBy,
        ],
      );
      await this.closeRows(tx, w.key, w.close, v.version);
      await ROWS.insert(
        this.db,
        tx,
        w.put.map((p) => [w.key, p.key, v.version, p.line ?? null, JSON.stringify(p.row)]),
      );
      await also?.(tx);
      return true;
    });
  }

  private async closeRows(tx: SqlExecutor, key: string, rowKeys: string[], version: number) {
    if (!rowKeys.length) return;
    await tx.run(
      this.db.kind === 'postgres'
        ? 'UPDATE data_set_rows SET to_version = ? WHERE data_set = ? AND to_version IS NULL AND row_key = ANY(?::text[])'
        : 'UPDATE data_set_rows SET to_version = ? WHERE data_set = ? AND to_version IS NULL AND row_key IN (SELECT value FROM json_each(?))',
      [version, key, this.db.kind === 'postgres' ? rowKeys : JSON.stringify(rowKeys)],
    );
  }

  /** Deletes the set with all its versions; false when there was none. */
  delete(key: string, also?: (tx: SqlExecutor) => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await also?.(tx);
      await tx.run('DELETE FROM data_set_rows WHERE data_set = ?', [key]);
      await tx.run('DELETE FROM data_set_versions WHERE data_set = ?', [key]);
      // The key keeps its last version: made again, it goes on from there.
      return (
        (await tx.run('UPDATE data_sets SET deleted = 1 WHERE key = ? AND deleted = 0', [key])) ===
        1
      );
    });
  }
}
