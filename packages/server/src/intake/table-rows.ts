import { type Field, jsonPointer, pathSegments, unsafeMessage, unsafeSegment } from '@ordo/engine';
import type { ProblemDetail } from '../problems/api-problem';
import { findJsonHazard } from '../problems/json-guard';
import { lineTarget, lineTargetFault } from './line-targets';
import type { Table } from './table-file';

/** Where a column goes: a dot path into the order data, `externalRef`, or nowhere (null). */
export type ColumnMapping = Record<string, string | null>;

/**
 * One row to import: its order data (and reference), or why it could not be read. A row of a
 * sheet with one row per order line names its `lineArrays` (the dot paths of the arrays its
 * line goes to): rows with the same reference are then one order (see order-groups.ts).
 */
export type ImportRow =
  | { line: number; data: Record<string, unknown>; externalRef?: string; lineArrays?: string[] }
  | {
      line: number;
      error: string;
      column?: string;
      path?: string;
      code?: string;
      externalRef?: string;
    };

/** The column that holds the order's external reference when no mapping says otherwise. */
export const EXTERNAL_REF = 'externalRef';

/** The field at a dot path (`customer.id`, `lines.0.qty`, `lines[].qty`), if the flow has one. */
export function fieldAt(fields: readonly Field[], segments: string[]): Field | undefined {
  let list: readonly Field[] | undefined = fields;
  let field: Field | undefined;
  for (let i = 0; i < segments.length; i++) {
    field = list?.find((f) => f.key === segments[i].replace(/\[\]$/, ''));
    if (field?.type === 'array' && segments[i].endsWith('[]')) {
      list = field.items;
      continue;
    }
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

/** A cell as the value its field's type wants; cells that cannot convert stay strings. */
function convert(cell: string, field: Field | undefined, column: string): unknown {
  const type = field?.type;
  const trimmed = cell.trim();
  if (type === 'number' || type === 'integer')
    return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : cell;
  if (type === 'boolean') {
    const lower = trimmed.toLowerCase();
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : cell;
  }
  if (type === 'object' || type === 'array' || type === 'money') {
    let value: unknown;
    try {
      value = JSON.parse(cell);
    } catch {
      throw new ColumnError(column, `expected JSON for the ${type} field ${field?.key}`);
    }
    const hazard = findJsonHazard(value);
    if (hazard) throw new ColumnError(column, `${hazard.path || '/'}: ${hazard.message}`);
    return value;
  }
  if (column.endsWith('.amount') && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return cell;
}

class ColumnError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

/** Writes at the path's segments (already checked by pathSegments), reading own slots only. */
function setDeep(target: Record<string, unknown>, segments: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const slot = Object.hasOwn(node, key) ? node[key] : undefined;
    if (slot === undefined || slot === null || typeof slot !== 'object')
      node[key] = /^\d+$/.test(segments[i + 1]) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[segments[segments.length - 1]] = value;
}

/** Each column's target: the mapping's, else the column's own name (a dot path). */
export function resolveMapping(columns: string[], mapping: ColumnMapping = {}) {
  return columns.map((column) => (Object.hasOwn(mapping, column) ? mapping[column] : column));
}

/**
 * Targets that go through `__proto__`, `constructor` or `prototype`, or misuse the per-line
 * `[]` (`bad_target`): a mapping's (at
 * `/mapping/<column>`) or a header's own name (in `/content`, at line 1 and its column).
 * Such a file is refused whole: every row would write through the prototype.
 */
export function unsafeTargets(columns: string[], mapping: ColumnMapping = {}): ProblemDetail[] {
  const targets = resolveMapping(columns, mapping);
  return columns.flatMap((column, i) => {
    const target = targets[i];
    if (target === null) return [];
    const segment = unsafeSegment(target);
    const fault = segment === undefined ? lineTargetFault(target) : unsafeMessage(target, segment);
    if (fault === undefined) return [];
    const mapped = Object.hasOwn(mapping, column);
    return [
      {
        path: mapped ? jsonPointer(['mapping', column]) : '/content',
        code: segment === undefined ? 'bad_target' : 'unsafe_path',
        message: `${mapped ? `the mapping of column "${column}"` : `line 1, column ${i + 1} ("${column}")`}: ${fault}`,
      },
    ];
  });
}

/**
 * The rows of a table as orders: each column written at its target path (typed by the flow's
 * fields: numbers, booleans, JSON for object/array/money columns); empty cells left out; the
 * `externalRef` column as the order's reference. Per-line targets (`lines[].sku`) make each
 * row's cells for them one element of that array, and mark the row groupable by reference.
 */
export function tableToRows(
  table: Table,
  fields: readonly Field[],
  mapping?: ColumnMapping,
): ImportRow[] {
  const targets = resolveMapping(table.columns, mapping);
  const refColumn = targets.indexOf(EXTERNAL_REF);
  const perLine = targets.map((t) => (t === null ? undefined : lineTarget(t)));
  const lineArrays = [...new Set(perLine.flatMap((t) => (t ? [t.array] : [])))];
  const rows: ImportRow[] = table.errors.map((e) => {
    const ref = refColumn >= 0 ? e.cells?.[refColumn]?.trim() : undefined;
    return { line: e.line, error: e.message, ...(ref && { externalRef: ref }) };
  });
  for (const { line, cells } of table.rows) {
    const data: Record<string, unknown> = {};
    const items = new Map<string, Record<string, unknown>>();
    const externalRef = refColumn >= 0 ? cells[refColumn].trim() || undefined : undefined;
    try {
      targets.forEach((target, i) => {
        const cell = cells[i];
        if (target === null || target === EXTERNAL_REF || cell === '') return;
        const split = perLine[i];
        const segments = split ? pathSegments(split.inner) : pathSegments(target);
        const field = fieldAt(
          fields,
          split ? [...pathSegments(split.array), '0', ...segments] : segments,
        );
        const value = convert(cell, field, table.columns[i]);
        if (!split) return setDeep(data, segments, value);
        if (!items.has(split.array)) items.set(split.array, {});
        setDeep(items.get(split.array)!, segments, value);
      });
      for (const [array, item] of items) setDeep(data, pathSegments(array), [item]);
      rows.push({
        line,
        data,
        ...(externalRef && { externalRef }),
        ...(lineArrays.length && { lineArrays }),
      });
    } catch (error) {
      rows.push({
        line,
        error: (error as Error).message,
        ...(error instanceof ColumnError && { column: error.column }),
        ...(externalRef && { externalRef }),
      });
    }
  }
  return rows.sort((a, b) => a.line - b.line);
}

/**
 * JSON Lines: each non-empty line one order — its data, or `{ externalRef, data }`; lines that
 * share a reference are one order, their arrays (order lines) joined (see order-groups.ts). A line
 * whose value nests too deep or carries a NUL, a non-finite number or a `__proto__` key is
 * refused at its line and path.
 */
export function readJsonLines(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const content = raw.trim();
    if (!content) return;
    try {
      const value = JSON.parse(content);
      const hazard = findJsonHazard(value);
      if (hazard)
        rows.push({
          line: i + 1,
          error: `${hazard.path}: ${hazard.message}`,
          path: hazard.path,
          code: hazard.code,
        });
      else if (value === null || typeof value !== 'object' || Array.isArray(value))
        rows.push({ line: i + 1, error: 'each line must be a JSON object' });
      else if (
        typeof value.externalRef === 'string' &&
        value.data &&
        typeof value.data === 'object'
      ) {
        const arrays = Object.keys(value.data).filter((k) => Array.isArray(value.data[k]));
        rows.push({
          line: i + 1,
          data: value.data,
          externalRef: value.externalRef,
          ...(arrays.length && { lineArrays: arrays }),
        });
      } else rows.push({ line: i + 1, data: value });
    } catch (error) {
      rows.push({ line: i + 1, error: `invalid JSON: ${(error as Error).message}` });
    }
  });
  return rows;
}
