import type { DataSetRow } from '@ordo/engine';

/** One row that differs between two versions. */
export interface RowChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  before?: DataSetRow;
  after?: DataSetRow;
}

/** What a new version changes: counts, and the first rows that differ. */
export interface DataSetDiff {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  samples: RowChange[];
}

const SAMPLES = 20;

/** Whether two rows hold the same values (same columns, same JSON values). */
export function sameRow(a: DataSetRow, b: DataSetRow): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The rows added, removed and changed from `before` to `after`, by key. */
export function diffRows(
  before: ReadonlyMap<string, DataSetRow>,
  after: ReadonlyMap<string, DataSetRow>,
): DataSetDiff {
  const diff: DataSetDiff = { added: 0, removed: 0, changed: 0, unchanged: 0, samples: [] };
  const sample = (change: RowChange) => {
    if (diff.samples.length < SAMPLES) diff.samples.push(change);
  };
  for (const [key, row] of after) {
    const old = before.get(key);
    if (!old) {
      diff.added++;
      sample({ key, change: 'added', after: row });
    } else if (sameRow(old, row)) diff.unchanged++;
    else {
      diff.changed++;
      sample({ key, change: 'changed', before: old, after: row });
    }
  }
  for (const [key, row] of before)
    if (!after.has(key)) {
      diff.removed++;
      sample({ key, change: 'removed', before: row });
    }
  return diff;
}
