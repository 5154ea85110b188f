import Papa from 'papaparse';

/** An uploaded table: its header and its rows, each with its line in the file. */
export interface Table {
  columns: string[];
  rows: { line: number; cells: string[] }[];
  /** Rows that could not be read at all (wrong cell count, broken quoting), with what was read. */
  errors: { line: number; message: string; cells?: string[] }[];
}

export type TableFormat = 'csv' | 'xlsx';

/** Reads a CSV text or an Excel workbook (its first sheet); the header is the first row. */
export async function readTable(format: TableFormat, content: Buffer | string): Promise<Table> {
  return format === 'csv'
    ? readCsvTable(typeof content === 'string' ? content : content.toString('utf8'))
    : readXlsxTable(typeof content === 'string' ? Buffer.from(content, 'base64') : content);
}

/** CSV through papaparse, with the file's own line numbers (quoted cells may span lines). */
export function readCsvTable(text: string): Table {
  const table: Table = { columns: [], rows: [], errors: [] };
  let header: string[] | undefined;
  let newlines = 0;
  let counted = 0;
  let cursor = 0;
  const source = text.replace(/^\uFEFF/, '');
  Papa.parse<string[]>(source, {
    skipEmptyLines: 'greedy',
    step(result) {
      const start = firstNonNewline(source, cursor);
      cursor = result.meta.cursor;
      newlines += countNewlines(source, counted, start);
      counted = start;
      const line = newlines + 1;
      const cells = result.data;
      if (!header) {
        header = table.columns = cells.map((c) => c.trim());
        return;
      }
      if (result.errors.length)
        return void table.errors.push({ line, message: result.errors[0].message, cells });
      if (cells.length !== header.length)
        return void table.errors.push({
          line,
          message: `has ${cells.length} cells, the header has ${header.length} columns`,
          cells,
        });
      table.rows.push({ line, cells });
    },
  });
  return table;
}

/** The first sheet of an .xlsx workbook; cells as the text Excel shows (dates as YYYY-MM-DD). */
export async function readXlsxTable(data: Buffer): Promise<Table> {
  // Loaded when a workbook arrives: CSV and JSON Lines servers never need it.
  const { readSheet } = await import('read-excel-file/node');
  let sheet: Cell[][];
  try {
    // Cells as stored: the header's names are trimmed below, data cells are the mapping's.
    // (Its CellValue type says `typeof Date` where the value is a Date.)
    sheet = (await readSheet(data, { trim: false })) as unknown as Cell[][];
  } catch (error) {
    throw new TableError(`not an Excel (.xlsx) workbook: ${(error as Error).message}`);
  }
  const table: Table = { columns: [], rows: [], errors: [] };
  // Each row of the sheet is at its index (empty ones too), so the line is the row's number.
  sheet.forEach((values, index) => {
    if (values.every((v) => cellText(v) === '')) return;
    if (!table.columns.length) {
      table.columns = values.map((v) => cellText(v).trim());
      return;
    }
    table.rows.push({ line: index + 1, cells: table.columns.map((_, i) => cellText(values[i])) });
  });
  return table;
}

/** A cell as read-excel-file gives it (its types are ESM-only, this package is CommonJS). */
type Cell = string | number | boolean | Date | null;

function cellText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** A file that is not a table of the format it claims. */
export class TableError extends Error {}

function firstNonNewline(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
