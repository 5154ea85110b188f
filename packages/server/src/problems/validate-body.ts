import type { ErrorObject } from 'ajv';
import { schemaAjv } from '@ordo/connectors';
import type { Static, TSchema } from '@sinclair/typebox';
import { type ProblemDetail, problems } from './api-problem';

// Compiles every route's body schema: without Ajv's optimiser (see schemaAjv), so that the
// request bodies parsed after it keep fast property reads.
const ajv = schemaAjv();
const compiled = new WeakMap<TSchema, ReturnType<typeof ajv.compile>>();

/** An ajv error as a problem detail whose path points at the offending value itself. */
export function toDetail(error: ErrorObject): ProblemDetail {
  const params = error.params as {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
  };
  if (error.keyword === 'required')
    return {
      path: `${error.instancePath}/${params.missingProperty}`,
      code: 'required',
      message: `${params.missingProperty} is required`,
    };
  if (error.keyword === 'additionalProperties')
    return {
      path: `${error.instancePath}/${params.additionalProperty}`,
      code: 'unknown_property',
      message: `unknown property "${params.additionalProperty}"`,
    };
  if (error.keyword === 'enum')
    return {
      path: error.instancePath,
      code: 'enum',
      message: `must be one of ${(params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
    };
  return { path: error.instancePath, code: error.keyword, message: error.message ?? 'is invalid' };
}

/** Validates a request body against its schema; throws a 422 problem listing each offending path. */
export function validateBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (body === undefined || body === null)
    throw problems.invalidBody([
      { path: '', code: 'required', message: 'a JSON body is required' },
    ]);
  if (!validate(body)) throw problems.invalidBody((validate.errors ?? []).map(toDetail));
  return body as Static<S>;
}
