import { api, type ProblemError } from '../../api';
import type { Label } from '@ordo/engine';
import type { DataSetFormat } from '../../model/dataset-file';

/** A column of a data set and the type its cells hold. */
export interface DataSetColumn {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'date';
}

/** A data set as `GET /api/datasets` lists it (its current version). */
export interface DataSet {
  key: string;
  /** A string, or one per language (as a template deploys it). */
  title: Label;
  version: number;
  keyColumn: string;
  columns: DataSetColumn[];
  rows: number;
  updatedAt: string;
  updatedBy: string;
  source?: string | null;
}

/** One stored version (newest first in `GET /api/datasets/:key`). */
export interface DataSetVersion {
  version: number;
  rows: number;
  createdAt: string;
  createdBy: string;
  source?: string | null;
}

/** A row: its key and its cells by column. */
export interface DataSetRow {
  key: string;
  values: Record<string, unknown>;
}

/** The answer to an upload (or its dry run). */
export interface UploadAnswer {
  dataset: DataSet;
  written: boolean;
  unchanged: boolean;
  preview: (DataSetRow & { line?: number })[];
  diff: {
    added: number;
    removed: number;
    changed: number;
    unchanged: number;
    samples: {
      key: string;
      change: 'added' | 'removed' | 'changed';
      before?: Record<string, unknown>;
      after?: Record<string, unknown>;
    }[];
  };
  /** With `dryRun`: every row or cell a write would refuse (a write answers 422 instead). */
  errors?: ProblemError[];
}

/** What an upload sends: the file and what to make of it. */
export interface UploadBody {
  format: DataSetFormat;
  content: string;
  keyColumn?: string;
  title?: string;
  source?: string;
  dryRun?: boolean;
}

/** How a data set is refreshed from a connector (`PUT /api/datasets/:key/refresh`). */
export interface RefreshSpec {
  flow: string;
  connector: string;
  action?: string;
  input: Record<string, unknown>;
  rows: string;
  every?: string;
  cron?: string;
  keyColumn?: string;
  title?: Label;
}

/** A data set's refresh: the spec, the next run, the last run's outcome. */
export interface DataSetRefresh {
  dataSet: string;
  spec: RefreshSpec;
  nextRunAt: string | null;
  lastRun: {
    at: string;
    outcome: 'ok' | 'failed';
    message: string;
    version: number | null;
    errors: unknown[];
  } | null;
}

const path = (key: string) => `/datasets/${encodeURIComponent(key)}`;

/** The calls of the data sets API (docs/api.md). */
export const dataSetsApi = {
  list: () => api<{ items: DataSet[] }>('GET', '/datasets').then((r) => r.items),
  get: (key: string) =>
    api<DataSet & { versions: DataSetVersion[]; refresh: DataSetRefresh | null }>('GET', path(key)),
  rows(key: string, query: { version?: number; q?: string; limit?: number; cursor?: string }) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined && value !== '') params.set(name, String(value));
    return api<{ version: number; items: DataSetRow[]; nextCursor: string | null }>(
      'GET',
      `${path(key)}/rows?${params}`,
    );
  },
  upload: (key: string, body: UploadBody) => api<UploadAnswer>('PUT', path(key), body),
  remove: (key: string) => api<void>('DELETE', path(key)),
  setRefresh: (key: string, spec: Record<string, unknown>) =>
    api<DataSetRefresh>('PUT', `${path(key)}/refresh`, spec),
  stopRefresh: (key: string) => api<void>('DELETE', `${path(key)}/refresh`),
  runRefresh: (key: string) => api<unknown>('POST', `${path(key)}/refresh/run`),
};

/** A cell as text: JSON for anything not a string, empty for a missing one. */
export const cellText = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
