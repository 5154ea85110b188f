// PLACEHOLDER — replaced by the rules work (evaluator, compiler, explanation, safety caps).
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
export function evaluateRule(logic: unknown, data: unknown): unknown {
  return compileRule(logic)(data);
}
export function compileRule(_logic: unknown, _options?: RuleOptions): CompiledRule {
  throw new RuleError('not_ready', 'rules placeholder');
}
export function explainRule(_logic: unknown, _data: unknown): Explanation | undefined {
  return undefined;
}
