// PLACEHOLDER — replaced by the rules work (evaluator, compiler, explanation, safety caps).
// Until then it delegates to json-logic-js (a dev dependency) so other work can run.
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Explanation } from './explanation';

export type CompiledRule = (data: unknown) => unknown;
export interface RuleOptions {
  maxDepth?: number;
}
export class RuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
/** Every operator a rule may use (standard json-logic and Ordo's domain operators). */
export const ruleOperators: ReadonlySet<string> = new Set([
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '>', '>=', '<', '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all',
  'none', 'some', 'merge', 'in', 'cat', 'substr', 'log',
]);
export function evaluateRule(logic: unknown, data: unknown): unknown {
  return compileRule(logic)(data);
}
export function compileRule(logic: unknown, _options?: RuleOptions): CompiledRule {
  const jsonLogic = require('json-logic-js');
  return (data) => jsonLogic.apply(logic, data);
}
export function explainRule(_logic: unknown, _data: unknown): Explanation | undefined {
  return undefined;
}
