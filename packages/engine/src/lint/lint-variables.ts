import type { Action, Flow } from '../flow';
import { checkRule, ROOT, RuleError, scopedOperators } from '../rules';
import { lineTargetOf } from '../interpreter/compiled-model';
import { ANY, type Shape, dataShape, resolve, rootShape } from './data-shape';
import { at, type ProblemList } from './problem-list';

const isLogic = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1;
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const literalPath = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number'
    ? String(v)
    : v === undefined || v === null
      ? ''
      : undefined;

/**
 * Reports every variable an expression reads that no field defines, understanding scopes:
 * inside all/some/none/map/filter (and sum/count) the data is the element, inside reduce it is
 * `{ current, accumulator }`; the `$` context is known at the top.
 */
class VariableChecker {
  constructor(
    private readonly out: ProblemList,
    private readonly where: string,
    /** The rule scope, which `$root.…` paths read from inside any loop. */
    private readonly root: Shape,
  ) {}

  /** A literal path in a scope, `$root.…` in the rule scope. */
  private resolveIn(scope: Shape, path: string) {
    if (path === ROOT) return { shape: this.root };
    return path.startsWith(`${ROOT}.`)
      ? resolve(this.root, path.slice(ROOT.length + 1))
      : resolve(scope, path);
  }

  /** The shape an expression produces, as far as it can be told (for scoping). */
  private shapeOf(expr: unknown, scope: Shape): Shape {
    if (!isLogic(expr)) return ANY;
    const [op] = Object.keys(expr);
    const args = Array.isArray(expr[op]) ? (expr[op] as unknown[]) : [expr[op]];
    if (op === 'var') {
      const path = literalPath(args[0]);
      if (path === undefined) return ANY;
      const found = this.resolveIn(scope, path);
      return 'shape' in found ? found.shape : ANY;
    }
    if (op === 'filter') return this.shapeOf(args[0], scope);
    return ANY;
  }

  check(expr: unknown, scope: Shape, path: string): void {
    if (Array.isArray(expr)) return expr.forEach((e, i) => this.check(e, scope, `${path}/${i}`));
    if (!isLogic(expr)) return;
    const [op] = Object.keys(expr);
    const raw = expr[op];
    const args = Array.isArray(raw) ? raw : [raw];
    const argPath = (i: number) =>
      Array.isArray(raw) ? `${path}/${escape(op)}/${i}` : `${path}/${escape(op)}`;

    if (op === 'var') {
      const name = literalPath(args[0]);
      if (name !== undefined) this.read(name, scope, argPath(0));
      else this.check(args[0], scope, argPath(0));
      if (args.length > 1) this.check(args[1], scope, argPath(1));
      return;
    }
    if (op === 'missing' || op === 'missing_some') {
      const keys = op === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : args[1];
      if (Array.isArray(keys))
        keys.forEach(
          (k, i) =>
            typeof k === 'string' &&
            this.read(
              k,
              scope,
              op === 'missing' && Array.isArray(args[0])
                ? `${argPath(0)}/${i}`
                : op === 'missing'
                  ? argPath(i)
                  : `${argPath(1)}/${i}`,
            ),
        );
      return;
    }
    if (scopedOperators.has(op)) {
      this.check(args[0], scope, argPath(0));
      const collection = this.shapeOf(args[0], scope);
      const element = collection.kind === 'array' ? collection.element : ANY;
      const inner: Shape =
        op === 'reduce'
          ? {
              kind: 'object',
              props: new Map([
                ['current', element],
                ['accumulator', ANY],
              ]),
            }
          : element;
      if (args.length > 1) this.check(args[1], inner, argPath(1));
      for (let i = 2; i < args.length; i++) this.check(args[i], scope, argPath(i));
      return;
    }
    args.forEach((a, i) => this.check(a, scope, argPath(i)));
  }

  /** A literal `var` path: it must exist in the scope. */
  read(name: string, scope: Shape, path: string): void {
    const found = this.resolveIn(scope, name);
    if ('missing' in found)
      this.out.error(
        path,
        'unknown_variable',
        `${this.where} reads \`${name}\`, which no field defines${found.missing !== name ? ` (\`${found.missing}\` does not exist)` : ''} — add the field or fix the path`,
      );
  }
}

/** What a per-line `set` value sees: the line's fields, and the `$` context of the rule scope. */
function lineScope(element: Shape, root: Shape): Shape {
  if (element.kind !== 'object' || root.kind !== 'object') return ANY;
  const context = [...root.props].filter(([key]) => key.startsWith('$'));
  return { kind: 'object', props: new Map([...element.props, ...context]) };
}

/** Checks one expression: its shape (operators, safety caps) and then its variables. */
function checkExpression(
  expr: unknown,
  path: string,
  where: string,
  root: Shape,
  out: ProblemList,
): void {
  try {
    checkRule(expr);
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    const code = error.code === 'unknown_operator' ? 'unknown_operator' : error.code;
    out.error(
      path + error.path,
      code,
      `${where}: ${error.message}${error.code === 'unknown_operator' ? ' — see docs/rules.md for the operators' : ''}`,
    );
    return;
  }
  new VariableChecker(out, where, root).check(expr, root, path);
}

function checkActions(
  actions: readonly Action[] | undefined,
  base: string,
  where: string,
  flow: Flow,
  root: Shape,
  out: ProblemList,
): void {
  const data = dataShape(flow.fields);
  actions?.forEach((action, i) => {
    const path = `${base}/${i}`;
    if ('set' in action)
      for (const [target, value] of Object.entries(action.set)) {
        const line = lineTargetOf(target);
        const array = line && resolve(data, line.array);
        const element =
          array && 'shape' in array && array.shape.kind === 'array' ? array.shape.element : ANY;
        const found = line ? resolve(element, line.inner) : resolve(data, target);
        if (array && 'shape' in array && !['array', 'any'].includes(array.shape.kind))
          out.error(
            `${path}/set/${escape(target)}`,
            'not_an_array',
            `${where} sets \`${target}\` for each line of \`${line!.array}\`, which is not an array field`,
          );
        else if ('missing' in found || (array && 'missing' in array))
          out.error(
            `${path}/set/${escape(target)}`,
            'unknown_variable',
            `${where} sets \`${target}\`, which no field defines — add the field or fix the path`,
          );
        // A per-line value reads the line's fields (and the $ context), not the order's.
        const scope = line ? lineScope(element, root) : root;
        checkExpression(value, `${path}/set/${escape(target)}`, where, scope, out);
      }
    else if ('call' in action) {
      for (const [key, value] of Object.entries(action.call.input ?? {}))
        checkExpression(value, `${path}/call/input/${escape(key)}`, where, root, out);
      const target = action.call.resultPath;
      if (target !== undefined && 'missing' in resolve(data, target))
        out.error(
          `${path}/call/resultPath`,
          'unknown_variable',
          `${where} stores the answer in \`${target}\`, which no field defines — add an object field for it`,
        );
    } else if ('emit' in action) {
      for (const [key, value] of Object.entries(action.emit.payload ?? {}))
        checkExpression(value, `${path}/emit/payload/${escape(key)}`, where, root, out);
    } else if ('notify' in action) {
      const texts =
        typeof action.notify.message === 'string'
          ? [action.notify.message]
          : Object.values(action.notify.message);
      for (const text of texts)
        for (const [, name] of text.matchAll(/\{\{\s*([$A-Za-z0-9_.]+)\s*\}\}/g))
          if ('missing' in resolve(root, name))
            out.warning(
              `${path}/notify/message`,
              'unknown_variable',
              `${where} message uses {{${name}}}, which no field defines — it will print empty`,
            );
    }
  });
}

/** Every expression of the flow: guards, rules, action values; and `set` targets. */
export function lintVariables(flow: Flow, out: ProblemList): void {
  const root = rootShape(flow.fields);
  flow.transitions.forEach((t, i) => {
    const where = `Transition \`${t.id}\``;
    if (t.guard !== undefined)
      checkExpression(t.guard, at('transitions', i, 'guard'), where, root, out);
    checkActions(t.actions, at('transitions', i, 'actions'), where, flow, root, out);
  });
  flow.states.forEach((s, i) =>
    checkActions(s.entry, at('states', i, 'entry'), `State \`${s.id}\` entry`, flow, root, out),
  );
  (flow.rules ?? []).forEach((r, i) =>
    checkExpression(r.logic, at('rules', i, 'logic'), `Rule \`${r.id}\``, root, out),
  );
  (flow.counters ?? []).forEach((c, i) => {
    if (c.when !== undefined)
      checkExpression(c.when, at('counters', i, 'when'), `Counter \`${c.id}\``, root, out);
  });
  if (flow.customer !== undefined && 'missing' in resolve(dataShape(flow.fields), flow.customer))
    out.error(
      '/customer',
      'unknown_variable',
      `The customer is read from \`${flow.customer}\`, which no field defines — add the field or fix the path`,
    );
}
