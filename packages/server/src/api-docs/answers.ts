import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { componentRef, linkComponents } from './components';
import { Problem } from './problem.schema';

/** What each problem status means, for the document. */
const PROBLEM_MEANING: Record<number, string> = {
  400: 'a malformed body, query or path parameter',
  401: 'no or bad credentials',
  403: 'the caller lacks the role, or writes what the flow gives to others',
  404: 'no such resource',
  409: 'a conflict: a concurrent change won, the reference exists, a keyed request is running',
  413: 'the body is too large',
  422: 'well-formed but refused (invalid body or data, a rule, guard or flow refuses it)',
  429: 'rate limited: retry after `Retry-After` seconds',
  503: 'busy or not configured: retry later',
};

type Schema = TSchema | object;

/**
 * The success answer of an endpoint: its status and the JSON schema of its body (a
 * registered component is referred to). No schema: an answer without a body (204).
 * `mediaType` for a body that is not JSON (Prometheus text), `alternatives` for other formats.
 */
export function Answers(
  status: number,
  schema?: Schema,
  options: {
    description?: string;
    mediaType?: string;
    /** The same answer in other media types (`?format=csv`): media type → schema. */
    alternatives?: Record<string, Schema>;
  } = {},
) {
  const description = options.description ?? (schema ? 'the answer' : 'no body');
  return ApiResponse({
    status,
    description,
    ...(schema && {
      content: {
        [options.mediaType ?? 'application/json']: {
          schema: linkComponents(schema) as never,
        },
        ...Object.fromEntries(
          Object.entries(options.alternatives ?? {}).map(([media, alternative]) => [
            media,
            { schema: linkComponents(alternative) as never },
          ]),
        ),
      },
    }),
  });
}

/** The problems an endpoint answers besides 401/403 (added to every authenticated one). */
export function Problems(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_MEANING[status] ?? 'a problem',
        content: { 'application/problem+json': { schema: componentRef(Problem.title!) } },
      }),
    ),
  );
}

/** The summary (one line) and optionally a longer description of an operation. */
export const Summary = (summary: string, description?: string) =>
  ApiOperation({ summary, ...(description && { description }) });

/** Documents each property of a query-string schema as a query parameter. */
export function QueryParams(query: TObject) {
  const required = new Set(query.required ?? []);
  return applyDecorators(
    ...Object.entries(query.properties).map(([name, schema]) =>
      ApiQuery({
        name,
        required: required.has(name),
        description: (schema as { description?: string }).description,
        schema: linkComponents(schema) as never,
      }),
    ),
  );
}

/** `limit` and `cursor` of a paged list (problems/page-query.ts reads them). */
export const PageParams = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 500, description: 'items per page (default 50)' }),
  ),
  cursor: Type.Optional(Type.String({ description: 'the nextCursor of the previous page' })),
});

/** Documents `limit` and `cursor`, and more query parameters given as a TypeBox object. */
export const Paged = (more?: TObject) =>
  QueryParams(more ? Type.Composite([more, PageParams]) : PageParams);
