import type { Explanation } from './explanation';
import { interpret } from './interpret-rule';
import { isLogic, opOf } from './rule-shape';
import { truthy } from './semantics';

const COMPARISONS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', 'in']);
const EACH = new Set(['all', 'some', 'none']);

const show = (value: unknown): string =>
  value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));

/** A `var` operand's path, when the operand is a plain `var` with a literal path. */
function varPath(node: unknown): string | undefined {
  if (!isLogic(node)) return undefined;
  const [op, args] = opOf(node);
  return op === 'var' && (typeof args[0] === 'string' || typeof args[0] === 'number')
    ? String(args[0])
    : undefined;
}

function operand(node: unknown, data: unknown) {
  const path = varPath(node);
  return { expr: node, ...(path !== undefined && { path }), value: interpret(node, data) };
}

/** "lines.0.qty was 0" for a var, the value itself for a literal, "(expression) gave 3" else. */
function describe(o: { expr: unknown; path?: string; value: unknown }): string {
  if (o.path !== undefined) return `${o.path} was ${show(o.value)}`;
  return isLogic(o.expr) ? `${JSON.stringify(o.expr)} gave ${show(o.value)}` : show(o.value);
}

function explainFalsy(node: unknown, data: unknown, prefix: string): Explanation {
  if (!isLogic(node)) {
    return {
      message: `${prefix}${show(node)} is not true`,
      operator: 'value',
      logic: node,
      values: [{ expr: node, value: node }],
    };
  }
  const [op, args] = opOf(node);
  const values = () => args.map((a) => operand(a, data));

  if (COMPARISONS.has(op)) {
    const [left, right, third] = values();
    if (op === 'in' && right?.path !== undefined && left?.path === undefined)
      return {
        message: `${prefix}${right.path} was ${show(right.value)}, needed to contain ${show(left?.value)}`,
        operator: op,
        logic: node,
        values: values(),
      };
    const needed =
      op === 'in'
        ? `needed to be in ${show(right?.value)}`
        : `needed ${op} ${right?.path ?? show(right?.value)}${right?.path !== undefined ? ` (${show(right.value)})` : ''}`;
    const between = third ? ` and ${op} ${show(third.value)}` : '';
    return {
      message: `${prefix}${describe(left)}, ${needed}${between}`,
      operator: op,
      logic: node,
      values: values(),
    };
  }
  if (op === 'and') {
    const failed = args.find((a) => !truthy(interpret(a, data)));
    const cause = explainFalsy(failed, data, prefix);
    return { message: cause.message, operator: op, logic: node, values: [], causes: [cause] };
  }
  if (op === 'or') {
    const causes = args.map((a) => explainFalsy(a, data, ''));
    return {
      message: `${prefix}none of these held: ${causes.map((c) => c.message).join('; ')}`,
      operator: op,
      logic: node,
      values: [],
      causes,
    };
  }
  if (op === '!') {
    const [inner] = values();
    return {
      message: `${prefix}${inner.path ?? JSON.stringify(inner.expr)} was ${show(inner.value)}, needed it empty or false`,
      operator: op,
      logic: node,
      values: [inner],
    };
  }
  if (op === 'if' || op === '?:') {
    for (let i = 0; i < args.length - 1; i += 2)
      if (truthy(interpret(args[i], data))) return explainFalsy(args[i + 1], data, prefix);
    return args.length % 2 === 1
      ? explainFalsy(args[args.length - 1], data, prefix)
      : {
          message: `${prefix}no branch of the "if" applied`,
          operator: op,
          logic: node,
          values: [],
        };
  }
  if (EACH.has(op)) return explainEach(op, node, args, data, prefix);
  if (op === 'var' || op === '!!') {
    const [inner] = op === 'var' ? [operand(node, data)] : values();
    return {
      message: `${prefix}${inner.path ?? JSON.stringify(inner.expr)} was ${show(inner.value)}, needed a value`,
      operator: op,
      logic: node,
      values: [inner],
    };
  }
  if (op === 'missing' || op === 'missing_some') {
    const absent = interpret(node, data) as unknown[];
    return {
      message: `${prefix}missing ${absent.join(', ')}`,
      operator: op,
      logic: node,
      values: values(),
    };
  }
  return {
    message: `${prefix}${op} gave ${show(interpret(node, data))}`,
    operator: op,
    logic: node,
    values: values(),
  };
}

function explainEach(
  op: string,
  node: unknown,
  args: unknown[],
  data: unknown,
  prefix: string,
): Explanation {
  const list = interpret(args[0], data);
  const name = varPath(args[0]) ?? 'the list';
  const base = { operator: op, logic: node, values: [operand(args[0], data)] };
  if (!Array.isArray(list) || list.length === 0)
    return {
      ...base,
      message: `${prefix}${name} was ${show(list)}, needed ${op === 'none' ? 'no matching item' : 'at least one item'}`,
    };
  if (op === 'all') {
    const index = list.findIndex((item) => !truthy(interpret(args[1], item)));
    const cause = explainFalsy(args[1], list[index], `${name}[${index}]: `);
    return { ...base, message: `${prefix}${cause.message}`, causes: [cause] };
  }
  if (op === 'some') {
    const cause = explainFalsy(args[1], list[0], `${name}[0]: `);
    return {
      ...base,
      message: `${prefix}no item of ${name} matched (e.g. ${cause.message})`,
      causes: [cause],
    };
  }
  const index = list.findIndex((item) => truthy(interpret(args[1], item)));
  return {
    ...base,
    message: `${prefix}${name}[${index}] matched, but no item may: ${JSON.stringify(args[1])}`,
  };
}

/**
 * Explains why a rule is not truthy on the data: the clause that failed and the values its
 * operands had ("daysSincePurchase was 45, needed <= 30"), recursing through and/or/!/if and
 * all/some/none (naming the element, `lines[2]: bin was "X-1" …`). Undefined when it holds.
 * The rule is expected to have been checked (compiled) already.
 */
export function explainRule(logic: unknown, data: unknown): Explanation | undefined {
  try {
    if (truthy(interpret(logic, data))) return undefined;
    return explainFalsy(logic, data, '');
  } catch (error) {
    return {
      message: `the rule could not be evaluated: ${(error as Error).message}`,
      operator: 'error',
      logic,
      values: [],
    };
  }
}
