import { getPath, setPath } from '@ordo/engine';
import type { ColumnOf } from './column-finder';
import type { ImportRow } from './table-rows';

type DataRow = Extract<ImportRow, { data: unknown }>;
type ErrorRow = Extract<ImportRow, { error: string }>;

/**
 * One order to import: from one row, or grouped from the rows of a sheet with one row per
 * order line — then `rows` are their lines in the file and `origins` the row each order line
 * came from (`lines.3` → 7), so a refusal names the row at fault.
 */
export type OrderRow = DataRow & { rows?: number[]; origins?: Map<string, number> };

/** A row the intake refuses before the engine sees it. */
export type RefusedRow = ErrorRow;

/**
 * Groups the rows of a sheet with one row per order line into orders by their reference, in
 * the order of their first row (rows of one order need not be adjacent): the order's fields
 * from its first row, its lines from every row. A later row whose own fields disagree with the
 * first row's is refused at its line and column, and so is the whole order: every row of an
 * order that cannot be read, or that disagrees, is refused — never an order with lines missing.
 * Rows without per-line columns, or without a reference, stay one order each.
 */
export function groupRows(
  rows: readonly ImportRow[],
  columnOf: ColumnOf,
): (OrderRow | RefusedRow)[] {
  const groups = new Map<string, DataRow[]>();
  const unreadable = new Map<string, ErrorRow[]>();
  const out: (OrderRow | RefusedRow)[] = [];
  for (const row of rows) {
    const ref = row.externalRef;
    if ('error' in row) {
      out.push(row);
      if (ref) unreadable.set(ref, [...(unreadable.get(ref) ?? []), row]);
    } else if (ref && row.lineArrays?.length) {
      const group = groups.get(ref);
      if (group) group.push(row);
      else groups.set(ref, [row]);
    } else out.push(row);
  }
  for (const [ref, group] of groups) {
    const bad = unreadable.get(ref);
    if (bad) {
      const lines = bad.map((b) => b.line).join(', ');
      out.push(
        ...group.map((row) => refusedWith(row.line, ref, `line ${lines} of it cannot be read`)),
      );
      continue;
    }
    const merged = mergeGroup(ref, group, columnOf);
    out.push(...(Array.isArray(merged) ? merged : [merged]));
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The rows of an order, refused because one of its rows is (the row names the other's line). */
function refusedWith(line: number, ref: string, why: string): RefusedRow {
  return {
    line,
    externalRef: ref,
    code: 'order_refused',
    error: `not imported: the order "${ref}" is refused (${why})`,
  };
}

/** The other rows of a refused order, each refused too, pointing at the rows at fault. */
export function alsoRefused(row: OrderRow, atFault: ReadonlySet<number>) {
  const lines = [...atFault].join(', ');
  return (row.rows ?? [])
    .filter((line) => !atFault.has(line))
    .map((line) => ({
      line,
      code: 'order_refused',
      message: refusedWith(line, row.externalRef!, `see line ${lines}`).error,
    }));
}

/** The row an order's data path came from: its line's row, else the order's first row. */
export function rowOf(row: OrderRow, path: string): number {
  if (!row.origins) return row.line;
  const segments = path.split('.');
  for (let n = segments.length; n > 0; n--) {
    const line = row.origins.get(segments.slice(0, n).join('.'));
    if (line !== undefined) return line;
  }
  return row.line;
}

function mergeGroup(ref: string, group: DataRow[], columnOf: ColumnOf): OrderRow | RefusedRow[] {
  const [first] = group;
  const arrays = [...new Set(group.flatMap((r) => r.lineArrays ?? []))];
  const skip = new Set(arrays);
  const header = leaves(first.data, skip);
  let data = first.data;
  for (const array of arrays) data = setPath(data, array, []);
  const origins = new Map<string, number>();
  const mismatches: RefusedRow[] = [];
  for (const row of group) {
    for (const array of arrays) {
      const items = getPath(row.data, array);
      if (!Array.isArray(items)) continue;
      const joined = getPath(data, array) as unknown[];
      items.forEach((item, i) => origins.set(`${array}.${joined.length + i}`, row.line));
      data = setPath(data, array, [...joined, ...items]);
    }
    if (row === first) continue;
    for (const [path, value] of leaves(row.data, skip)) {
      const expected = header.get(path);
      if (JSON.stringify(value) === JSON.stringify(expected)) continue;
      const column = columnOf(path);
      mismatches.push({
        line: row.line,
        ...(column && { column }),
        path,
        externalRef: ref,
        code: 'order_mismatch',
        error: `${path} is ${JSON.stringify(value)} here but ${expected === undefined ? 'empty' : JSON.stringify(expected)} on line ${first.line}, the first row of the order "${ref}" (an order's fields come from its first row; leave them empty or the same on its other rows)`,
      });
    }
  }
  for (const array of arrays)
    if (!(getPath(data, array) as unknown[]).length) data = omit(data, array);
  if (!mismatches.length) return { ...first, data, rows: group.map((r) => r.line), origins };
  const atFault = new Set(mismatches.map((m) => m.line));
  const lines = [...atFault].join(', ');
  return [
    ...mismatches,
    ...group
      .filter((r) => !atFault.has(r.line))
      .map((r) => refusedWith(r.line, ref, `line ${lines} disagrees with its first row`)),
  ];
}

/** The scalar values of an order's data by dot path, leaving out the order-line arrays. */
function leaves(data: Record<string, unknown>, skip: ReadonlySet<string>, prefix = '') {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) {
    const path = `${prefix}${key}`;
    if (skip.has(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      for (const [inner, v] of leaves(value as Record<string, unknown>, skip, `${path}.`))
        found.set(inner, v);
    else found.set(path, value);
  }
  return found;
}

/** The data without the (empty) array at a dot path. */
function omit(data: Record<string, unknown>, path: string): Record<string, unknown> {
  const segments = path.split('.');
  const last = segments.pop()!;
  const parent = segments.length ? getPath(data, segments.join('.')) : data;
  if (!parent || typeof parent !== 'object') return data;
  const { [last]: _gone, ...rest } = parent as Record<string, unknown>;
  return segments.length ? setPath(data, segments.join('.'), rest) : rest;
}
