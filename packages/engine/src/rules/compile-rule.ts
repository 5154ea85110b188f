/**
 * Compiles a rule to a JavaScript function once, so that guards and rules on the hot path
 * run as plain code. The rule is hostile input: operators come from an allow-list and are
 * never written into the source; every value from the rule enters the source only as a JSON
 * literal (JSON.stringify) or as a reference into a constants array.
 */
import { DATA_SETS, lookup, lookupKey, tableOf } from './data-sets';
import { domainOperators, LOOKUP } from './domain-operators';
import { isLogic, opOf } from './rule-shape';
import * as semantics from './semantics';

/** A compiled rule: call it with the data (the rule scope). */
export type CompiledRule = (data: unknown) => unknown;

/** What a memo temp holds until the frame reads it (no rule value is this object). */
const UNREAD = Object.freeze({});
const helpers = {
  ...semantics,
  d: domainOperators,
  lookup,
  lookupKey,
  tableOf,
  DATA_SETS,
  U: UNREAD,
};

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

type LoopOp = 'filter' | 'map' | 'all' | 'some' | 'none' | 'reduce';

/** A reduce body's scope `{ current, accumulator }`, kept as two loop variables. */
interface ReduceScope {
  current: string;
  accumulator: string;
}

class Generator {
  readonly constants: unknown[] = [];
  /** Loop functions, declared once next to the rule (not per call). */
  readonly hoisted: string[] = [];
  private temps = 0;
  private scopes = 0;
  /** Whether the rule reads data sets (the rule function then keeps its scope's in `S`). */
  usesDataSets = false;
  /** The sets named by a literal, each resolved to its table once per call (`T0`, `T1`, …). */
  readonly tables = new Map<string, string>();
  /**
   * What the frame being generated has read once and reuses: each step of a literal `var`
   * path (`customer`, then `customer.tier`), and each data-set row by set, scope and key
   * expression (`{"lookup": [s, k]}` then `{"lookup": [s, k, "col"]}`). Each is a temp set to
   * `U` (not read yet) when the frame starts (per call, or per element of a loop), and read at
   * most once, where the rule first needs it: rules are pure and the data does not change
   * while one runs.
   */
  private memos = new Map<string, string>();
  /** Temps of the function being generated (the rule, or a loop function). */
  private frame: string[] = [];
  private readonly reduceScopes = new Map<string, ReduceScope>();

  temp(): string {
    const t = `t${this.temps++}`;
    this.frame.push(t);
    return t;
  }

  /** Statements forgetting what the current frame has read (run as the frame starts). */
  memoResets(): string {
    return [...this.memos.values()].map((r) => `${r} = U; `).join('');
  }

  /** The temp keeping `what` for the current frame. */
  private memo(what: unknown): string {
    const id = JSON.stringify(what);
    let t = this.memos.get(id);
    if (!t) this.memos.set(id, (t = this.temp()));
    return t;
  }

  declarations(): string {
    return this.frame.length ? `let ${this.frame.join(', ')};` : '';
  }

  /** The scope `d` as a value (a reduce scope is only built as an object when read whole). */
  private scope(d: string): string {
    const r = this.reduceScopes.get(d);
    return r ? `({ current: ${r.current}, accumulator: ${r.accumulator} })` : d;
  }

  /**
   * Compiles filter/map/all/some/none/reduce to a loop function with the body inlined; the
   * element is a local, and a reduce scope is two locals rather than an object per element.
   */
  private loop(op: LoopOp, list: string, body: unknown, initial: string): string {
    const id = ++this.scopes;
    const item = `d${id}`;
    const acc = `a${id}`;
    const outer = this.frame;
    const outerMemos = this.memos;
    this.frame = [];
    this.memos = new Map();
    if (op === 'reduce') this.reduceScopes.set(item, { current: item, accumulator: acc });
    const b = this.expr(body, item);
    const decl = this.declarations();
    const resets = this.memoResets();
    this.frame = outer;
    this.memos = outerMemos;
    const name = `L${id}`;
    const each = (stmt: string, skipHoles = false) =>
      `for (let i = 0; i < l.length; i++) { const ${item} = l[i]; ${
        skipHoles ? `if (${item} === undefined && !(i in l)) continue; ` : ''
      }${resets}${stmt} }`;
    let src: string;
    switch (op) {
      case 'reduce':
        src = `function ${name}(l, ${acc}) { if (!Array.isArray(l)) return ${acc}; ${decl} ${each(`${acc} = ${b};`)} return ${acc}; }`;
        break;
      case 'map':
        src = `function ${name}(l) { if (!Array.isArray(l)) return []; ${decl} const out = new Array(l.length); ${each(`out[i] = ${b};`, true)} return out; }`;
        break;
      case 'filter':
        src = `function ${name}(l) { if (!Array.isArray(l)) return []; ${decl} const out = []; ${each(`if (h.truthy(${b})) out.push(${item});`, true)} return out; }`;
        break;
      case 'all':
        src = `function ${name}(l) { if (!Array.isArray(l) || l.length === 0) return false; ${decl} ${each(`if (!h.truthy(${b})) return false;`)} return true; }`;
        break;
      default:
        src = `function ${name}(l) { if (!Array.isArray(l)) return false; ${decl} ${each(`if (h.truthy(${b})) return true;`)} return false; }`;
    }
    this.hoisted.push(src);
    if (op === 'reduce') return `${name}(${list}, ${initial})`;
    return op === 'none' ? `!${name}(${list})` : `${name}(${list})`;
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
      // Called per element: what it reads is its own, forgotten on each call.
      const outerMemos = this.memos;
      this.memos = new Map();
      const inner = this.expr(args[i], p);
      const resets = [...this.memos.values()].map((r) => `${r} = U, `).join('');
      this.memos = outerMemos;
      return `((${p}) => (${resets}${inner}))`;
    };
    switch (op) {
      case 'var':
        return this.readVar(args, d);
      case 'missing':
        return `h.missing(${this.scope(d)}, [${all()}])`;
      case 'missing_some':
        return `h.missingSome(${this.scope(d)}, ${e(0)}, ${e(1)})`;
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
        return this.inLiteral(args, d) ?? `h.inOp(${e(0)}, ${e(1)})`;
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
        return this.loop(op, e(0), args[1], '');
      case 'reduce':
        return this.loop(op, e(0), args[1], args[2] === undefined ? 'null' : e(2));
      case LOOKUP: {
        this.usesDataSets = true;
        if (typeof args[0] !== 'string' || (args.length > 2 && typeof args[2] !== 'string'))
          return `h.lookup(S, ${e(0)}, ${e(1)}${args.length > 2 ? `, ${e(2)}` : ''})`;
        return this.lookupInline(args[0], args[1], d, args[2] as string | undefined);
      }
    }
    const domain = domainOperators[op];
    if (!domain) throw new Error(`Unrecognized operation ${op}`); // checkRule runs first
    const name = JSON.stringify(op);
    if (domain.kind === 'scoped')
      return `h.d[${name}].run(${e(0)}, ${args.length > 1 ? body(1) : 'undefined'})`;
    return `h.d[${name}].run(${all()})`;
  }

  /**
   * `lookup` of a literal set (and column): the set's table was resolved once at the rule's
   * entry, so a lookup is a key check, one `get` and a property read, all inline.
   */
  private lookupInline(
    set: string,
    keyNode: unknown,
    d: string,
    column: string | undefined,
  ): string {
    let table = this.tables.get(set);
    if (!table) this.tables.set(set, (table = `T${this.tables.size}`));
    const row = this.memo(['lookup', set, d, keyNode]);
    const k = this.temp();
    const get = `${table} === undefined ? undefined : ${table}.get(typeof ${k} === 'string' ? ${k} : h.lookupKey(${k}))`;
    const found = `(${row} === U ? (${k} = ${this.expr(keyNode, d)}, ${row} = ${get}) : ${row})`;
    if (column === undefined) return `(${found} !== undefined)`;
    // Rows have no prototype, so a plain read sees only the row's own columns; names that
    // Object.prototype has still go through an own-property read, should a row have one.
    const c = JSON.stringify(column);
    const read = column in Object.prototype ? `h.own(${row}, ${c})` : `${row}[${c}]`;
    return `(${row} = ${found}, ${row} === undefined ? null : ${read} ?? null)`;
  }

  /** `in` a literal array of primitives: strict comparisons, as indexOf makes them. */
  private inLiteral(args: unknown[], d: string): string | undefined {
    const list = args[1];
    if (!Array.isArray(list) || list.length > 16 || !list.every(isPrimitive)) return undefined;
    const t = this.temp();
    const tests = list.map((v) => `${t} === ${literal(v, this.constants)}`).join(' || ');
    return `(${t} = ${this.expr(args[0], d)}, ${tests || 'false'})`;
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
      return `h.readVar(${this.scope(d)}, ${this.expr(path, d)}, ${this.expr(fallback, d)}, R)`;
    if (path === undefined || path === null || path === '') return this.scope(d);
    const nf = fallback === undefined ? 'null' : literal(fallback, this.constants);
    const segments = semantics.splitPath(path);
    const t = this.temp();
    const reduceScope = this.reduceScopes.get(d);
    let out: string;
    if (segments[0] === semantics.ROOT) {
      // The rule scope, whatever element the body is on (the rule function keeps it in `R`).
      segments.shift();
      out = `(${t} = R, `;
    } else if (reduceScope) {
      // The scope object has exactly these two own properties.
      const first = segments.shift();
      if (first !== 'current' && first !== 'accumulator') return nf;
      out = `(${t} = ${reduceScope[first]}, ${t} === undefined ? ${nf} : `;
    } else {
      // Each step of the path is read once per frame, however many clauses read it.
      let step = d;
      for (let i = 0; i < segments.length; i++) {
        const m = this.memo(['var', d, segments.slice(0, i + 1)]);
        const key = JSON.stringify(segments[i]);
        step = `(${m} !== U ? ${m} : (${t} = ${step}, ${m} = ${t} == null ? undefined : h.own(${t}, ${key})))`;
      }
      return `((${t} = ${step}) === undefined ? ${nf} : ${t})`;
    }
    for (const key of segments)
      out += `${t} == null ? ${nf} : (${t} = h.own(${t}, ${JSON.stringify(key)})) === undefined ? ${nf} : `;
    return `${out}${t})`;
  }
}

/** Generates the function for a checked rule. */
export function generate(logic: unknown): CompiledRule {
  const gen = new Generator();
  const expression = gen.expr(logic, 'd');
  // Loop bodies see their element as `d`: a lookup in them reads the rule scope's sets from `S`.
  const tables = [...gen.tables].map(
    ([name, t]) => `${t} = h.tableOf(S, ${JSON.stringify(name)});`,
  );
  const sets = gen.usesDataSets
    ? `S = d == null ? undefined : d[h.DATA_SETS]; ${tables.join(' ')}`
    : '';
  const declared = ['S', 'R', ...gen.tables.values()].join(', ');
  // Rules run to completion one at a time (they call nothing that could run another), so the
  // scope kept in `R` for `$root` reads is this call's throughout.
  const source = `"use strict"; const U = h.U; let ${declared}; ${gen.hoisted.join('\n')} return function rule(d) { R = d; ${sets} ${gen.declarations()} ${gen.memoResets()} return ${expression}; };`;
  return new Function('h', 'k', source)(helpers, gen.constants) as CompiledRule;
}
