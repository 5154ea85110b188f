import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OrderError } from '../orders/order-errors';
import { ApiProblem } from './api-problem';
import { orderProblem } from './order-problem';

/** Turns a fastify/body-parser error (bad JSON, body too large, wrong media type) into a problem. */
export function problemFromFastifyError(error: {
  statusCode?: number;
  code?: string;
  message: string;
}): ApiProblem | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)
    return new ApiProblem(
      413,
      'body_too_large',
      'Request body too large',
      'The request body is larger than the configured limit (ORDO_BODY_LIMIT)',
    );
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415)
    return new ApiProblem(
      415,
      'unsupported_media_type',
      'Unsupported media type',
      'Send application/json',
    );
  if (
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    error instanceof SyntaxError ||
    (error.statusCode === 400 && /JSON/i.test(error.message))
  )
    return new ApiProblem(
      400,
      'malformed_json',
      'Malformed JSON',
      `The request body is not valid JSON: ${error.message}`,
      { errors: [{ path: '', code: 'malformed_json', message: error.message }] },
    );
  return undefined;
}

/**
 * A PostgreSQL data exception (SQLSTATE class 22: a number out of range, text it cannot hold)
 * as a 422: the last line behind the request checks, which name the path; it means a check
 * is missing, so it is logged as a warning too.
 */
export function problemFromDataException(error: unknown): ApiProblem | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code))
    return undefined;
  return new ApiProblem(
    422,
    'unstorable_value',
    'Value cannot be stored',
    `A value in the request cannot be stored: ${error.message}`,
    { errors: [{ path: '', code: 'unstorable_value', message: error.message }] },
  );
}

/** The longest path segment the router takes (references and names can be long). */
export const MAX_PARAM_LENGTH = 500;

/** The problem for a path the router refuses before any route runs. */
export function routerProblem(error: { code?: string }, url: string): ApiProblem {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new ApiProblem(
        414,
        'path_too_long',
        'Path too long',
        `A path segment is over ${MAX_PARAM_LENGTH} characters`,
      )
    : new ApiProblem(400, 'bad_url', 'Bad URL', `The path is not a valid URL: ${url}`);
}

/** Sends a problem as application/problem+json (with `Retry-After` when it names one). */
export function sendProblem(reply: FastifyReply, problem: ApiProblem, instance?: string): void {
  const retryAfter = problem.extra.retryAfter;
  if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem.body(instance)));
}

/** The one exception filter: every error leaves as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(reply, this.toProblem(exception), request.url);
  }

  private toProblem(exception: unknown): ApiProblem {
    if (exception instanceof ApiProblem) return exception;
    // The orders' domain errors: mapped here for every controller that calls OrdersService.
    if (exception instanceof OrderError) return orderProblem(exception);
    const fromFastify = problemFromFastifyError(exception as never);
    if (fromFastify) return fromFastify;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const parseProblem = problemFromFastifyError({
        statusCode: status,
        message: exception.message,
      });
      if (parseProblem) return parseProblem;
      const code =
        status === 404
          ? 'not_found'
          : status === 401
            ? 'unauthorized'
            : status === 403
              ? 'forbidden'
              : `http_${status}`;
      return new ApiProblem(
        status,
        code,
        exception.name.replace(/Exception$/, ''),
        exception.message,
      );
    }
    const unstorable = problemFromDataException(exception);
    if (unstorable) {
      this.logger.warn(`unchecked value reached the database: ${unstorable.detail}`);
      return unstorable;
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return new ApiProblem(
      500,
      'internal',
      'Internal error',
      'The server failed to handle the request; it has been logged',
    );
  }
}
