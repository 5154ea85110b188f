import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { FlowDocument } from '../flow-document.schema';
import { AnyObject, ListOf, Nullable, Time } from './shared';

/** A problem the validation found in a flow document. */
export const FlowProblem = component(
  'FlowProblem',
  Type.Object({
    path: Type.String({ description: 'JSON pointer into the document' }),
    code: Type.String(),
    message: Type.String(),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
    explanation: Type.Optional(AnyObject),
  }),
);

/** `POST /api/flows/validate`: whether the document may be published, and why not. */
export const FlowValidation = component(
  'FlowValidation',
  Type.Object({ ok: Type.Boolean(), problems: Type.Array(FlowProblem) }),
);

/** A published version without its document. */
export const FlowVersionSummary = component(
  'FlowVersionSummary',
  Type.Object({
    flow: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    note: Nullable(Type.String()),
    publishedAt: Time,
    publishedBy: Nullable(Type.String()),
  }),
);

/** A published, immutable version with its document. */
export const FlowVersion = component(
  'FlowVersion',
  Type.Composite([FlowVersionSummary, Type.Object({ document: FlowDocument })]),
);

/** A flow in the list. */
export const FlowSummary = component(
  'FlowSummary',
  Type.Object({
    key: Type.String(),
    name: Type.Unknown({ description: 'a string or { language: text }' }),
    latestVersion: Nullable(Type.Integer()),
    draftValid: Type.Boolean(),
    updatedAt: Time,
  }),
);

export const FlowList = component('FlowList', ListOf(FlowSummary));

/** A flow: its draft (possibly invalid) with problems, the latest published document, the versions. */
export const FlowView = component(
  'FlowView',
  Type.Object({
    key: Type.String(),
    name: Type.Unknown(),
    draft: Type.Unknown({ description: 'the draft document as saved (may be invalid)' }),
    problems: Type.Array(FlowProblem),
    valid: Type.Boolean(),
    latestVersion: Nullable(Type.Integer()),
    latest: Type.Union([FlowDocument, Type.Null()]),
    versions: Type.Array(FlowVersionSummary),
    updatedAt: Time,
    updatedBy: Nullable(Type.String()),
  }),
);

/** `POST /api/flows/:key/publish`. */
export const FlowPublished = component(
  'FlowPublished',
  Type.Object({
    key: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    publishedAt: Time,
    note: Nullable(Type.String()),
    warnings: Type.Array(FlowProblem),
  }),
);

const MigrationGroup = {
  fromVersion: Type.Integer(),
  state: Type.String(),
  count: Type.Integer(),
};

/** `POST /api/flows/:key/migrate`: what moved (or would, `dryRun`) and what could not. */
export const FlowMigration = component(
  'FlowMigration',
  Type.Object({
    flow: Type.String(),
    toVersion: Type.Integer(),
    dryRun: Type.Boolean(),
    moved: Type.Array(Type.Object({ ...MigrationGroup, to: Type.String() })),
    notMoved: Type.Array(Type.Object({ ...MigrationGroup, reason: Type.String() })),
    problems: Type.Array(AnyObject),
  }),
);

/** `POST /api/flows/:key/replay`: recent orders replayed on the draft or a version. */
export const FlowReplay = component(
  'FlowReplay',
  Type.Object({
    flow: Type.String(),
    against: Type.Union([Type.Literal('draft'), Type.Integer()]),
    replayed: Type.Integer(),
    same: Type.Integer(),
    different: Type.Array(
      Type.Object({
        orderId: Type.String(),
        same: Type.Boolean(),
        recorded: Type.Object({ state: Type.String() }),
        replayed: Nullable(Type.Object({ state: Type.String() })),
        refused: Type.Optional(AnyObject),
        parted: Type.Optional(AnyObject),
        dataDiffers: Type.Optional(Type.Boolean()),
      }),
    ),
  }),
);
