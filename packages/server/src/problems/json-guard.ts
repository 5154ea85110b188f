import { isUnsafeKey, jsonPointer, unsafeMessage } from '@ordo/engine';
import type { ProblemDetail } from './api-problem';

/**
 * How deep a JSON value may nest. A flow document with rules at their own cap (64 levels)
 * stays well inside; 10,000 levels would break every recursive step after parsing
 * (JSON.stringify, ajv, merge patches) with a stack overflow.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * What no JSON value from outside may carry, found in one iterative walk (so the walk itself
 * cannot overflow): nesting deeper than {@link MAX_JSON_DEPTH}, a key that reaches a
 * prototype (`__proto__`, `constructor`, `prototype`), a NUL character in a string or key
 * (PostgreSQL text cannot store it), a number that is not finite (`1e309` parses to Infinity).
 * Returns the first hazard found, as a problem detail at its JSON pointer.
 */
export function findJsonHazard(
  value: unknown,
  at: (string | number)[] = [],
): ProblemDetail | undefined {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: at }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000'))
        return hazard(path, 'nul_character', 'must not contain a NUL character (\\u0000)');
      continue;
    }
    if (typeof node === 'number') {
      if (!Number.isFinite(node))
        return hazard(
          path,
          'not_finite',
          'must be a finite number (this one overflows to Infinity)',
        );
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (path.length - at.length >= MAX_JSON_DEPTH)
      return hazard(path, 'too_deep', `nests deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      if (isUnsafeKey(key)) return hazard([...path, key], 'unsafe_key', unsafeMessage(key, key));
      if (key.includes('\u0000'))
        return hazard([...path, key], 'nul_character', 'a key must not contain a NUL character');
      stack.push({ node: (node as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

function hazard(path: (string | number)[], code: string, message: string): ProblemDetail {
  return { path: jsonPointer(path), code, message };
}
