import { type TSchema, Type } from '@sinclair/typebox';

/** A timestamp (ISO 8601). */
export const Time = Type.String({ format: 'date-time' });

/** `T | null`. */
export const Nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

/** `{ items: [T] }`: a whole list. */
export const ListOf = <S extends TSchema>(item: S) => Type.Object({ items: Type.Array(item) });

/** `{ items, nextCursor }`: one page of a list (the cursor is null on the last page). */
export const PageOf = <S extends TSchema>(item: S) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'pass as ?cursor= for the next page' })),
  });

/** Who did something: a person's or key's id, or `system`. */
export const ActorRef = Type.Object(
  { id: Type.String(), roles: Type.Optional(Type.Array(Type.String())) },
  { description: 'who did it' },
);

/** Any JSON object whose members depend on the flow or the connector. */
export const AnyObject = Type.Record(Type.String(), Type.Unknown());
