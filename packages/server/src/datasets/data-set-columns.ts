import { isUnsafeKey } from '@ordo/engine';
import type { ColumnType, DataSetColumn } from './data-set-types';

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1', '是']);
const FALSE = new Set(['false', 'no', 'n', '0', '否']);
/** Words that make a column boolean when it is inferred (not 1/0: those are numbers). */
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', '是', '否']);

const isEmpty = (cell: unknown) =>
  cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');

/** A cell as its column's type wants it: the value, null for an empty cell, or why not. */
export function convertCell(
  cell: unknown,
  type: ColumnType,
): { value: unknown } | { error: string } {
  if (isEmpty(cell)) return { value: null };
  const text = typeof cell === 'string' ? cell.trim() : undefined;
  switch (type) {
    case 'number':
      if (typeof cell === 'number' && Number.isFinite(cell)) return { value: cell };
      return text !== undefined && NUMBER.test(text)
        ? { value: Number(text) }
        : { error: `${show(cell)} is not a number` };
    case 'boolean':
      if (typeof cell === 'boolean') return { value: cell };
      if (text !== undefined && TRUE.has(text.toLowerCase())) return { value: true };
      if (text !== undefined && FALSE.has(text.toLowerCase())) return { value: false };
      return { error: `${show(cell)} is not true or false (yes/no, 1/0)` };
    case 'date':
      return text !== undefined && DATE.test(text) && !Number.isNaN(Date.parse(text))
        ? { value: text }
        : { error: `${show(cell)} is not a date (YYYY-MM-DD)` };
    default:
      if (typeof cell === 'string') return { value: cell };
      if (typeof cell === 'number' || typeof cell === 'boolean') return { value: String(cell) };
      return { error: `${show(cell)} is not text` };
  }
}

/** The type that fits every non-empty cell of a column: number, boolean, date, else string. */
export function inferType(cells: readonly unknown[]): ColumnType {
  const values = cells.filter((c) => !isEmpty(c));
  if (!values.length) return 'string';
  const all = (test: (c: unknown) => boolean) => values.every(test);
  if (all((c) => typeof c === 'number' || (typeof c === 'string' && NUMBER.test(c.trim()))))
    return 'number';
  if (
    all(
      (c) =>
        typeof c === 'boolean' ||
        (typeof c === 'string' && BOOLEAN_WORDS.has(c.trim().toLowerCase())),
    )
  )
    return 'boolean';
  if (all((c) => typeof c === 'string' && DATE.test(c.trim()))) return 'date';
  return 'string';
}

/** Why a column name cannot be used (empty, repeated, or reaching the object prototype). */
export function columnNameProblem(name: string, seen: ReadonlySet<string>): string | undefined {
  if (!name.trim()) return 'a column has no name';
  if (name.includes('\u0000')) return 'a column name holds a NUL character';
  if (seen.has(name)) return `the column "${name}" appears twice`;
  if (isUnsafeKey(name))
    return `"${name}" may not be a column name: it reaches the object prototype — rename it`;
  if (name.length > 100) return `the column name "${name.slice(0, 20)}…" is over 100 characters`;
  return undefined;
}

/** Columns in file order, each with its type: given, else the previous version's, else inferred. */
export function typeColumns(
  names: readonly string[],
  keyColumn: string,
  cellsOf: (column: string) => unknown[],
  given: readonly DataSetColumn[] = [],
  previous: readonly DataSetColumn[] = [],
): DataSetColumn[] {
  const typeOf = (name: string) =>
    name === keyColumn
      ? 'string'
      : (given.find((c) => c.name === name)?.type ??
        previous.find((c) => c.name === name)?.type ??
        inferType(cellsOf(name)));
  return names.map((name) => ({ name, type: typeOf(name) }));
}

const show = (cell: unknown) => JSON.stringify(cell) ?? String(cell);
