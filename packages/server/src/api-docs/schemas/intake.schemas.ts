import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { AnyObject, Nullable } from './shared';

/** A row (or a line of an order) an import refused, at its line and column. */
export const RowProblem = component(
  'RowProblem',
  Type.Object({
    line: Type.Integer(),
    column: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    code: Type.String(),
    message: Type.String(),
  }),
);

/** An import's report: what it read, refused and imported (or, `dryRun`, would import). */
export const ImportReport = component(
  'ImportReport',
  Type.Object({
    flow: Type.String(),
    version: Type.Optional(Type.Integer()),
    rows: Type.Integer({ description: "the file's rows" }),
    valid: Type.Integer({ description: 'orders that can be imported' }),
    refused: Type.Array(RowProblem),
    imported: Type.Integer({ description: 'orders imported (0 with dryRun)' }),
    columns: Type.Optional(Type.Array(Type.String())),
    mapping: Type.Optional(Type.Record(Type.String(), Nullable(Type.String()))),
    preview: Type.Optional(
      Type.Array(
        Type.Object({
          line: Type.Integer(),
          rows: Type.Optional(Type.Array(Type.Integer())),
          externalRef: Nullable(Type.String()),
          data: AnyObject,
          state: Type.String(),
        }),
      ),
    ),
  }),
);

/** The answer to a signed inbound delivery. */
export const HookAnswer = component(
  'HookAnswer',
  Type.Union([
    Type.Object({
      outcome: Type.Union([
        Type.Literal('created'),
        Type.Literal('fired'),
        Type.Literal('unchanged'),
      ]),
      orderId: Type.String(),
      state: Type.String(),
      version: Type.Integer(),
    }),
    Type.Object({
      outcome: Type.Literal('unmatched'),
      reference: Type.Unknown(),
      exceptionId: Type.Integer(),
    }),
  ]),
);
