import { findJsonHazard } from '../problems/json-guard';
import { readTable, TableError } from '../intake/table-file';

/** The formats a data set is uploaded in. */
export type DataSetFormat = 'csv' | 'xlsx' | 'json';

/** An uploaded table before typing: its columns and, per row, its line and cells. */
export interface RawTable {
  columns: string[];
  rows: { line: number; cells: unknown[] }[];
  /** Rows that could not be read at all, by line. */
  errors: { line: number; message: string }[];
}

/** The file is not a table of its format at all. */
export class UnreadableFile extends Error {}

/**
 * Reads an upload: CSV text, an Excel workbook (base64, its first sheet) or the JSON text of
 * an array of objects (its columns are the objects' keys in order of appearance; a row's
 * "line" is its position in the array, from 1).
 */
export async function readDataSetFile(format: DataSetFormat, content: string): Promise<RawTable> {
  if (format === 'json') return readJsonRows(content);
  try {
    const table = await readTable(format, content);
    return { columns: table.columns, rows: table.rows, errors: table.errors };
  } catch (error) {
    if (error instanceof TableError) throw new UnreadableFile(error.message);
    throw error;
  }
}

function readJsonRows(content: string): RawTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new UnreadableFile(`not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new UnreadableFile('JSON content must be an array of objects');
  const hazard = findJsonHazard(parsed);
  if (hazard) throw new UnreadableFile(`${hazard.path || '/'}: ${hazard.message}`);
  const columns: string[] = [];
  const known = new Set<string>();
  const table: RawTable = { columns, rows: [], errors: [] };
  parsed.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return void table.errors.push({ line: i + 1, message: 'is not an object' });
    for (const name of Object.keys(item))
      if (!known.has(name)) {
        known.add(name);
        columns.push(name);
      }
  });
  parsed.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return;
    const cells = columns.map((c) =>
      Object.hasOwn(item, c) ? (item as Record<string, unknown>)[c] : null,
    );
    table.rows.push({ line: i + 1, cells });
  });
  return table;
}
