import { Type } from '@sinclair/typebox';
import { component } from './components';

/** One offending value: a JSON pointer into the body (or the order data, or `/<parameter>`). */
export const ProblemDetail = component(
  'ProblemDetail',
  Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() }),
);

/**
 * Every error answer (RFC 9457 `application/problem+json`). Some carry more members: `order`
 * (a 409 version conflict), `exceptionId` (a refused delivery), `retryAfter` (429, 503).
 */
export const Problem = component(
  'Problem',
  Type.Object({
    type: Type.String({ description: 'https://ordo.dev/problems/<code>' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'stable, e.g. not_found, invalid_body, version_conflict' }),
    instance: Type.Optional(Type.String({ description: 'the request path' })),
    errors: Type.Optional(Type.Array(ProblemDetail)),
  }),
);
