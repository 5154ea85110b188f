import { Type } from '@sinclair/typebox';

/** A column and its type, as an upload or a refresh gives it. */
export const DataSetColumnSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('number'),
      Type.Literal('boolean'),
      Type.Literal('date'),
    ]),
  },
  { additionalProperties: false },
);
