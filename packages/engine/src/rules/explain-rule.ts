import { lookupKey } from './data-sets';
import { LOOKUP } from './domain-operators';
import type { DataSetRead, Explanation } from './explanation';
import { interpret, type RuleEnv, ruleEnv } from './interpret-rule';
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

/** The data set row a `lookup` operand read: which set, which version, which key. */
function dataSetRead(node: unknown, data: unknown, env: RuleEnv) {
  if (!isLogic(node)) return undefined;
  const [op, args] = opOf(node);
  if (op !== LOOKUP) return undefined;
  const name = interpret(args[0], data, env);
  const key = lookupKey(interpret(args[1], data, env));
  const column = args.length > 2 ? interpret(args[2], data, env) : undefined;
  if (typeof name !== 'string' || key === undefined) return undefined;
  const version = env.sets?.version(name);
  const read: DataSetRead = { name, key, found: env.sets?.row(name, key) !== undefined };
  if (version !== undefined) read.version = version;
  if (typeof column === 'string') read.column = column;
  return read;
}

/** "drug-codes v3 row "X1" restricted", or "drug-codes v3 has no row "X1"" (no such set: said). */
function readText(read: DataSetRead): string {
  const set =
    read.version === undefined
      ? `data set ${read.name} (none such)`
      : `${read.name} v${read.version}`;
  if (!read.found) return `${set} has no row ${show(read.key)}`;
  return `${set} row ${show(read.key)}${read.column === undefined ? '' : ` ${read.column}`}`;
}

/** An operand by its path, the data set row it read, or its expression. */
function label(o: { expr: unknown; path?: string; dataSet?: DataSetRead }): string {
  return o.path ?? (o.dataSet ? readText(o.dataSet) : JSON.stringify(o.expr));
}

/** The other side of a comparison: "qty (5)", "drug-codes v3 row "R1" maxQty (5)", or "5". */
function named(o: { path?: string; dataSet?: DataSetRead; value: unknown } | undefined): string {
  if (o?.path !== undefined) return `${o.path} (${show(o.value)})`;
  if (o?.dataSet) return `${readText(o.dataSet)}${o.dataSet.found ? ` (${show(o.value)})` : ''}`;
  return show(o?.value);
}

function operand(node: unknown, data: unknown, env: RuleEnv) {
  const path = varPath(node);
  const dataSet = dataSetRead(node, data, env);
  return {
    expr: node,
    ...(path !== undefined && { path }),
    ...(dataSet && { dataSet }),
    value: interpret(node, data, env),
  };
}

/** "lines.0.qty was 0" for a var, the value itself for a literal, "(expression) gave 3" else. */
function describe(o: {
  expr: unknown;
  path?: string;
  dataSet?: DataSetRead;
  value: unknown;
}): string {
  if (o.path !== undefined) return `${o.path} was ${show(o.value)}`;
  if (o.dataSet)
    return o.dataSet.found ? `${readText(o.dataSet)} was ${show(o.value)}` : readText(o.dataSet);
  return isLogic(o.expr) ? `${JSON.stringify(o.expr)} gave ${show(o.value)}` : show(o.value);
}

function explainFalsy(node: unknown, data: unknown, prefix: string, env: RuleEnv): Explanation {
  if (!isLogic(node)) {
    return {
      message: `${prefix}${show(node)} is not true`,
      operator: 'value',
      logic: node,
      values: [{ expr: node, value: node }],
    };
  }
  const [op, args] = opOf(node);
  const values = () => args.map((a) => operand(a, data, env));

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
      op === 'in' ? `needed to be in ${show(right?.value)}` : `needed ${op} ${named(right)}`;
    const between = third ? ` and ${op} ${show(third.value)}` : '';
    return {
      message: `${prefix}${describe(left)}, ${needed}${between}`,
      operator: op,
      logic: node,
      values: values(),
    };
  }
  if (op === 'and') {
    const failed = args.find((a) => !truthy(interpret(a, data, env)));
    const cause = explainFalsy(failed, data, prefix, env);
    return { message: cause.message, operator: op, logic: node, values: [], causes: [cause] };
  }
  if (op === 'or') {
    const causes = args.map((a) => explainFalsy(a, data, '', env));
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
      message: `${prefix}${label(inner)} was ${show(inner.value)}, needed it empty or false`,
      operator: op,
      logic: node,
      values: [inner],
    };
  }
  if (op === 'if' || op === '?:') {
    for (let i = 0; i < args.length - 1; i += 2)
      if (truthy(interpret(args[i], data, env)))
        return explainFalsy(args[i + 1], data, prefix, env);
    return args.length % 2 === 1
      ? explainFalsy(args[args.length - 1], data, prefix, env)
      : {
          message: `${prefix}no branch of the "if" applied`,
          operator: op,
          logic: node,
          values: [],
        };
  }
  if (EACH.has(op)) return explainEach(op, node, args, data, prefix, env);
  if (op === LOOKUP) {
    const read = dataSetRead(node, data, env);
    return {
      message: `${prefix}${read ? readText(read) : `${JSON.stringify(node)} found no row`}`,
      operator: op,
      logic: node,
      values: [operand(node, data, env)],
    };
  }
  if (op === 'var' || op === '!!') {
    const [inner] = op === 'var' ? [operand(node, data, env)] : values();
    return {
      message: `${prefix}${label(inner)} was ${show(inner.value)}, needed a value`,
      operator: op,
      logic: node,
      values: [inner],
    };
  }
  if (op === 'missing' || op === 'missing_some') {
    const absent = interpret(node, data, env) as unknown[];
    return {
      message: `${prefix}missing ${absent.join(', ')}`,
      operator: op,
      logic: node,
      values: values(),
    };
  }
  return {
    message: `${prefix}${op} gave ${show(interpret(node, data, env))}`,
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
  env: RuleEnv,
): Explanation {
  const list = interpret(args[0], data, env);
  const name = varPath(args[0]) ?? 'the list';
  const base = { operator: op, logic: node, values: [operand(args[0], data, env)] };
  if (!Array.isArray(list) || list.length === 0)
    return {
      ...base,
      message: `${prefix}${name} was ${show(list)}, needed ${op === 'none' ? 'no matching item' : 'at least one item'}`,
    };
  if (op === 'all') {
    const index = list.findIndex((item) => !truthy(interpret(args[1], item, env)));
    const cause = explainFalsy(args[1], list[index], `${name}[${index}]: `, env);
    return { ...base, message: `${prefix}${cause.message}`, causes: [cause] };
  }
  if (op === 'some') {
    const cause = explainFalsy(args[1], list[0], `${name}[0]: `, env);
    return {
      ...base,
      message: `${prefix}no item of ${name} matched (e.g. ${cause.message})`,
      causes: [cause],
    };
  }
  const index = list.findIndex((item) => truthy(interpret(args[1], item, env)));
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
  const env = ruleEnv(data);
  try {
    if (truthy(interpret(logic, data, env))) return undefined;
    return explainFalsy(logic, data, '', env);
  } catch (error) {
    return {
      message: `the rule could not be evaluated: ${(error as Error).message}`,
      operator: 'error',
      logic,
      values: [],
    };
  }
}
