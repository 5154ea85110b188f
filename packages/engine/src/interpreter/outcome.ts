import type { Label } from '../flow';
import { unsafeMessage } from '../json/safe-path';
import type { Effect, HistoryEntry, Order } from '../order';
import type { EngineError, EngineErrorCode, EngineResult, Problem, RuleWarning } from '../result';
import type { Explanation } from '../rules/explanation';
import { type CompiledRule, explainRule } from '../rules';
import type { CompiledValidation } from './compiled-model';
import { labelText } from './rule-scope';

/** The change being built: the order so far and what it has produced. */
export interface Outcome {
  order: Order;
  effects: Effect[];
  history: HistoryEntry[];
  warnings: RuleWarning[];
}

/** A refusal, as the engine returns it. */
export function refuse(
  code: EngineErrorCode,
  message: string,
  extra: Partial<EngineError> = {},
): EngineResult {
  return { ok: false, error: { code, message, ...extra } };
}

/** JsonLogic truthiness: `0`, `""`, `[]`, `null`, `undefined`, `false` and `NaN` are false. */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** Whether a compiled guard or rule holds on the scope; an expression that throws does not. */
export function holds(rule: CompiledRule, scope: unknown): boolean {
  try {
    return truthy(rule(scope));
  } catch {
    return false;
  }
}

/** The result of checking the validation rules that apply at one moment. */
export interface RuleCheck {
  errors: Problem[];
  warnings: RuleWarning[];
}

/** Checks the rules that apply (already filtered by trigger) on the scope. */
export function checkRules(rules: readonly CompiledValidation[], scope: unknown): RuleCheck {
  const errors: Problem[] = [];
  const warnings: RuleWarning[] = [];
  for (const rule of rules) {
    if (holds(rule.test, scope)) continue;
    const message = labelText(rule.message as Label);
    if (rule.severity === 'error') {
      const explanation = explainRule(rule.logic, scope);
      errors.push({
        path: rule.path ?? '',
        code: rule.id,
        message,
        severity: 'error',
        ...(explanation && { explanation }),
      });
    } else
      warnings.push({
        rule: rule.id,
        message,
        ...(rule.path !== undefined && { path: rule.path }),
      });
  }
  return { errors, warnings };
}

/** The refusal for rules that failed. */
export function rulesFailed(errors: Problem[]): EngineResult {
  const names = errors
    .map((e) => `${e.code} (${e.message}${e.explanation ? `: ${e.explanation.message}` : ''})`)
    .join('; ');
  return refuse('rule_failed', `Refused by rule${errors.length > 1 ? 's' : ''} ${names}`, {
    problems: errors,
  });
}

/** The refusal for data that does not fit the flow's fields. */
export function invalidData(problems: Problem[]): EngineResult {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return refuse(
    'invalid_data',
    `Invalid order data at ${first.path || '/'}: ${first.message}${more}`,
    { problems },
  );
}

/** The refusal for data or a patch with a key that reaches a prototype (at `pointer`). */
export function unsafeKey(pointer: string): EngineResult {
  const key = pointer.slice(pointer.lastIndexOf('/') + 1);
  return invalidData([
    {
      path: pointer,
      code: 'unsafe_key',
      message: unsafeMessage(key, key),
      severity: 'error',
    },
  ]);
}

/** The refusal for a guard that does not hold. */
export function guardFailed(
  transition: string,
  explanation: Explanation | undefined,
): EngineResult {
  const why = explanation?.message ?? 'its guard does not hold';
  return refuse(
    'guard_failed',
    `Transition "${transition}" is blocked: ${why}`,
    explanation ? { explanation } : {},
  );
}

/** The refusal for a person's change to fields they may not write (403, naming each path). */
export function notWritable(problems: Problem[], lead = ''): EngineResult {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return refuse('forbidden', `Refused: ${lead}${first.message}${more}`, { problems });
}
