/**
 * Why a json-logic expression came out falsy: the failing clause, the operator, and the values
 * its operands had. Nested clauses (and/or/!) explain through `causes`.
 */
export interface Explanation {
  /** A readable sentence, e.g. "daysSincePurchase was 45, needed <= 30". */
  message: string;
  /** The operator of the clause that failed, e.g. `<=`. */
  operator: string;
  /** The clause itself. */
  logic: unknown;
  /**
   * Each operand's value as evaluated; `var` operands are named by their path, `lookup`
   * operands by the data set row they read.
   */
  values: { expr: unknown; path?: string; dataSet?: DataSetRead; value: unknown }[];
  /** The sub-clauses that made this clause fail (for `and`, `or`, `!`, `all`, …). */
  causes?: Explanation[];
}

/** The row a `lookup` read: the data set, the version the rule saw, the key, the column. */
export interface DataSetRead {
  name: string;
  /** Absent when there is no data set of that name. */
  version?: number;
  key: string;
  column?: string;
  /** Whether the set has a row under the key. */
  found: boolean;
}
