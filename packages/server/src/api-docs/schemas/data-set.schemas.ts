import { Label } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { DataSetColumnSchema } from '../../datasets/data-set-column.schema';
import { RefreshSpec as RefreshSpecBody } from '../../datasets/data-set-refresh.schema';
import { component } from '../components';
import { ProblemDetail } from '../problem.schema';
import { AnyObject, ListOf, Nullable, PageOf, Time } from './shared';

export const DataSetColumn = component('DataSetColumn', DataSetColumnSchema);

/** A version of a data set as it was written. */
export const DataSetVersion = component(
  'DataSetVersion',
  Type.Object({
    version: Type.Integer(),
    keyColumn: Type.String(),
    columns: Type.Array(DataSetColumn),
    rows: Type.Integer(),
    source: Nullable(Type.String()),
    createdAt: Time,
    createdBy: Type.String(),
  }),
);

/** A data set: its key, title and current version. */
export const DataSetSummary = component(
  'DataSetSummary',
  Type.Object({
    key: Type.String(),
    title: Label,
    version: Type.Integer(),
    keyColumn: Type.String(),
    columns: Type.Array(DataSetColumn),
    rows: Type.Integer(),
    source: Nullable(Type.String()),
    updatedAt: Time,
    updatedBy: Type.String(),
  }),
);

export const DataSetList = component('DataSetList', ListOf(DataSetSummary));

/** How a data set is refreshed from a connector (the body of `PUT …/refresh`). */
export const RefreshSpec = component('RefreshSpec', RefreshSpecBody);

/** One run of a refresh. */
export const RefreshRun = component(
  'RefreshRun',
  Type.Object({
    at: Time,
    outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
    message: Type.String(),
    version: Nullable(Type.Integer()),
    errors: Type.Array(Type.Unknown()),
  }),
);

/** A data set's refresh: what it calls, when it runs next, how its last run went. */
export const DataSetRefresh = component(
  'DataSetRefresh',
  Type.Object({
    dataSet: Type.String(),
    spec: RefreshSpec,
    updatedAt: Time,
    updatedBy: Type.String(),
    nextRunAt: Nullable(Time),
    lastRun: Nullable(RefreshRun),
  }),
);

/** A data set with every version (newest first) and its refresh. */
export const DataSetView = component(
  'DataSetView',
  Type.Composite([
    DataSetSummary,
    Type.Object({ versions: Type.Array(DataSetVersion), refresh: Nullable(DataSetRefresh) }),
  ]),
);

/** A page of a version's rows in key order. */
export const DataSetRows = component(
  'DataSetRows',
  Type.Composite([
    Type.Object({ version: Type.Integer() }),
    PageOf(Type.Object({ key: Type.String(), values: AnyObject })),
  ]),
);

/** An upload's answer: what was written (or would be, `dryRun`), compared with the current version. */
export const DataSetUpload = component(
  'DataSetUpload',
  Type.Object({
    dataset: DataSetSummary,
    written: Type.Boolean(),
    unchanged: Type.Boolean(),
    preview: Type.Array(
      Type.Object({ line: Type.Optional(Type.Integer()), key: Type.String(), values: AnyObject }),
    ),
    diff: Type.Object({
      added: Type.Integer(),
      removed: Type.Integer(),
      changed: Type.Integer(),
      unchanged: Type.Integer(),
      samples: Type.Array(AnyObject),
    }),
    errors: Type.Array(ProblemDetail),
  }),
);
