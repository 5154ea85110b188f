/**
 * Compiles a rule to a JavaScript function once, so that guards and rules on the hot path
 * run as plain code. The rule is hostile input: operators come from an allow-list and are
 * never written into the source; every value from the rule enters the source only as a JSON
 * literal (JSON.stringify) or as a reference into a constants array.
 */
import { DATA_SETS, indexOf, lookup, lookupKey, rowOf, tableOf } from './data-sets';
import { domainOperators, LOOKUP } from './domain-operators';
import { FrameMemos } from './frame-memos';
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
  indexOf,
  rowOf,
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

/**
 * What generated code is known to give: a boolean, a primitive (never an array, so
 * JsonLogic's truthiness is JavaScript's), or anything.
 */
type Kind = 'bool' | 'prim' | 'any';
/** Generated source (atomic or parenthesised) and what it gives. */
interface Code {
  src: string;
  kind: Kind;
}
const code = (src: string, kind: Kind = 'any'): Code => ({ src, kind });
const joined = (kinds: Kind[]): Kind =>
  kinds.every((k) => k === 'bool') ? 'bool' : kinds.includes('any') ? 'any' : 'prim';

/** JsonLogic truthiness of generated code, as plain JavaScript when its kind allows. */
function test(c: Code): string {
  if (c.kind === 'bool') return `(${c.src})`;
  return c.kind === 'prim' ? `!!(${c.src})` : `h.truthy(${c.src})`;
}

/** A reduce body's scope `{ current, accumulator }`, kept as two loop variables. */
interface ReduceScope {
  current: string;
  accumulator: string;
}

/** A generated function's own temps: the rule function or a loop function. */
interface Frame {
  temps: string[];
  /** Two temps an own-property read works in (it never nests another read). */
  scratch?: [value: string, proto: string];
}

class Generator {
  readonly constants: unknown[] = [];
  /** Loop functions, declared once next to the rule (not per call). */
  readonly hoisted: string[] = [];
  private temps = 0;
  private scopes = 0;
  /** Whether the rule reads data sets (the rule function then keeps its scope's in `S`). */
  usesDataSets = false;
  /** Whether the rule reads `$root` or a computed path (the rule function keeps its scope in `R`). */
  usesRoot = false;
  /**
   * The sets named by a literal, each resolved to its table once per call (`T0`, `T1`, …), and
   * to the table's index (`X0`, `X1`, …) when it has one.
   */
  readonly tables = new Map<string, string>();
  private frame: Frame = { temps: [] };
  private memos = this.newMemos();
  private readonly reduceScopes = new Map<string, ReduceScope>();

  temp(): string {
    const t = `t${this.temps++}`;
    this.frame.temps.push(t);
    return t;
  }

  private newMemos(): FrameMemos {
    return new FrameMemos(() => this.temp());
  }

  /** Statements forgetting what the rule frame has read (run as it starts). */
  memoResets(): string {
    return this.memos.resets('; ');
  }

  declarations(): string {
    return this.frame.temps.length ? `let ${this.frame.temps.join(', ')};` : '';
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
    this.frame = { temps: [] };
    this.memos = this.newMemos();
    if (op === 'reduce') this.reduceScopes.set(item, { current: item, accumulator: acc });
    const b = this.gen(body, item);
    const decl = this.declarations();
    const resets = this.memos.resets('; ');
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
        src = `function ${name}(l, ${acc}) { if (!Array.isArray(l)) return ${acc}; ${decl} ${each(`${acc} = ${b.src};`)} return ${acc}; }`;
        break;
      case 'map':
        src = `function ${name}(l) { if (!Array.isArray(l)) return []; ${decl} const out = new Array(l.length); ${each(`out[i] = ${b.src};`, true)} return out; }`;
        break;
      case 'filter':
        src = `function ${name}(l) { if (!Array.isArray(l)) return []; ${decl} const out = []; ${each(`if (${test(b)}) out.push(${item});`, true)} return out; }`;
        break;
      case 'all':
        src = `function ${name}(l) { if (!Array.isArray(l) || l.length === 0) return false; ${decl} ${each(`if (!${test(b)}) return false;`)} return true; }`;
        break;
      default:
        src = `function ${name}(l) { if (!Array.isArray(l)) return false; ${decl} ${each(`if (${test(b)}) return true;`)} return false; }`;
    }
    this.hoisted.push(src);
    if (op === 'reduce') return `${name}(${list}, ${initial})`;
    return op === 'none' ? `!${name}(${list})` : `${name}(${list})`;
  }

  /** Source of an expression evaluating `node` with the data in variable `d`. */
  expr(node: unknown, d: string): string {
    return this.gen(node, d).src;
  }

  /** Code evaluating `node` with the data in variable `d`. */
  gen(node: unknown, d: string): Code {
    if (Array.isArray(node)) return code(`[${node.map((n) => this.expr(n, d)).join(', ')}]`);
    if (!isLogic(node))
      return code(
        literal(node, this.constants),
        typeof node === 'boolean' ? 'bool' : isPrimitive(node) ? 'prim' : 'any',
      );
    const [op, args] = opOf(node);
    const e = (i: number) => (i < args.length ? this.expr(args[i], d) : 'undefined');
    const all = () => args.map((a) => this.expr(a, d)).join(', ');
    const body = (i: number) => {
      const p = `d${++this.scopes}`;
      // Called per element: what it reads is its own, forgotten on each call.
      const outerMemos = this.memos;
      this.memos = this.newMemos();
      const inner = this.expr(args[i], p);
      const resets = this.memos.resets(', ');
      this.memos = outerMemos;
      return `((${p}) => (${resets}${inner}))`;
    };
    switch (op) {
      case 'var':
        return this.readVar(args, d);
      case 'missing':
        return code(`h.missing(${this.scope(d)}, [${all()}])`);
      case 'missing_some':
        return code(`h.missingSome(${this.scope(d)}, ${e(0)}, ${e(1)})`);
      case 'if':
      case '?:':
        return this.ifElse(args, d);
      case 'and':
      case 'or':
        return this.andOr(op, args, d);
      case '==':
      case '===':
      case '!=':
      case '!==':
      case '>':
      case '>=':
        return code(`(${e(0)} ${op} ${e(1)})`, 'bool');
      case '%':
      case '/':
        return code(`(${e(0)} ${op} ${e(1)})`, 'prim');
      case '<':
      case '<=':
        return code(
          args.length >= 3
            ? `h.${op === '<' ? 'lt' : 'le'}(${e(0)}, ${e(1)}, ${e(2)})`
            : `(${e(0)} ${op} ${e(1)})`,
          'bool',
        );
      case '!':
        return code(`!${test(this.operand(args, d))}`, 'bool');
      case '!!':
        return code(test(this.operand(args, d)), 'bool');
      case '-':
        if (args.length === 1) return code(`(-(${e(0)}))`, 'prim');
        return code(
          typeof args[1] === 'number' ? `(${e(0)} - ${e(1)})` : `h.minus(${e(0)}, ${e(1)})`,
          'prim',
        );
      case '+':
        return code(`(0${args.map((_, i) => ` + h.num(${e(i)})`).join('')})`, 'prim');
      case '*':
        if (args.length === 0) return code('h.times([])');
        if (args.length === 1) return this.gen(args[0], d);
        return code(`(${args.map((_, i) => `h.num(${e(i)})`).join(' * ')})`, 'prim');
      case 'min':
      case 'max':
        return code(`h.${op}([${all()}])`, 'prim');
      case 'merge':
        return code(`h.merge([${all()}])`);
      case 'in':
        return code(this.inLiteral(args, d) ?? `h.inOp(${e(0)}, ${e(1)})`, 'bool');
      case 'cat':
        return code(`h.cat([${all()}])`, 'prim');
      case 'substr':
        return code(`h.substr(${e(0)}, ${e(1)}, ${e(2)})`, 'prim');
      case 'log':
        return this.operand(args, d);
      case 'filter':
      case 'map':
        return code(this.loop(op, e(0), args[1], ''));
      case 'all':
      case 'some':
      case 'none':
        return code(this.loop(op, e(0), args[1], ''), 'bool');
      case 'reduce':
        return code(this.loop(op, e(0), args[1], args[2] === undefined ? 'null' : e(2)));
      case LOOKUP: {
        this.usesDataSets = true;
        if (typeof args[0] !== 'string' || (args.length > 2 && typeof args[2] !== 'string'))
          return code(`h.lookup(S, ${e(0)}, ${e(1)}${args.length > 2 ? `, ${e(2)}` : ''})`);
        return this.lookupInline(args[0], args[1], d, args[2] as string | undefined);
      }
    }
    const domain = domainOperators[op];
    if (!domain) throw new Error(`Unrecognized operation ${op}`); // checkRule runs first
    const name = JSON.stringify(op);
    if (domain.kind === 'scoped')
      return code(`h.d[${name}].run(${e(0)}, ${args.length > 1 ? body(1) : 'undefined'})`);
    return code(`h.d[${name}].run(${all()})`);
  }

  /** The first operand (undefined when there is none). */
  private operand(args: unknown[], d: string): Code {
    return args.length ? this.gen(args[0], d) : code('undefined', 'prim');
  }

  /**
   * `and` / `or`: the first operand that decides, else the last. Operands known not to be
   * arrays use JavaScript's `&&` / `||` (the same truthiness); the others keep theirs in a temp.
   */
  private andOr(op: 'and' | 'or', args: unknown[], d: string): Code {
    if (args.length === 0) return code('undefined', 'prim');
    const first = this.gen(args[0], d);
    // The operands after the first run only when the ones before did not decide.
    const parts = [first, ...this.memos.maybe(() => args.slice(1).map((a) => this.gen(a, d)))];
    let out = parts[parts.length - 1].src;
    let t: string | undefined;
    for (let i = parts.length - 2; i >= 0; i--) {
      const part = parts[i];
      if (part.kind !== 'any') out = `(${part.src} ${op === 'and' ? '&&' : '||'} ${out})`;
      else {
        t ??= this.temp();
        out = `((${t} = ${part.src}, ${op === 'and' ? '!' : ''}h.truthy(${t})) ? ${t} : ${out})`;
      }
    }
    return code(out, joined(parts.map((p) => p.kind)));
  }

  /** `if` / `?:`: condition, then, (condition, then)…, else (null without one). */
  private ifElse(args: unknown[], d: string): Code {
    if (args.length < 2) return args.length ? this.gen(args[0], d) : code('null', 'prim');
    const first = this.gen(args[0], d);
    // After the first condition, every branch and condition may not run.
    return this.memos.maybe(() => {
      const kinds: Kind[] = [];
      let out = '';
      let condition = first;
      let i = 1;
      for (; ; i += 2) {
        const then = this.memos.maybe(() => this.gen(args[i], d));
        kinds.push(then.kind);
        out += `${test(condition)} ? ${then.src} : `;
        if (i + 2 >= args.length) break;
        condition = this.gen(args[i + 1], d);
      }
      const last = i + 2 === args.length ? this.gen(args[i + 1], d) : code('null', 'prim');
      kinds.push(last.kind);
      return code(`(${out}${last.src})`, joined(kinds));
    });
  }

  /**
   * `lookup` of a literal set (and column): the set's table was resolved once at the rule's
   * entry, so a lookup is a key check, one `get` and a property read, all inline; the row is
   * read once per frame and key.
   */
  private lookupInline(set: string, keyNode: unknown, d: string, column: string | undefined): Code {
    let table = this.tables.get(set);
    if (!table) this.tables.set(set, (table = `T${this.tables.size}`));
    const what = ['lookup', set, d, keyNode];
    const found = this.memos.use(what, () => {
      const k = this.temp();
      const index = `X${table.slice(1)}`;
      return `(${k} = ${this.expr(keyNode, d)}, typeof ${k} === 'string' && ${index} !== undefined ? ${index}[${k}] : h.rowOf(${table}, ${k}))`;
    });
    const row = this.memos.temp(what);
    if (column === undefined) return code(`(${found} !== undefined)`, 'bool');
    // Rows have only an empty, frozen prototype (or none), so a plain read sees only the row's
    // own columns; names that Object.prototype has still go through an own-property read.
    const c = JSON.stringify(column);
    const read = column in Object.prototype ? `h.own(${row}, ${c})` : `${row}[${c}]`;
    const first = found === row ? '' : `${found}, `;
    return code(`(${first}${row} === undefined ? null : ${read} ?? null)`);
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
   * An own property `key` of the value in variable `o` (undefined when `o` is null or
   * undefined, or the property is absent or inherited). Read as a plain property first: when
   * `o`'s prototype is Object.prototype without that name, or null, what it read is its own
   * (V8 folds the prototype check to a map check); otherwise Object.hasOwn decides.
   */
  private ownRead(o: string, key: string): string {
    const k = JSON.stringify(key);
    if (key in Object.prototype) return `(${o} == null ? undefined : h.own(${o}, ${k}))`;
    this.frame.scratch ??= [this.temp(), this.temp()];
    const [v, p] = this.frame.scratch;
    return `(${o} == null ? undefined : (${v} = ${o}[${k}]) === undefined || ((${p} = gp(${o})) === OP ? OP[${k}] === undefined : ${p} === null) ? ${v} : hasOwn(${o}, ${k}) ? ${v} : undefined)`;
  }

  /**
   * `var` with a literal path (checked: no prototype segments) becomes inline own-property
   * reads, each step read once per frame; a computed path goes through readVar.
   */
  private readVar(args: unknown[], d: string): Code {
    const [path, fallback] = args;
    const literalPath =
      path === undefined || path === null || typeof path === 'string' || typeof path === 'number';
    if (!literalPath || !isPrimitive(fallback)) {
      this.usesRoot = true;
      return code(
        `h.readVar(${this.scope(d)}, ${this.expr(path, d)}, ${this.expr(fallback, d)}, R)`,
      );
    }
    if (path === undefined || path === null || path === '') return code(this.scope(d));
    const nf = fallback === undefined ? 'null' : literal(fallback, this.constants);
    const segments = semantics.splitPath(path);
    let base = d;
    const reduceScope = this.reduceScopes.get(d);
    if (segments[0] === semantics.ROOT) {
      // The rule scope, whatever element the body is on (the rule function keeps it in `R`).
      segments.shift();
      this.usesRoot = true;
      if (segments.length === 0) return code('R');
      base = 'R';
    } else if (reduceScope) {
      // The scope object has exactly these two own properties.
      const first = segments.shift();
      if (first !== 'current' && first !== 'accumulator') return code(nf, 'prim');
      base = reduceScope[first];
    }
    if (segments.length === 0) return code(`(${base} === undefined ? ${nf} : ${base})`);
    const what = (i: number) => ['var', base, segments.slice(0, i + 1)];
    const step = (i: number): string =>
      this.memos.use(what(i), () => {
        const before = i === 0 ? base : step(i - 1);
        const o = i === 0 ? base : this.memos.temp(what(i - 1));
        const read = this.ownRead(o, segments[i]);
        return before === o ? read : `(${before}, ${read})`;
      });
    const last = step(segments.length - 1);
    const t = this.memos.temp(what(segments.length - 1));
    const first = last === t ? '' : `${last}, `;
    return code(`(${first}${t} === undefined ? ${nf} : ${t})`);
  }
}

/** Generates the function for a checked rule. */
export function generate(logic: unknown): CompiledRule {
  const gen = new Generator();
  const expression = gen.expr(logic, 'd');
  // Loop bodies see their element as `d`: a lookup in them reads the rule scope's sets from `S`.
  const tables = [...gen.tables].map(
    ([name, t]) =>
      `${t} = h.tableOf(S, ${JSON.stringify(name)}); X${t.slice(1)} = h.indexOf(${t});`,
  );
  const sets = gen.usesDataSets
    ? `S = d == null ? undefined : d[h.DATA_SETS]; ${tables.join(' ')}`
    : '';
  const declared = [
    'S',
    'R',
    ...[...gen.tables.values()].flatMap((t) => [t, `X${t.slice(1)}`]),
  ].join(', ');
  // Rules run to completion one at a time (they call nothing that could run another), so the
  // scope kept in `R` for `$root` reads is this call's throughout.
  const root = gen.usesRoot ? 'R = d;' : '';
  const consts =
    'const U = h.U, gp = Object.getPrototypeOf, OP = Object.prototype, hasOwn = Object.hasOwn;';
  const source = `"use strict"; ${consts} let ${declared}; ${gen.hoisted.join('\n')} return function rule(d) { ${root} ${sets} ${gen.declarations()} ${gen.memoResets()} return ${expression}; };`;
  return new Function('h', 'k', source)(helpers, gen.constants) as CompiledRule;
}
