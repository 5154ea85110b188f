import type { DataSetRow, Label } from '@ordo/engine';

/** What a column holds; cells are checked and converted to it (the key column is always text). */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface DataSetColumn {
  name: string;
  type: ColumnType;
}

/** A version of a data set as it was written. */
export interface DataSetVersion {
  version: number;
  keyColumn: string;
  columns: DataSetColumn[];
  rows: number;
  source: string | null;
  createdAt: string;
  createdBy: string;
}

/** A data set: its key, title and current version. */
export interface DataSetSummary extends Omit<DataSetVersion, 'createdAt' | 'createdBy'> {
  key: string;
  /** Shown in the designer: a string, or one per language (`{ en, zh-CN }`). */
  title: Label;
  updatedAt: string;
  updatedBy: string;
}

/** A table of rows by key, with the file line each came from. */
export interface KeyedRows {
  rows: Map<string, DataSetRow>;
  lines: Map<string, number>;
}

/** A cell or a row that cannot be taken, by line (and column) of the file. */
export interface RowError {
  line?: number;
  column?: string;
  code: string;
  message: string;
}
