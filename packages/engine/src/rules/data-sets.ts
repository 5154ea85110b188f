/**
 * Reference data for rules: named, versioned tables with a key column (a drug-code catalogue,
 * SKU → bin, clinics and their licences). The caller provides them with the engine context
 * (`ctx.dataSets`); a rule reads them with `{"lookup": [set, key, column?]}`. The engine keeps
 * no table itself and reads nothing but what it is given, so a rule stays a pure function of
 * its scope.
 */

/**
 * A row of a data set: its columns' values, as a frozen object that inherits nothing (make one
 * with `dataSetRow`). A compiled rule reads a column as a plain property, which is only safe
 * because nothing can be inherited.
 */
export type DataSetRow = Readonly<Record<string, unknown>>;

/**
 * The prototype of every row: empty, frozen, itself without a prototype, so a row inherits
 * nothing. (A row with no prototype at all would do the same, but V8 keeps such objects as
 * hash tables; over this one, rows with the same columns share one hidden class and a compiled
 * rule reads a column as one field load.)
 */
const ROW: object = Object.freeze(Object.create(null) as object);

/** A row as data sets hand them out: a frozen copy of `values`' own columns, inheriting nothing. */
export function dataSetRow(values: Readonly<Record<string, unknown>>): DataSetRow {
  return Object.freeze(Object.assign(Object.create(ROW) as Record<string, unknown>, values));
}

/** Whether `row` inherits nothing: made by `dataSetRow`, or without a prototype. */
export function isDataSetRow(row: object): boolean {
  const proto: unknown = Object.getPrototypeOf(row);
  return proto === ROW || proto === null;
}

const asRow = (row: DataSetRow | undefined) =>
  row === undefined || isDataSetRow(row) ? row : dataSetRow(row);

/** The data sets a rule may read: one consistent version of each. */
export interface DataSets {
  /**
   * The row under `key` in the set `name`; undefined when the set has no such row (or no set).
   * A row that inherits anything is copied before a rule reads it.
   */
  row(name: string, key: string): DataSetRow | undefined;
  /** The version of the set `name` these reads see; undefined when there is no such set. */
  version(name: string): number | undefined;
  /**
   * The rows of the set `name` by key, when the sets can hand a whole table out: a compiled
   * rule then resolves each set it names once per call instead of once per lookup.
   */
  table?(name: string): DataSetTable | undefined;
}

/**
 * A set's rows by key; every row made by `dataSetRow` (or without a prototype). A table handed
 * out never changes: a new version of the set is a new table (the index below relies on it).
 */
export interface DataSetTable {
  get(key: string): DataSetRow | undefined;
}

/** A table's rows as the properties of an object that inherits nothing. */
export type DataSetIndex = Readonly<Record<string, DataSetRow | undefined>>;

const indexes = new WeakMap<DataSetTable, DataSetIndex>();

/**
 * The rows of a `Map` table as an object without a prototype, made once per table: V8 finds a
 * text key among an object's properties several times faster than `Map.get` finds it (bench
 * "lookup" in bench/README.md). Tables that are not Maps have no index and are read by `get`.
 */
export function indexOf(table: DataSetTable | undefined): DataSetIndex | undefined {
  if (!(table instanceof Map)) return undefined;
  let index = indexes.get(table);
  if (!index) {
    const rows = Object.create(null) as Record<string, DataSetRow>;
    for (const [key, row] of table as Map<string, DataSetRow>) rows[key] = row;
    indexes.set(table, (index = rows));
  }
  return index;
}

/** The row under `key` (any key `lookupKey` takes) in `table`, if both exist. */
export function rowOf(table: DataSetTable | undefined, key: unknown): DataSetRow | undefined {
  const k = lookupKey(key);
  return table === undefined || k === undefined ? undefined : table.get(k);
}

/** The table of the set `name`: handed out by the sets, or read through `row`. */
export function tableOf(sets: DataSets | undefined, name: unknown): DataSetTable | undefined {
  if (!sets || typeof name !== 'string') return undefined;
  if (sets.table) return sets.table(name);
  return { get: (key) => asRow(sets.row(name, key)) };
}

/**
 * Where a rule scope carries its data sets: a symbol, so that no `var` path, no merge patch
 * and no JSON of the scope can reach or show them.
 */
export const DATA_SETS: unique symbol = Symbol('ordo.dataSets');

/** The data sets a rule scope carries, if any. */
export function dataSetsOf(scope: unknown): DataSets | undefined {
  return scope !== null && typeof scope === 'object'
    ? (scope as { [DATA_SETS]?: DataSets })[DATA_SETS]
    : undefined;
}

/** A key as data sets store it: text. Numbers are written as JSON writes them; others match nothing. */
export function lookupKey(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  return undefined;
}

/**
 * `{"lookup": [set, key, column]}`: the column's value in the row under `key`, null when the
 * row (or the column) is absent; without a column: whether the row exists.
 */
export function lookup(
  sets: DataSets | undefined,
  name: unknown,
  key: unknown,
  column?: unknown,
): unknown {
  const k = lookupKey(key);
  const row = sets && typeof name === 'string' && k !== undefined ? sets.row(name, k) : undefined;
  return columnOf(asRow(row), column);
}

function columnOf(row: DataSetRow | undefined, column: unknown): unknown {
  if (column === undefined) return row !== undefined;
  if (row === undefined || typeof column !== 'string') return null;
  return row[column] ?? null;
}
