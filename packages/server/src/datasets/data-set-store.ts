import { Injectable } from '@nestjs/common';
import type { DataSetRow, DataSets, DataSetTable } from '@ordo/engine';
import { DataSetsRepository } from './data-sets.repository';

/** One version of one data set, held in memory. */
interface Table {
  version: number;
  rows: ReadonlyMap<string, DataSetRow>;
}

/** How long a check of the current versions holds: another process's write shows within it. */
const FRESH_MS = 1_000;

/** The current version of every data set, as it was when taken: never changes afterwards. */
export class DataSetSnapshot implements DataSets {
  constructor(private readonly tables: ReadonlyMap<string, Table>) {}

  row(name: string, key: string): DataSetRow | undefined {
    return this.tables.get(name)?.rows.get(key);
  }

  version(name: string): number | undefined {
    return this.tables.get(name)?.version;
  }

  table(name: string): DataSetTable | undefined {
    return this.tables.get(name)?.rows;
  }

  /** The rows of a set, for a diff against a new version (empty for no set). */
  rowsOf(name: string): ReadonlyMap<string, DataSetRow> {
    return this.tables.get(name)?.rows ?? new Map();
  }
}

/**
 * The data sets one change reads: a snapshot, and the version of each set the change's rules
 * looked a row up in — recorded in the change's history (`HistoryEntry.dataSets`).
 */
export class DataSetReads implements DataSets {
  private readonly used = new Map<string, number>();

  constructor(private readonly snapshot: DataSetSnapshot) {}

  row(name: string, key: string): DataSetRow | undefined {
    const version = this.snapshot.version(name);
    if (version !== undefined) this.used.set(name, version);
    return this.snapshot.row(name, key);
  }

  version(name: string): number | undefined {
    return this.snapshot.version(name);
  }

  /** A compiled rule's whole table: counted as read (it resolves the sets its lookups name). */
  table(name: string): DataSetTable | undefined {
    const version = this.snapshot.version(name);
    if (version !== undefined) this.used.set(name, version);
    return this.snapshot.table(name);
  }

  /** The versions read, by set name; undefined when the change read none. */
  versions(): Record<string, number> | undefined {
    return this.used.size ? Object.fromEntries(this.used) : undefined;
  }
}

/**
 * Every data set's current version in memory, so that a rule's `lookup` is a Map read. A
 * write in this process installs its version at once; others are seen by comparing the
 * versions in the database at most once a second (one small query), then loading what changed.
 * Loaded on the first snapshot, so a CLI command that reads no data set never loads them;
 * `ordo start` loads them before it listens.
 */
@Injectable()
export class DataSetStore {
  private current = new DataSetSnapshot(new Map());
  private tables = new Map<string, Table>();
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking?: Promise<void>;
  /** When this process last wrote or deleted each set: a check begun before that is older. */
  private readonly touched = new Map<string, number>();

  constructor(private readonly repository: DataSetsRepository) {}

  /** The current versions (checked against the database when the last check is over a second old). */
  async snapshot(): Promise<DataSetSnapshot> {
    if (performance.now() - this.checkedAt > FRESH_MS) await this.refresh();
    return this.current;
  }

  /** Checks the database now (one refresh at a time; callers meanwhile wait for it). */
  refresh(): Promise<void> {
    this.checking ??= this.load().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** A version this process has just written: in use from now on. */
  install(name: string, version: number, rows: ReadonlyMap<string, DataSetRow>): void {
    this.touched.set(name, performance.now());
    // A newer version another process wrote may be here already (versions never repeat).
    if ((this.tables.get(name)?.version ?? 0) > version) return;
    this.tables.set(name, { version, rows });
    this.current = new DataSetSnapshot(new Map(this.tables));
  }

  /** A set this process has just deleted. */
  remove(name: string): void {
    this.touched.set(name, performance.now());
    if (this.tables.delete(name)) this.current = new DataSetSnapshot(new Map(this.tables));
  }

  private async load(): Promise<void> {
    const started = performance.now();
    const stamps = await this.repository.stamps();
    // This process wrote or deleted the set after the check began: what it holds is newer.
    const newer = (name: string) => (this.touched.get(name) ?? -Infinity) > started;
    let changed = false;
    for (const name of [...this.tables.keys()])
      if (!stamps.has(name) && !newer(name)) {
        this.tables.delete(name);
        changed = true;
      }
    for (const [name, version] of stamps) {
      if (this.tables.get(name)?.version === version || newer(name)) continue;
      const rows = await this.repository.rowsAt(name, version);
      if (newer(name)) continue;
      this.tables.set(name, { version, rows });
      changed = true;
    }
    if (changed) this.current = new DataSetSnapshot(new Map(this.tables));
    this.checkedAt = started;
  }
}
