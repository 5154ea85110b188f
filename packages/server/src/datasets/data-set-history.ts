import type { DataSetRow, DataSets, HistoryEntry } from '@ordo/engine';
import type { DataSetSnapshot } from './data-set-store';
import type { DataSetsRepository } from './data-sets.repository';

/**
 * The data sets as past changes saw them, for a replay: each history entry reads the versions
 * it recorded (`entry.dataSets`), and any other set at its current version (a draft may read
 * a set the recorded flow did not). Load the versions the entries name first (`load`).
 */
export class DataSetHistory {
  private readonly versions = new Map<string, ReadonlyMap<string, DataSetRow>>();

  constructor(
    private readonly repository: DataSetsRepository,
    private readonly current: DataSetSnapshot,
  ) {}

  /** Loads every version the entries recorded (each once). */
  async load(entries: readonly HistoryEntry[]): Promise<void> {
    for (const entry of entries)
      for (const [name, version] of Object.entries(entry.dataSets ?? {})) {
        const id = `${name}@${version}`;
        if (!this.versions.has(id))
          this.versions.set(id, await this.repository.rowsAt(name, version));
      }
  }

  /** The data sets the entry's change read. */
  at(entry: HistoryEntry): DataSets {
    const entries = entry.dataSets ?? {};
    const recorded = (name: string) => (Object.hasOwn(entries, name) ? entries[name] : undefined);
    const table = (name: string) => {
      const version = recorded(name);
      return version === undefined ? undefined : this.versions.get(`${name}@${version}`);
    };
    return {
      row: (name, key) => (table(name) ?? this.current.table(name))?.get(key),
      version: (name) => recorded(name) ?? this.current.version(name),
      table: (name) => table(name) ?? this.current.table(name),
    };
  }
}
