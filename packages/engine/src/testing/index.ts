/** Helpers for tests of code that uses the engine (not part of the runtime API). */
import type { EngineContext } from '../order';
import { type DataSetRow, type DataSets, dataSetRow } from '../rules/data-sets';

export { standardOrderFlow } from './sample-flows';

/** A fixed context: a clock at `now`, an admin actor, and an optional order id. */
export function testContext(overrides: Partial<EngineContext> = {}): EngineContext {
  return { now: '2026-01-01T00:00:00.000Z', actor: { id: 'test', roles: ['admin'] }, ...overrides };
}

/** Data sets held in memory: per name, a version and the rows by key. */
export function memoryDataSets(
  sets: Record<string, { version: number; rows: Record<string, DataSetRow> }>,
): DataSets {
  const tables = new Map(
    Object.entries(sets).map(([name, s]) => [
      name,
      { ...s, rows: new Map(Object.entries(s.rows).map(([k, row]) => [k, dataSetRow(row)])) },
    ]),
  );
  return {
    row: (name, key) => tables.get(name)?.rows.get(key),
    version: (name) => tables.get(name)?.version,
    table: (name) => tables.get(name)?.rows,
  };
}
