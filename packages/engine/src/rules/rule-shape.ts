import { RuleError, type RuleLimits, DEFAULT_RULE_LIMITS } from './rule-error';
import { ruleOperators } from './domain-operators';
import { splitPath } from './semantics';

/** A logic node: an object with exactly one key, the operator (json-logic's definition). */
export function isLogic(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1
  );
}

/** The operator and its operands (a single operand is wrapped: `{"var":"x"}` = `{"var":["x"]}`). */
export function opOf(node: Record<string, unknown>): [op: string, args: unknown[]] {
  const op = Object.keys(node)[0];
  const raw = node[op];
  return [op, Array.isArray(raw) ? raw : [raw]];
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks a rule before it is compiled or evaluated: known operators only, no `var` path
 * through a prototype, depth and size within the limits. Throws a RuleError naming the spot.
 */
export function checkRule(logic: unknown, limits: RuleLimits = DEFAULT_RULE_LIMITS): void {
  let nodes = 0;
  const visit = (node: unknown, depth: number, path: string): void => {
    if (++nodes > limits.maxNodes)
      throw new RuleError('rule_too_large', `Rule has more than ${limits.maxNodes} nodes`, path);
    if (depth > limits.maxDepth)
      throw new RuleError(
        'rule_too_deep',
        `Rule is nested deeper than ${limits.maxDepth} levels`,
        path,
      );
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, depth + 1, `${path}/${i}`));
    if (!isLogic(node)) return;
    const [op, args] = opOf(node);
    const at = `${path}/${escape(op)}`;
    if (!ruleOperators.has(op))
      throw new RuleError('unknown_operator', `Unknown operator "${op}"`, at);
    if (op === 'var' && (typeof args[0] === 'string' || typeof args[0] === 'number')) {
      try {
        splitPath(args[0]);
      } catch (error) {
        throw new RuleError('unsafe_path', (error as Error).message, at);
      }
    }
    args.forEach((a, i) => visit(a, depth + 1, `${at}/${i}`));
  };
  visit(logic, 0, '');
}
