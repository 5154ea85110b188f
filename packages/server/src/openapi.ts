import type { ApiBodyOptions } from '@nestjs/swagger';
import type { TSchema } from '@sinclair/typebox';

type SchemaObject = NonNullable<Extract<ApiBodyOptions, { schema?: unknown }>['schema']>;

/** A TypeBox schema for @ApiBody: the same schema validates the body and documents it. */
export const apiSchema = (schema: TSchema | object): SchemaObject =>
  schema as unknown as SchemaObject;
