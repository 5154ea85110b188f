/** One offending value of a request: a JSON pointer into the body (or the order data). */
export interface ProblemDetail {
  path: string;
  code: string;
  message: string;
}

/**
 * An expected failure of a request — bad input, unknown resource, conflict, refusal — answered
 * as `application/problem+json` (RFC 9457) with a stable `code`. Never logged as a crash.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  /** The answer body. */
  body(instance?: string): Record<string, unknown> {
    return {
      type: `https://ordo.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance && { instance }),
      ...this.extra,
    };
  }
}

export const problems = {
  badRequest: (code: string, detail: string, errors?: ProblemDetail[]) =>
    new ApiProblem(400, code, 'Bad request', detail, errors ? { errors } : {}),
  unauthorized: (detail = 'Send Authorization: Bearer <API key or login token>') =>
    new ApiProblem(401, 'unauthorized', 'Not authenticated', detail),
  forbidden: (detail: string, extra: Record<string, unknown> = {}) =>
    new ApiProblem(403, 'forbidden', 'Forbidden', detail, extra),
  notFound: (what: string, id: string) =>
    new ApiProblem(404, 'not_found', 'Not found', `${what} "${id}" does not exist`),
  conflict: (code: string, detail: string, extra: Record<string, unknown> = {}) =>
    new ApiProblem(409, code, 'Conflict', detail, extra),
  unprocessable: (code: string, detail: string, extra: Record<string, unknown> = {}) =>
    new ApiProblem(422, code, 'Unprocessable request', detail, extra),
  /** A query parameter that is not acceptable; `path` is `/<parameter>`. */
  invalidQuery: (path: string, message: string) =>
    new ApiProblem(400, 'invalid_query', 'Invalid query', `${path}: ${message}`, {
      errors: [{ path, code: 'invalid_query', message }],
    }),
  /** A path parameter that is not acceptable; `path` is `/<parameter>`. */
  invalidParam: (path: string, message: string) =>
    new ApiProblem(400, 'invalid_param', 'Invalid path parameter', `${path}: ${message}`, {
      errors: [{ path, code: 'invalid_param', message }],
    }),
  /** Too many requests from one client or for one account; retry after `retryAfter` seconds. */
  tooMany: (detail: string, retryAfter: number) =>
    new ApiProblem(429, 'rate_limited', 'Too many requests', detail, { retryAfter }),
  /** The server is saturated (e.g. password hashing); retry after `retryAfter` seconds. */
  busy: (detail: string, retryAfter: number) =>
    new ApiProblem(503, 'busy', 'Service busy', detail, { retryAfter }),
  invalidBody: (errors: ProblemDetail[]) =>
    new ApiProblem(
      422,
      'invalid_body',
      'Invalid request body',
      `The request body is invalid at ${errors[0]?.path || '/'}: ${errors[0]?.message}`,
      { errors },
    ),
};
