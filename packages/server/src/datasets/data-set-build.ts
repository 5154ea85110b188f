import { dataSetRow } from '@ordo/engine';
import type { ProblemDetail } from '../problems/api-problem';
import { columnNameProblem, convertCell, typeColumns } from './data-set-columns';
import type { RawTable } from './data-set-file';
import type { DataSetColumn, KeyedRows, RowError } from './data-set-types';

/** A table typed and keyed: the version to write, or everything wrong with it. */
export interface BuiltVersion extends KeyedRows {
  keyColumn: string;
  columns: DataSetColumn[];
  /** What is wrong with the request itself (the key column, the given column types). */
  requestErrors: ProblemDetail[];
  /** What is wrong with rows and cells, by line and column. */
  rowErrors: RowError[];
}

/** How to read a table: the key column and types asked for, and the current version's. */
export interface BuildOptions {
  keyColumn?: string;
  columns?: readonly DataSetColumn[];
  previous?: { keyColumn: string; columns: readonly DataSetColumn[] };
}

const MAX_KEY = 500;

/**
 * Types every cell by its column (given types, else the current version's, else inferred),
 * keys every row by the key column (never empty, never twice), and collects every problem
 * by line and column — a version is written only when there is none.
 */
export function buildVersion(table: RawTable, options: BuildOptions): BuiltVersion {
  const requestErrors: ProblemDetail[] = [];
  const rowErrors: RowError[] = table.errors.map((e) => ({
    line: e.line,
    code: 'unreadable_row',
    message: e.message,
  }));
  const seen = new Set<string>();
  for (const name of table.columns) {
    const problem = columnNameProblem(name, seen);
    if (problem) rowErrors.push({ line: 1, column: name, code: 'bad_column', message: problem });
    seen.add(name);
  }
  const keyColumn = options.keyColumn ?? options.previous?.keyColumn ?? table.columns[0] ?? '';
  if (!table.columns.includes(keyColumn))
    requestErrors.push({
      path: '/keyColumn',
      code: 'unknown_column',
      message: `the file has no column "${keyColumn}" (it has: ${table.columns.join(', ')})`,
    });
  (options.columns ?? []).forEach((c, i) => {
    if (!table.columns.includes(c.name))
      requestErrors.push({
        path: `/columns/${i}/name`,
        code: 'unknown_column',
        message: `the file has no column "${c.name}"`,
      });
  });
  const index = new Map(table.columns.map((c, i) => [c, i]));
  const columns = typeColumns(
    table.columns,
    keyColumn,
    (c) => table.rows.map((r) => r.cells[index.get(c)!]),
    options.columns,
    options.previous?.columns,
  );
  const built: BuiltVersion = {
    keyColumn,
    columns,
    rows: new Map(),
    lines: new Map(),
    requestErrors,
    rowErrors,
  };
  if (requestErrors.length || rowErrors.some((e) => e.code === 'bad_column')) return built;
  const keyAt = index.get(keyColumn)!;
  /** The line of each key's first row, even a row with a bad cell (for "also on line"). */
  const keyLines = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const raw = cells[keyAt];
    const key = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (!key) {
      rowErrors.push({ line, column: keyColumn, code: 'empty_key', message: 'the key is empty' });
      continue;
    }
    if (key.length > MAX_KEY) {
      rowErrors.push({
        line,
        column: keyColumn,
        code: 'key_too_long',
        message: `the key is over ${MAX_KEY} characters`,
      });
      continue;
    }
    const first = keyLines.get(key);
    if (first !== undefined) {
      rowErrors.push({
        line,
        column: keyColumn,
        code: 'duplicate_key',
        message: `the key "${key}" is also on line ${first}`,
      });
      continue;
    }
    keyLines.set(key, line);
    const row: Record<string, unknown> = {};
    let ok = true;
    columns.forEach((column, i) => {
      if (typeof cells[i] === 'string' && (cells[i] as string).includes('\u0000')) {
        ok = false;
        rowErrors.push({
          line,
          column: column.name,
          code: 'bad_cell',
          message: 'holds a NUL character',
        });
        return;
      }
      const converted =
        column.name === keyColumn ? { value: key } : convertCell(cells[i], column.type);
      if ('error' in converted) {
        ok = false;
        rowErrors.push({ line, column: column.name, code: 'bad_cell', message: converted.error });
      } else row[column.name] = converted.value;
    });
    if (!ok) continue;
    built.rows.set(key, dataSetRow(row));
    built.lines.set(key, line);
  }
  return built;
}
