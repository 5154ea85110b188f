import { Duration, Label } from '@ordo/engine';
import { Type, type Static } from '@sinclair/typebox';
import { DataSetColumnSchema } from './data-set-column.schema';

/**
 * How a data set is refreshed from another system: which connector instance (of which flow)
 * is called with which action and input, where the rows are in its answer, and how often.
 * The body of `PUT /api/datasets/:key/refresh`, and what is stored.
 */
export const RefreshSpec = Type.Object(
  {
    /** The flow whose connector instance (settings and credential) is used: its latest version. */
    flow: Type.String({ minLength: 1, maxLength: 64 }),
    connector: Type.String({ minLength: 1, maxLength: 64 }),
    /** The connector's action (default `request`, the HTTP connector's). */
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** The action's input, e.g. `{ "path": "/master/bins" }`. */
    input: Type.Record(Type.String(), Type.Unknown()),
    /** JSON pointer to the array of row objects in the action's answer (`/body/data/bins`). */
    rows: Type.String({ pattern: '^(/.*)?$', maxLength: 500 }),
    /**
     * Field names of the answer's rows renamed to the data set's columns (`{ "bin":
     * "primaryBin" }`): the other system's names need not be the ones the rules read.
     */
    rename: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.String({ maxLength: 100 }), {
        maxProperties: 200,
      }),
    ),
    /** Exactly one of `every` (an ISO-8601 duration of at least a minute) and `cron` (UTC). */
    every: Type.Optional(Duration),
    cron: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    keyColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    columns: Type.Optional(Type.Array(DataSetColumnSchema, { maxItems: 200 })),
    title: Type.Optional(Label),
  },
  { additionalProperties: false },
);
export type RefreshSpec = Static<typeof RefreshSpec>;

/** The last run of a refresh, as the API shows it. */
export interface RefreshRun {
  at: string;
  outcome: 'ok' | 'failed';
  message: string;
  /** The version written; null when the answer held the current rows or the run failed. */
  version: number | null;
  /** The per-row errors of a refused answer (line = the row's place in the list + 1). */
  errors: unknown[];
}

/** A data set's refresh: what it calls, when it runs next, how its last run went. */
export interface DataSetRefresh {
  dataSet: string;
  spec: RefreshSpec;
  updatedAt: string;
  updatedBy: string;
  nextRunAt: string | null;
  lastRun: RefreshRun | null;
}
