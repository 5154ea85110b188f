/** Why a rule was refused: unknown operator, unsafe path, too deep or too large. */
export type RuleErrorCode =
  'unknown_operator' | 'unsafe_path' | 'rule_too_deep' | 'rule_too_large' | 'bad_arguments';

/** A rule the engine refuses to compile or evaluate. `path` is a JSON pointer into the rule. */
export class RuleError extends Error {
  constructor(
    readonly code: RuleErrorCode,
    message: string,
    readonly path = '',
  ) {
    super(message);
    this.name = 'RuleError';
  }
}

/** Safety caps on a rule. Defaults: depth 64, 5,000 nodes. */
export interface RuleLimits {
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_RULE_LIMITS: RuleLimits = { maxDepth: 64, maxNodes: 5000 };
