import Papa from 'papaparse';
import type { Field } from '@ordo/engine';

/** One row of an import file: its data, or why it could not be read. */
export type ImportRow =
  | { line: number; data: Record<string, unknown> }
  | { line: number; error: string; column?: string };

/** The field at a dot path (`customer.id`, `lines.0.qty`), if the flow defines one. */
function fieldAt(fields: readonly Field[], segments: string[]): Field | undefined {
  let list: readonly Field[] | undefined = fields;
  let field: Field | undefined;
  for (let i = 0; i < segments.length; i++) {
    field = list?.find((f) => f.key === segments[i]);
    if (!field) return undefined;
    if (field.type === 'array' && i + 1 < segments.length && /^\d+$/.test(segments[i + 1])) {
      i++;
      list = field.items;
    } else list = field.fields;
  }
  return field;
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是']);
const FALSE = new Set(['false', 'no', 'n', '0', '否']);

/** A CSV cell as the value its field's type wants; cells that cannot convert stay strings. */
function convert(cell: string, field: Field | undefined, column: string): unknown {
  const type = field?.type;
  if (type === 'number' || type === 'integer')
    return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell.trim()) ? Number(cell) : cell;
  if (type === 'boolean')
    return TRUE.has(cell.trim().toLowerCase())
      ? true
      : FALSE.has(cell.trim().toLowerCase())
        ? false
        : cell;
  if (type === 'object' || type === 'array' || type === 'money') {
    try {
      return JSON.parse(cell);
    } catch {
      throw new Error(`column ${column}: expected JSON for the ${type} field ${field?.key}`);
    }
  }
  if (column.endsWith('.amount') && /^-?\d+$/.test(cell.trim())) return Number(cell); // money.amount
  return cell;
}

function setDeep(target: Record<string, unknown>, segments: string[], value: unknown): void {
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const nextIsIndex = /^\d+$/.test(segments[i + 1]);
    const slot = (node as Record<string, unknown>)[key];
    if (slot === undefined || slot === null || typeof slot !== 'object')
      (node as Record<string, unknown>)[key] = nextIsIndex ? [] : {};
    node = (node as Record<string, unknown>)[key] as Record<string, unknown>;
  }
  (node as Record<string, unknown>)[segments[segments.length - 1]] = value;
}

/**
 * Reads a CSV export: the header names each column's dot path into the order data
 * (`customer.id`, `lines.0.sku`, `lines.0.qty`); cells are typed by the flow's fields
 * (numbers, booleans, JSON for object/array/money columns); empty cells are left out.
 * Line numbers are those of the file (the header is line 1).
 */
export function readCsv(text: string, fields: readonly Field[]): ImportRow[] {
  const rows: ImportRow[] = [];
  let header: string[] | undefined;
  let newlines = 0; // newlines before `counted`
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
        header = cells.map((c) => c.trim());
        return;
      }
      if (result.errors.length) return void rows.push({ line, error: result.errors[0].message });
      if (cells.length !== header.length)
        return void rows.push({
          line,
          error: `has ${cells.length} cells, the header has ${header.length} columns`,
        });
      const data: Record<string, unknown> = {};
      try {
        header.forEach((column, i) => {
          if (cells[i] === '') return;
          const segments = column.split('.');
          setDeep(data, segments, convert(cells[i], fieldAt(fields, segments), column));
        });
        rows.push({ line, data });
      } catch (error) {
        rows.push({ line, error: (error as Error).message });
      }
    },
  });
  return rows;
}

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

/** Reads JSON Lines: each non-empty line is one order's data object. */
export function readJsonLines(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const content = raw.trim();
    if (!content) return;
    try {
      const value = JSON.parse(content);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        rows.push({ line: i + 1, error: 'each line must be a JSON object' });
      else rows.push({ line: i + 1, data: value });
    } catch (error) {
      rows.push({ line: i + 1, error: `invalid JSON: ${(error as Error).message}` });
    }
  });
  return rows;
}
