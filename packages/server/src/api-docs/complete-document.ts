import type { OpenAPIObject } from '@nestjs/swagger';
import { componentRef, componentSchemas } from './components';
import './flow-document.schema';
import { Problem } from './problem.schema';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * The generated document with the registered components, 401/403 problems on every
 * authenticated operation (the guard answers them on every route that is not public), and
 * 413/415 on every operation that takes a body (the request guard answers them before it runs).
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const problem = { 'application/problem+json': { schema: componentRef(Problem.title!) } };
  for (const item of Object.values(document.paths))
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (operation.requestBody) {
        operation.responses['413'] ??= { description: 'the body is too large', content: problem };
        operation.responses['415'] ??= { description: 'not application/json', content: problem };
      }
      if (!operation.security?.length) continue;
      operation.responses['401'] ??= { description: 'no or bad credentials', content: problem };
      operation.responses['403'] ??= { description: 'the caller lacks the role', content: problem };
    }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...componentSchemas() },
  };
  return document;
}
