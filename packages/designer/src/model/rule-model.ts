/**
 * The rule builder's model of a json-logic guard, and the exact way back. Every clause the
 * builder cannot show as a row is kept as a `raw` block holding the original json-logic, so
 * `saveRule(loadRule(x))` deep-equals `x` for any x (a property test holds it to that).
 */

/** Literals a value box can hold: a scalar, or a list of scalars for `in`. */
export type Scalar = string | number | boolean | null;
export type Literal = Scalar | Scalar[];

/** Operators that compute a value from other values (engine domain operators). */
export const COMPUTED = [
  'days_between',
  'hours_between',
  'date_add',
  'round',
  'sum',
  'count',
] as const;
export type ComputedOp = (typeof COMPUTED)[number];
/** How many operands each computed operator may take. */
const ARITY: Record<ComputedOp, number[]> = {
  days_between: [2],
  hours_between: [2],
  date_add: [2],
  round: [1, 2],
  sum: [1, 2],
  count: [1],
};

/**
 * `{"lookup": [set, key, column]}`: the column's value in the data set's row under the key;
 * without a column, whether the set has that row.
 */
export type Lookup = { kind: 'lookup'; set: string; key: Operand; column?: string };

export type Operand =
  | { kind: 'var'; path: string }
  | { kind: 'value'; value: Literal }
  | { kind: 'computed'; op: ComputedOp; args: Operand[] }
  | Lookup;

export const COMPARISONS = ['==', '===', '!=', '!==', '<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];
/**
 * `in`: the left is a member (or substring) of the right. `contains`: the right is a member of
 * the left — json-logic `{"in": [right, left]}`, shown with the field first. `not_` negates.
 */
export type Membership = 'in' | 'not_in' | 'contains' | 'not_contains';
export type RuleOp = Comparison | Membership;

export type Clause =
  | { kind: 'rule'; op: RuleOp; left: Operand; right: Operand }
  | { kind: 'between'; op: '<' | '<='; low: Operand; value: Operand; high: Operand }
  | { kind: 'quantifier'; mode: 'all' | 'some' | 'none'; list: string; body: Group }
  /** A lookup on its own: the row exists (no column), or the column's value holds. */
  | { kind: 'found'; lookup: Lookup }
  | { kind: 'raw'; logic: unknown }
  | Group;

/**
 * An and/or group, possibly negated. `bare`: with exactly one child it is written as that child
 * alone (a guard that is one comparison, or `!` of one clause), not wrapped in `and`.
 */
export type Group = {
  kind: 'group';
  combinator: 'and' | 'or';
  not: boolean;
  bare: boolean;
  children: Clause[];
};

type Obj = Record<string, unknown>;

/** `{op: args}` with exactly one key, or undefined. */
function single(logic: unknown): [string, unknown] | undefined {
  if (!logic || typeof logic !== 'object' || Array.isArray(logic)) return undefined;
  const keys = Object.keys(logic);
  return keys.length === 1 ? [keys[0], (logic as Obj)[keys[0]]] : undefined;
}

const isScalar = (v: unknown): v is Scalar =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

function loadOperand(logic: unknown): Operand | undefined {
  if (isScalar(logic)) return { kind: 'value', value: logic };
  if (Array.isArray(logic))
    return logic.every(isScalar) ? { kind: 'value', value: logic } : undefined;
  const entry = single(logic);
  if (!entry) return undefined;
  const [op, args] = entry;
  if (op === 'var') return typeof args === 'string' ? { kind: 'var', path: args } : undefined;
  if (op === 'lookup') return loadLookup(args);
  if (!(COMPUTED as readonly string[]).includes(op) || !Array.isArray(args)) return undefined;
  if (!ARITY[op as ComputedOp].includes(args.length)) return undefined;
  const operands = args.map(loadOperand);
  if (operands.some((o) => !o)) return undefined;
  return { kind: 'computed', op: op as ComputedOp, args: operands as Operand[] };
}

/** `[set, key]` or `[set, key, column]` with a set and a column named by text. */
function loadLookup(args: unknown): Lookup | undefined {
  if (!Array.isArray(args) || (args.length !== 2 && args.length !== 3)) return undefined;
  const [set, keyLogic, column] = args as unknown[];
  if (typeof set !== 'string' || (args.length === 3 && typeof column !== 'string'))
    return undefined;
  const key = loadOperand(keyLogic);
  if (!key) return undefined;
  return { kind: 'lookup', set, key, ...(args.length === 3 && { column: column as string }) };
}

function saveOperand(operand: Operand): unknown {
  if (operand.kind === 'var') return { var: operand.path };
  if (operand.kind === 'value') return operand.value;
  if (operand.kind === 'lookup')
    return {
      lookup: [
        operand.set,
        saveOperand(operand.key),
        ...(operand.column !== undefined ? [operand.column] : []),
      ],
    };
  return { [operand.op]: operand.args.map(saveOperand) };
}

/** A pair of operands, or undefined when `args` is not exactly two of them. */
function pair(args: unknown): [Operand, Operand] | undefined {
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  const [a, b] = args.map(loadOperand);
  return a && b ? [a, b] : undefined;
}

/** `{"in": [a, b]}` as a membership rule: the field-like side first. */
function loadIn(args: unknown, negated: boolean): Clause | undefined {
  const operands = pair(args);
  if (!operands) return undefined;
  const [a, b] = operands;
  if (a.kind === 'value' && b.kind !== 'value')
    return { kind: 'rule', op: negated ? 'not_contains' : 'contains', left: b, right: a };
  return { kind: 'rule', op: negated ? 'not_in' : 'in', left: a, right: b };
}

function loadGroup(combinator: 'and' | 'or', not: boolean, args: unknown[]): Group {
  return { kind: 'group', combinator, not, bare: false, children: args.map(loadClause) };
}

/** One json-logic clause as the builder shows it; a raw block when it has no row for it. */
export function loadClause(logic: unknown): Clause {
  const raw: Clause = { kind: 'raw', logic };
  const entry = single(logic);
  if (!entry) return raw;
  const [op, args] = entry;
  if ((op === 'and' || op === 'or') && Array.isArray(args)) return loadGroup(op, false, args);
  if ((COMPARISONS as readonly string[]).includes(op)) {
    if ((op === '<' || op === '<=') && Array.isArray(args) && args.length === 3) {
      const [low, value, high] = args.map(loadOperand);
      return low && value && high ? { kind: 'between', op, low, value, high } : raw;
    }
    const operands = pair(args);
    return operands
      ? { kind: 'rule', op: op as Comparison, left: operands[0], right: operands[1] }
      : raw;
  }
  if (op === 'in') return loadIn(args, false) ?? raw;
  if (op === 'lookup') {
    const lookup = loadLookup(args);
    return lookup ? { kind: 'found', lookup } : raw;
  }
  if (op === 'all' || op === 'some' || op === 'none') {
    if (!Array.isArray(args) || args.length !== 2) return raw;
    const list = loadOperand(args[0]);
    if (list?.kind !== 'var') return raw;
    return { kind: 'quantifier', mode: op, list: list.path, body: loadGroupOf(args[1]) };
  }
  if (op === '!' && !Array.isArray(args)) {
    const inner = single(args);
    if (inner?.[0] === 'in') {
      const negated = loadIn(inner[1], true);
      if (negated) return negated;
    }
    if ((inner?.[0] === 'and' || inner?.[0] === 'or') && Array.isArray(inner[1]))
      return loadGroup(inner[0], true, inner[1]);
    return {
      kind: 'group',
      combinator: 'and',
      not: true,
      bare: true,
      children: [loadClause(args)],
    };
  }
  return raw;
}

/** A clause as a group: and/or as themselves, anything else as a bare group of one. */
function loadGroupOf(logic: unknown): Group {
  const clause = loadClause(logic);
  return clause.kind === 'group'
    ? clause
    : { kind: 'group', combinator: 'and', not: false, bare: true, children: [clause] };
}

/** The empty guard: a group with nothing in it, saved as no guard at all. */
export const emptyRule = (): Group => ({
  kind: 'group',
  combinator: 'and',
  not: false,
  bare: true,
  children: [],
});

/** A guard (or no guard) as the builder's top-level group. */
export function loadRule(logic: unknown): Group {
  return logic === undefined ? emptyRule() : loadGroupOf(logic);
}

const MEMBERSHIP: Record<Membership, { negated: boolean; swapped: boolean }> = {
  in: { negated: false, swapped: false },
  not_in: { negated: true, swapped: false },
  contains: { negated: false, swapped: true },
  not_contains: { negated: true, swapped: true },
};

/** A clause back as json-logic. */
export function saveClause(clause: Clause): unknown {
  switch (clause.kind) {
    case 'raw':
      return clause.logic;
    case 'rule': {
      const left = saveOperand(clause.left);
      const right = saveOperand(clause.right);
      const membership = MEMBERSHIP[clause.op as Membership];
      if (!membership) return { [clause.op]: [left, right] };
      const test = { in: membership.swapped ? [right, left] : [left, right] };
      return membership.negated ? { '!': test } : test;
    }
    case 'between':
      return { [clause.op]: [clause.low, clause.value, clause.high].map(saveOperand) };
    case 'quantifier':
      return { [clause.mode]: [{ var: clause.list }, saveClause(clause.body)] };
    case 'found':
      return saveOperand(clause.lookup);
    case 'group': {
      const inner =
        clause.bare && clause.children.length === 1
          ? saveClause(clause.children[0])
          : { [clause.combinator]: clause.children.map(saveClause) };
      return clause.not ? { '!': inner } : inner;
    }
  }
}

/** The top-level group back as a guard: undefined when it was emptied. */
export function saveRule(group: Group): unknown {
  if (group.bare && !group.not && group.children.length === 0) return undefined;
  return saveClause(group);
}
