/**
 * The value semantics of JsonLogic operators, exactly as json-logic-js 2.0.5 defines them,
 * shared by the interpreter and the compiled code so that the two can never disagree.
 */
import { isUnsafeKey } from '../json/safe-path';
import { RuleError } from './rule-error';

/** JsonLogic truthiness: like JavaScript's, except that an empty array is false. */
export const truthy = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : !!value;

/**
 * parseFloat for anything but numbers, which pass as they are (the common, fast case) — except
 * -0, which parseFloat reads as 0 (it goes through the string "0"), so `1 / (-0 * x)` keeps the
 * reference's sign.
 */
export const num = (value: unknown): number =>
  typeof value === 'number' ? (value === 0 ? 0 : value) : parseFloat(value as string);

/** Splits a literal `var` path, refusing segments that reach a prototype (checked once). */
export function splitPath(path: unknown): string[] {
  const segments = String(path).split('.');
  for (const s of segments)
    if (isUnsafeKey(s))
      throw new RuleError(
        'unsafe_path',
        `var path "${String(path)}" reaches "${s}", which rules may not read`,
      );
  return segments;
}

/**
 * An own property of a value that is not null or undefined: all that `var` reads, so inherited
 * names (`toString`, a polluted `Object.prototype`) read as absent.
 */
export const own = (value: unknown, key: string): unknown =>
  Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The first segment of a `var` path that reads the whole rule scope (the order data and its
 * `$` values) whatever element a loop body is on: `{"var": "$root.band"}`. An Ordo extension:
 * JsonLogic has no parent scope.
 */
export const ROOT = '$root';

/**
 * `var`: reads a dot path through own properties; `notFound` (default null) when a step is
 * missing. A path starting with `$root` reads the rule scope `root` instead of `data`. A
 * computed path through `__proto__`, `constructor` or `prototype` finds nothing (literal ones
 * are refused when the rule is checked).
 */
export function readVar(
  data: unknown,
  path: unknown,
  notFound: unknown,
  root: unknown = data,
): unknown {
  const nf = notFound === undefined ? null : notFound;
  if (path === undefined || path === '' || path === null) return data;
  const keys = String(path).split('.');
  let current: unknown = data;
  if (keys[0] === ROOT) {
    keys.shift();
    current = root;
  }
  for (const key of keys) {
    if (current === null || current === undefined || isUnsafeKey(key)) return nf;
    current = own(current, key);
    if (current === undefined) return nf;
  }
  return current;
}

/** `missing`: the keys whose value is null, absent or "". */
export function missing(data: unknown, args: unknown[]): unknown[] {
  const keys = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const out: unknown[] = [];
  for (const key of keys) {
    const value = readVar(data, key, undefined);
    if (value === null || value === '') out.push(key);
  }
  return out;
}

/** `missing_some`: [] when at least `need` of the keys are present, else the missing ones. */
export function missingSome(data: unknown, need: unknown, options: unknown): unknown[] {
  const list = options as unknown[];
  const absent = missing(data, [list]);
  return list.length - absent.length >= (need as number) ? [] : absent;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- these are JavaScript's own operators on any values */
/** `<` and `<=` with an optional third operand ("between"). */
export const lt = (a: any, b: any, c?: any): boolean => (c === undefined ? a < b : a < b && b < c);
export const le = (a: any, b: any, c?: any): boolean =>
  c === undefined ? a <= b : a <= b && b <= c;

/** `-`: negation with one operand, subtraction with two. */
export const minus = (a: any, b?: any): number => (b === undefined ? -a : a - b);
/* eslint-enable @typescript-eslint/no-explicit-any */

/** `+`: sum of parseFloat'ed operands (0 for none). */
export function plus(args: unknown[]): number {
  let sum = 0;
  for (const a of args) sum = sum + num(a);
  return sum;
}

/** `*`: product of parseFloat'ed operands; one operand passes unchanged, as in json-logic-js. */
export function times(args: unknown[]): unknown {
  if (args.length === 0) throw new RuleError('bad_arguments', '"*" needs at least one operand');
  let acc: unknown = args[0];
  for (let i = 1; i < args.length; i++) acc = num(acc) * num(args[i]);
  return acc;
}

/** `in`: substring of a string, or member of an array. */
export function inOp(a: unknown, b: unknown): boolean {
  if (!b || typeof (b as { indexOf?: unknown }).indexOf === 'undefined') return false;
  return (b as { indexOf(x: unknown): number }).indexOf(a) !== -1;
}

/** `cat`: the operands joined as strings (null and undefined as ""). */
export const cat = (args: unknown[]): string => args.join('');

/** `substr`: a negative length counts from the end. */
export function substr(source: unknown, start: unknown, end: unknown): string {
  const s = String(source);
  const from = start as number;
  if ((end as number) < 0) {
    const rest = s.substr(from);
    return rest.substr(0, rest.length + (end as number));
  }
  return s.substr(from, end as number);
}

/** `merge`: arrays flattened one level, other values appended. */
export function merge(args: unknown[]): unknown[] {
  return args.reduce<unknown[]>((acc, b) => acc.concat(b), []);
}

/** `min` / `max` over the operands, as Math.min/Math.max. */
export const min = (args: unknown[]): number => Math.min(...(args as number[]));
export const max = (args: unknown[]): number => Math.max(...(args as number[]));

/** `filter`: the elements whose body is truthy ([] for a non-array). */
export function filter(list: unknown, body: (item: unknown) => unknown): unknown[] {
  return Array.isArray(list) ? list.filter((item) => truthy(body(item))) : [];
}

/** `map`: the body applied to each element ([] for a non-array). */
export function map(list: unknown, body: (item: unknown) => unknown): unknown[] {
  return Array.isArray(list) ? list.map(body) : [];
}

/** `reduce`: the body sees `{ current, accumulator }`; a non-array gives the initial value. */
export function reduce(
  list: unknown,
  body: (scope: unknown) => unknown,
  initial: unknown,
): unknown {
  if (!Array.isArray(list)) return initial;
  let accumulator = initial;
  for (let i = 0; i < list.length; i++) accumulator = body({ current: list[i], accumulator });
  return accumulator;
}

/** `all`: false for a non-array or an empty one, else whether every body is truthy. */
export function all(list: unknown, body: (item: unknown) => unknown): boolean {
  if (!Array.isArray(list) || list.length === 0) return false;
  for (let i = 0; i < list.length; i++) if (!truthy(body(list[i]))) return false;
  return true;
}

/** `some`: whether any element's body is truthy. */
export function some(list: unknown, body: (item: unknown) => unknown): boolean {
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) if (truthy(body(list[i]))) return true;
  return false;
}

/** `none`: whether no element's body is truthy. */
export const none = (list: unknown, body: (item: unknown) => unknown): boolean => !some(list, body);
