/**
 * Ordo's domain operators, registered here explicitly and documented in docs/rules.md. They
 * are pure: dates come from the data (`$now` is in every rule's scope), never from a clock.
 */
import { addDuration } from '../interpreter/durations';
import { num, truthy } from './semantics';

/** A domain operator whose second operand is a body evaluated per element (like `map`). */
export interface ScopedOperator {
  kind: 'scoped';
  run(list: unknown, body: ((item: unknown) => unknown) | undefined): unknown;
}

/** A domain operator over its evaluated operands. */
export interface PlainOperator {
  kind: 'plain';
  run(...args: unknown[]): unknown;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const parse = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : NaN);

function between(unit: number) {
  return (from: unknown, to: unknown): number | null => {
    const a = parse(from);
    const b = parse(to);
    return Number.isNaN(a) || Number.isNaN(b) ? null : Math.floor((b - a) / unit);
  };
}

/** The domain operators by name. */
export const domainOperators: Readonly<Record<string, ScopedOperator | PlainOperator>> = {
  /** `{"sum": [list, body?]}`: the sum of the body over the list (or of the elements). */
  sum: {
    kind: 'scoped',
    run(list, body) {
      if (!Array.isArray(list)) return 0;
      let total = 0;
      for (const item of list) total += num(body ? body(item) : item);
      return total;
    },
  },
  /** `{"count": [list, body?]}`: how many elements (whose body is truthy). */
  count: {
    kind: 'scoped',
    run(list, body) {
      if (!Array.isArray(list)) return 0;
      if (!body) return list.length;
      let n = 0;
      for (const item of list) if (truthy(body(item))) n++;
      return n;
    },
  },
  /** `{"days_between": [from, to]}`: whole days from one ISO date/time to another, or null. */
  days_between: { kind: 'plain', run: (a, b) => between(DAY)(a, b) },
  /** `{"hours_between": [from, to]}`: whole hours from one ISO date/time to another, or null. */
  hours_between: { kind: 'plain', run: (a, b) => between(HOUR)(a, b) },
  /** `{"date_add": [time, "P2D"]}`: an ISO time plus an ISO-8601 duration, or null. */
  date_add: {
    kind: 'plain',
    run(time, duration) {
      try {
        return addDuration(String(time), String(duration));
      } catch {
        return null;
      }
    },
  },
  /** `{"round": [x, digits?]}`: x rounded half away from zero to `digits` decimals (default 0). */
  round: {
    kind: 'plain',
    run(x, digits) {
      const factor = 10 ** (digits === undefined ? 0 : num(digits));
      const n = num(x) * factor;
      return (Math.sign(n) * Math.round(Math.abs(n))) / factor;
    },
  },
};

/** The standard JsonLogic operators. */
export const standardOperators: readonly string[] = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'merge',
  'in',
  'cat',
  'substr',
  'log',
];

/**
 * `{"lookup": [set, key, column?]}` reads the data sets of the rule's scope (data-sets.ts),
 * whatever element a loop body is on: it is compiled and interpreted apart from the others.
 */
export const LOOKUP = 'lookup';

/** Every operator a rule may use: the standard ones, the domain ones and `lookup`. */
export const ruleOperators: ReadonlySet<string> = new Set([
  ...standardOperators,
  ...Object.keys(domainOperators),
  LOOKUP,
]);

/** Operators whose second operand is evaluated once per element, with the element as data. */
export const scopedOperators: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'reduce',
  'all',
  'some',
  'none',
  ...Object.entries(domainOperators)
    .filter(([, op]) => op.kind === 'scoped')
    .map(([name]) => name),
]);
