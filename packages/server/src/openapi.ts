import type { ApiBodyOptions } from '@nestjs/swagger';
import type { TSchema } from '@sinclair/typebox';

import { linkComponents } from './api-docs/components';

export { Answers, Paged, Problems, QueryParams, Summary } from './api-docs/answers';

type SchemaObject = NonNullable<Extract<ApiBodyOptions, { schema?: unknown }>['schema']>;

/**
 * A TypeBox schema for @ApiBody: the same schema validates the body and documents it (a
 * registered component inside it is referred to).
 */
export const apiSchema = (schema: TSchema | object): SchemaObject =>
  linkComponents(schema) as unknown as SchemaObject;
