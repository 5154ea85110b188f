import { Type, type Static } from '@sinclair/typebox';
import { Duration, Id } from './common.schema';

/**
 * Where each column of an intake goes: column (or source path) → a dot path into the order
 * data, a per-line target `lines[].sku` (one row per order line; rows grouped by reference),
 * `externalRef`, or null to skip it. One concept for file imports (`mapping` of
 * `POST /api/flows/:key/imports`) and pulls. A target through `__proto__`, `constructor` or
 * `prototype` is refused where it is used (lint `unsafe_path`; an import's 422).
 */
export const ColumnMapping = Type.Record(
  Type.String({ minLength: 1 }),
  Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
);
export type ColumnMapping = Static<typeof ColumnMapping>;

/**
 * `pull`: a scheduled intake reading new orders from another system (an ERP). Every `every`,
 * it asks `GET <connector baseUrl><path>?<cursorParam>=<cursor>` page after page; each page's
 * `items` (records) are mapped like an import's rows (`mapping`: record path → order path;
 * `lines[].code` reads each element of a record's array) and the cursor moves to the page's
 * `next` in the same transaction as the orders taken. A reference already stored is never
 * taken twice.
 */
export const PullTrigger = Type.Object(
  {
    id: Id,
    pull: Type.Object(
      {
        /** An `http` connector instance of the flow: its baseUrl, headers and credential. */
        connector: Type.String({ minLength: 1 }),
        path: Type.String({ pattern: '^/' }),
        every: Duration,
        /** The query parameter carrying the cursor (default `since`); none on the first pull. */
        cursorParam: Type.Optional(Type.String({ minLength: 1 })),
        /** Fixed query parameters (`{ "limit": 50 }`). */
        query: Type.Optional(
          Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
        ),
        /** JSON pointers into a page: its records (default `/items`), the next cursor (`/next`). */
        items: Type.Optional(Type.String({ pattern: '^(/.*)?$' })),
        next: Type.Optional(Type.String({ pattern: '^(/.*)?$' })),
        mapping: ColumnMapping,
        /** The orders' channel (default `erp`). */
        channel: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
        /** Pages read per run at most (default 100); the rest waits for the next run. */
        maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PullTrigger = Static<typeof PullTrigger>;
