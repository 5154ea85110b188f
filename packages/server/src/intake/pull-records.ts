import { getPath } from '@ordo/engine';
import { lineTarget } from './line-targets';
import type { ColumnMapping } from './table-rows';
import type { Table } from './table-file';

/** A record's value as the cell a sheet would hold: text, JSON for objects, empty when absent. */
const cell = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/**
 * Records of another system as a table to import: the mapping's source paths are its columns
 * (`customer.code`); a per-line source (`lines[].code`) makes one row per element of the
 * record's array, so a record with its lines becomes one order through the same grouping as a
 * sheet with one row per order line. Rows are numbered from `offset + 1` (the record's position).
 */
export function groupedRecords(
  records: readonly Record<string, unknown>[],
  mapping: ColumnMapping,
  offset: number,
): Table {
  const columns = Object.keys(mapping);
  const split = columns.map(lineTarget);
  const arrays = [...new Set(split.flatMap((s) => (s ? [s.array] : [])))];
  const rows: Table['rows'] = [];
  records.forEach((record, i) => {
    const lines = arrays.length ? getPath(record, arrays[0]) : undefined;
    const count = Array.isArray(lines) && lines.length ? lines.length : 1;
    for (let j = 0; j < count; j++)
      rows.push({
        line: offset + i + 1,
        cells: columns.map((c, k) => {
          const s = split[k];
          if (!s) return cell(getPath(record, c));
          const items = getPath(record, s.array);
          return cell(Array.isArray(items) ? getPath(items[j], s.inner) : undefined);
        }),
      });
  });
  return { columns, rows, errors: [] };
}
