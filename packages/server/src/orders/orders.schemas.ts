import { Type } from '@sinclair/typebox';
import { DbInteger } from '../problems/whole-numbers';

export const CreateOrderBody = Type.Object(
  {
    flow: Type.String({ minLength: 1, maxLength: 64 }),
    data: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the order data: the values of the flow fields',
    }),
    flowVersion: Type.Optional(
      DbInteger({ description: 'pin a published version (default: the latest)' }),
    ),
    channel: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_-]{0,31}$',
        description: 'where the order came from (default "api")',
      }),
    ),
    externalRef: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'the order id in the source system; unique per flow',
      }),
    ),
  },
  { additionalProperties: false },
);

export const FireEventBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 100 }),
    payload: Type.Optional(Type.Unknown()),
    expectedVersion: Type.Optional(
      DbInteger({
        description: 'answer 409 if the order is no longer at this version',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MergePatchBody = Type.Record(Type.String(), Type.Unknown(), {
  description: 'a JSON merge patch (RFC 7386) of the order data',
});

export const MigrateBody = Type.Object(
  {
    toVersion: DbInteger(),
    stateMap: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'old state → new state, for states the new version renamed or removed',
      }),
    ),
    dryRun: Type.Optional(
      Type.Boolean({ description: 'report what would move without moving anything' }),
    ),
  },
  { additionalProperties: false },
);

export const ReplayBody = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'most recent orders (default 50)' }),
    ),
    version: Type.Optional(DbInteger({ description: 'a published version instead of the draft' })),
  },
  { additionalProperties: false },
);

/** One event fired on many orders (a bulk action of the workbench). */
export const BulkEventBody = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: 500,
      uniqueItems: true,
    }),
    type: Type.String({ minLength: 1, maxLength: 100 }),
    payload: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
