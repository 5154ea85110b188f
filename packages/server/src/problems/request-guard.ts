import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { isUnsafeKey } from '@ordo/engine';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem, problems } from './api-problem';
import { findJsonHazard } from './json-guard';
import { sendProblem } from './problem.filter';

type ParserDone = (error: Error | null, body?: unknown) => void;

const malformed = (message: string) =>
  new ApiProblem(
    400,
    'malformed_json',
    'Malformed JSON',
    `The request body is not valid JSON: ${message}`,
    {
      errors: [{ path: '', code: 'malformed_json', message }],
    },
  );

/**
 * The one JSON body parser: plain JSON.parse, then {@link findJsonHazard} over the whole
 * value — a body too deep, with a NUL character, a non-finite number or a key such as
 * `__proto__` is a 422 problem naming its JSON pointer before any controller (or the
 * idempotency hook) sees it. Nothing is written.
 */
function parseJsonBody(_request: FastifyRequest, body: Buffer, done: ParserDone): void {
  const text = body.toString('utf8');
  if (text.trim() === '') return done(malformed('the body is empty'));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return done(malformed((error as Error).message));
  }
  const found = findJsonHazard(value);
  done(found ? problems.invalidBody([found]) : null, value);
}

/** A query or path parameter with a NUL character or a prototype key, if any. */
function badParameter(values: unknown): { name: string; message: string } | undefined {
  if (!values || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values)) {
    if (isUnsafeKey(name) || name.includes('\u0000'))
      return { name, message: `"${name.replace(/\0/g, '\\u0000')}" is not an accepted name` };
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string' && v.includes('\u0000'))
        return { name, message: 'must not contain a NUL character (\\u0000)' };
  }
  return undefined;
}

/**
 * Checks every request before it reaches a controller: JSON bodies through the one parser
 * above, query strings and path parameters for NUL characters (PostgreSQL text cannot store
 * one; the driver would throw) and prototype keys. Bad input is a 4xx problem, never a 500.
 */
export function registerRequestGuard(app: NestFastifyApplication, bodyLimit: number): void {
  // JSON is the only body the API takes: fastify's own text/plain (and JSON) parsers go, and
  // Nest's form parser is never registered, so any other media type is a 415 problem.
  app.getHttpAdapter().getInstance().removeAllContentTypeParsers();
  app.useBodyParser('application/json', { bodyLimit }, parseJsonBody);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
      const param = badParameter(request.params);
      const query = param ? undefined : badParameter(request.query);
      if (!param && !query) return;
      sendProblem(
        reply,
        param
          ? problems.invalidParam(`/${param.name}`, param.message)
          : problems.invalidQuery(`/${query!.name}`, query!.message),
        request.url,
      );
      return reply;
    });
}
