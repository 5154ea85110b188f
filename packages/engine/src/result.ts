import type { Effect } from './order/effect';
import type { HistoryEntry, Order } from './order/order';
import type { Explanation } from './rules/explanation';

/** How bad a problem is: errors block, warnings are recorded. */
export type Severity = 'error' | 'warning';

/**
 * One problem with a flow document or with order data. `path` is a JSON pointer into the
 * document (`/transitions/3/to`) or into the order data (`/lines/0/qty`).
 */
export interface Problem {
  path: string;
  code: string;
  message: string;
  severity: Severity;
  /** A rule that failed: the clause and the values it saw (a lookup's set, version and key). */
  explanation?: Explanation;
}

/** Why the engine refused a change. */
export type EngineErrorCode =
  'invalid_data' | 'rule_failed' | 'guard_failed' | 'no_transition' | 'forbidden';

/** A refusal that explains itself. */
export interface EngineError {
  code: EngineErrorCode;
  message: string;
  /** invalid_data and rule_failed: each offending value or rule. */
  problems?: Problem[];
  /** guard_failed: the clause that failed and the values it saw. */
  explanation?: Explanation;
}

/** A warning-severity rule that did not hold; recorded, never blocking. */
export interface RuleWarning {
  rule: string;
  message: string;
  path?: string;
}

/** The outcome of `create`, `update` and `fire`. Never thrown: returned. */
export type EngineResult =
  | { ok: true; order: Order; effects: Effect[]; history: HistoryEntry[]; warnings: RuleWarning[] }
  | { ok: false; error: EngineError };
