/**
 * Compiles a rule to a JavaScript function once, so that guards and rules on the hot path
 * run as plain code. The rule is hostile input: operators come from an allow-list and are
 * never written into the source; every value from the rule enters the source only as a JSON
 * literal (JSON.stringify) or as a reference into a constants array.
 */
import { domainOperators } from './domain-operators';
import { isLogic, opOf } from './rule-shape';
import * as semantics from './semantics';

/** A compiled rule: call it with the data (the rule scope). */
export type CompiledRule = (data: unknown) => unknown;

const helpers = { ...semantics, d: domainOperators };

/** A literal value as JavaScript source. */
function literal(value: unknown, constants: unknown[]): string {
  switch (typeof value) {
    case 'number':
      if (Object.is(value, -0)) return '-0';
      return Number.isFinite(value)
        ? String(value)
        : Number.isNaN(value)
          ? 'NaN'
          : value > 0
            ? 'Infinity'
            : '-Infinity';
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    default:
      if (value === null) return 'null';
      constants.push(value);
      return `k[${constants.length - 1}]`;
  }
}

const isPrimitive = (v: unknown) =>
  v === null || (typeof v !== 'object' && typeof v !== 'function');

class Generator {
  readonly constants: unknown[] = [];
  private temps = 0;
  private scopes = 0;

  temp(): string {
    return `t${this.temps++}`;
  }

  declarations(): string {
    return this.temps
      ? `let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(', ')};`
      : '';
  }

  /** Source of an expression evaluating `node` with the data in variable `d`. */
  expr(node: unknown, d: string): string {
    if (Array.isArray(node)) return `[${node.map((n) => this.expr(n, d)).join(', ')}]`;
    if (!isLogic(node)) return literal(node, this.constants);
    const [op, args] = opOf(node);
    const e = (i: number) => (i < args.length ? this.expr(args[i], d) : 'undefined');
    const all = () => args.map((a) => this.expr(a, d)).join(', ');
    const body = (i: number) => {
      const p = `d${++this.scopes}`;
      return `((${p}) => ${this.expr(args[i], p)})`;
    };
    switch (op) {
      case 'var':
        return this.readVar(args, d);
      case 'missing':
        return `h.missing(${d}, [${all()}])`;
      case 'missing_some':
        return `h.missingSome(${d}, ${e(0)}, ${e(1)})`;
      case 'if':
      case '?:': {
        let out = '';
        let i = 0;
        for (; i < args.length - 1; i += 2) out += `h.truthy(${e(i)}) ? ${e(i + 1)} : `;
        return `(${out}${args.length === i + 1 ? e(i) : 'null'})`;
      }
      case 'and':
      case 'or': {
        if (args.length === 0) return 'undefined';
        const t = this.temp();
        const stop = op === 'and' ? '!' : '';
        let out = '';
        for (let i = 0; i < args.length - 1; i++)
          out += `(${t} = ${e(i)}, ${stop}h.truthy(${t})) ? ${t} : `;
        return `(${out}${e(args.length - 1)})`;
      }
      case '==':
      case '===':
      case '!=':
      case '!==':
      case '>':
      case '>=':
      case '%':
      case '/':
        return `(${e(0)} ${op} ${e(1)})`;
      case '<':
      case '<=':
        return args.length >= 3
          ? `h.${op === '<' ? 'lt' : 'le'}(${e(0)}, ${e(1)}, ${e(2)})`
          : `(${e(0)} ${op} ${e(1)})`;
      case '!':
        return `!h.truthy(${e(0)})`;
      case '!!':
        return `h.truthy(${e(0)})`;
      case '-':
        if (args.length === 1) return `(-(${e(0)}))`;
        return typeof args[1] === 'number' ? `(${e(0)} - ${e(1)})` : `h.minus(${e(0)}, ${e(1)})`;
      case '+':
        return `(0${args.map((_, i) => ` + h.num(${e(i)})`).join('')})`;
      case '*':
        if (args.length === 0) return 'h.times([])';
        if (args.length === 1) return e(0);
        return `(${args.map((_, i) => `h.num(${e(i)})`).join(' * ')})`;
      case 'min':
      case 'max':
        return `h.${op}([${all()}])`;
      case 'merge':
        return `h.merge([${all()}])`;
      case 'in':
        return `h.inOp(${e(0)}, ${e(1)})`;
      case 'cat':
        return `h.cat([${all()}])`;
      case 'substr':
        return `h.substr(${e(0)}, ${e(1)}, ${e(2)})`;
      case 'log':
        return e(0);
      case 'filter':
      case 'map':
      case 'all':
      case 'some':
      case 'none':
        return `h.${op}(${e(0)}, ${body(1)})`;
      case 'reduce':
        return `h.reduce(${e(0)}, ${body(1)}, ${args[2] === undefined ? 'null' : e(2)})`;
    }
    const domain = domainOperators[op];
    if (!domain) throw new Error(`Unrecognized operation ${op}`); // checkRule runs first
    const name = JSON.stringify(op);
    if (domain.kind === 'scoped')
      return `h.d[${name}].run(${e(0)}, ${args.length > 1 ? body(1) : 'undefined'})`;
    return `h.d[${name}].run(${all()})`;
  }

  /**
   * `var` with a literal path (checked: no prototype segments) becomes inline own-property
   * reads; a computed path goes through readVar.
   */
  private readVar(args: unknown[], d: string): string {
    const [path, fallback] = args;
    const literalPath =
      path === undefined || path === null || typeof path === 'string' || typeof path === 'number';
    if (!literalPath || !isPrimitive(fallback))
      return `h.readVar(${d}, ${this.expr(path, d)}, ${this.expr(fallback, d)})`;
    if (path === undefined || path === null || path === '') return d;
    const nf = fallback === undefined ? 'null' : literal(fallback, this.constants);
    const t = this.temp();
    let out = `(${t} = ${d}, `;
    for (const key of semantics.splitPath(path))
      out += `${t} == null ? ${nf} : (${t} = h.own(${t}, ${JSON.stringify(key)})) === undefined ? ${nf} : `;
    return `${out}${t})`;
  }
}

/** Generates the function for a checked rule. */
export function generate(logic: unknown): CompiledRule {
  const gen = new Generator();
  const expression = gen.expr(logic, 'd');
  const source = `"use strict"; return function rule(d) { ${gen.declarations()} return ${expression}; };`;
  return new Function('h', 'k', source)(helpers, gen.constants) as CompiledRule;
}
