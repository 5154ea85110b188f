/**
 * JsonLogic rules: an interpreter, a compiler and explanations, with json-logic-js 2.0.5
 * semantics, Ordo's domain operators and safety caps. Reference: docs/rules.md.
 */
import { generate, type CompiledRule } from './compile-rule';
import { interpret } from './interpret-rule';
import { DEFAULT_RULE_LIMITS, type RuleLimits } from './rule-error';
import { checkRule } from './rule-shape';

export { RuleError, DEFAULT_RULE_LIMITS } from './rule-error';
export type { RuleErrorCode, RuleLimits } from './rule-error';
export {
  ruleOperators,
  domainOperators,
  standardOperators,
  scopedOperators,
} from './domain-operators';
export { explainRule } from './explain-rule';
export { checkRule } from './rule-shape';
export { ROOT } from './semantics';
export type { CompiledRule } from './compile-rule';
export type { DataSetRead, Explanation } from './explanation';
export { DATA_SETS, dataSetRow, dataSetsOf, lookup, lookupKey } from './data-sets';
export type { DataSetRow, DataSets, DataSetTable } from './data-sets';

/** Options of `compileRule` and `evaluateRule`. */
export interface RuleOptions {
  /** Safety caps (defaults: depth 64, 5,000 nodes). */
  limits?: Partial<RuleLimits>;
}

const limitsOf = (options?: RuleOptions): RuleLimits => ({
  ...DEFAULT_RULE_LIMITS,
  ...options?.limits,
});

/**
 * Compiles a rule once into a function of the data. Throws a RuleError for an unknown
 * operator, a `var` path through `__proto__`/`constructor`/`prototype`, or a rule over the
 * depth or size caps.
 */
export function compileRule(logic: unknown, options?: RuleOptions): CompiledRule {
  checkRule(logic, limitsOf(options));
  return generate(logic);
}

/** Evaluates a rule on data by walking it (no compilation). Same checks as `compileRule`. */
export function evaluateRule(logic: unknown, data: unknown, options?: RuleOptions): unknown {
  checkRule(logic, limitsOf(options));
  return interpret(logic, data);
}
