import { type DataSets, dataSetsOf, lookup } from './data-sets';
import { domainOperators, LOOKUP } from './domain-operators';
import { isLogic, opOf } from './rule-shape';
import * as s from './semantics';

/**
 * What every part of a rule sees whatever element a loop body is on: the rule scope's data
 * sets (for `lookup`) and the rule scope itself (for `$root` paths).
 */
export interface RuleEnv {
  sets: DataSets | undefined;
  root: unknown;
}

/** The environment of a rule evaluated on the scope `data`. */
export const ruleEnv = (data: unknown): RuleEnv => ({ sets: dataSetsOf(data), root: data });

/**
 * Evaluates a (checked) rule by walking it — JsonLogic semantics, as json-logic-js 2.0.5.
 * Used for one-off evaluation and for explanations; hot paths use `compileRule`.
 */
export function interpret(
  logic: unknown,
  data: unknown,
  /** The rule scope's data sets and the scope itself: loop bodies keep them while `data` is the element. */
  env: RuleEnv = ruleEnv(data),
): unknown {
  if (Array.isArray(logic)) return logic.map((l) => interpret(l, data, env));
  if (!isLogic(logic)) return logic;
  const [op, args] = opOf(logic);
  const body = (node: unknown) => (item: unknown) => interpret(node, item, env);

  switch (op) {
    case 'if':
    case '?:': {
      let i = 0;
      for (; i < args.length - 1; i += 2)
        if (s.truthy(interpret(args[i], data, env))) return interpret(args[i + 1], data, env);
      return args.length === i + 1 ? interpret(args[i], data, env) : null;
    }
    case 'and': {
      let current: unknown;
      for (const a of args) if (!s.truthy((current = interpret(a, data, env)))) return current;
      return current;
    }
    case 'or': {
      let current: unknown;
      for (const a of args) if (s.truthy((current = interpret(a, data, env)))) return current;
      return current;
    }
    case 'filter':
      return s.filter(interpret(args[0], data, env), body(args[1]));
    case 'map':
      return s.map(interpret(args[0], data, env), body(args[1]));
    case 'reduce':
      return s.reduce(
        interpret(args[0], data, env),
        body(args[1]),
        args[2] === undefined ? null : interpret(args[2], data, env),
      );
    case 'all':
      return s.all(interpret(args[0], data, env), body(args[1]));
    case 'some':
      return s.some(interpret(args[0], data, env), body(args[1]));
    case 'none':
      return s.none(interpret(args[0], data, env), body(args[1]));
  }

  const domain = domainOperators[op];
  if (domain?.kind === 'scoped')
    return domain.run(
      interpret(args[0], data, env),
      args[1] === undefined ? undefined : body(args[1]),
    );

  const v = args.map((a) => interpret(a, data, env));
  switch (op) {
    case LOOKUP:
      return v.length > 2 ? lookup(env.sets, v[0], v[1], v[2]) : lookup(env.sets, v[0], v[1]);
    case 'var':
      return s.readVar(data, v[0], v[1], env.root);
    case 'missing':
      return s.missing(data, v);
    case 'missing_some':
      return s.missingSome(data, v[0], v[1]);
    case '==':
      return v[0] == v[1];
    case '===':
      return v[0] === v[1];
    case '!=':
      return v[0] != v[1];
    case '!==':
      return v[0] !== v[1];
    case '>':
      return (v[0] as number) > (v[1] as number);
    case '>=':
      return (v[0] as number) >= (v[1] as number);
    case '<':
      return s.lt(v[0], v[1], v[2]);
    case '<=':
      return s.le(v[0], v[1], v[2]);
    case '!':
      return !s.truthy(v[0]);
    case '!!':
      return s.truthy(v[0]);
    case '%':
      return (v[0] as number) % (v[1] as number);
    case '/':
      return (v[0] as number) / (v[1] as number);
    case '-':
      return s.minus(v[0], v[1]);
    case '+':
      return s.plus(v);
    case '*':
      return s.times(v);
    case 'min':
      return s.min(v);
    case 'max':
      return s.max(v);
    case 'merge':
      return s.merge(v);
    case 'in':
      return s.inOp(v[0], v[1]);
    case 'cat':
      return s.cat(v);
    case 'substr':
      return s.substr(v[0], v[1], v[2]);
    case 'log':
      return v[0];
  }
  if (domain?.kind === 'plain') return domain.run(...v);
  throw new Error(`Unrecognized operation ${op}`);
}
