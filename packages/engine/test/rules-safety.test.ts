import { compileRule, evaluateRule, RuleError } from '../src';
import { ruleScope } from '../src/interpreter/rule-scope';
import { testContext } from '../src/testing';

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof RuleError ? [error.code, error.path] : ['other', String(error)];
  }
  return ['none'];
};

describe('rule safety', () => {
  it.each([
    '__proto__',
    'constructor',
    'a.__proto__.x',
    'constructor.prototype',
    'lines.0.constructor',
  ])('refuses the var path %s in both forms', (path) => {
    expect(code(() => compileRule({ var: path }))[0]).toBe('unsafe_path');
    expect(code(() => evaluateRule({ var: path }, {}))[0]).toBe('unsafe_path');
  });

  it('reads nothing through a computed path to a prototype at run time (never throws)', () => {
    for (const path of ['__proto__', 'constructor', 'a.__proto__', 'toString']) {
      const rule = { var: [{ cat: [path] }, 'none'] };
      expect(compileRule(rule)({ a: {} })).toBe('none');
      expect(evaluateRule(rule, { a: {} })).toBe('none');
    }
  });

  it('reads own properties only, in both forms', () => {
    const data = JSON.parse('{"a": {"b": 1}, "s": "abc", "l": [1, 2]}');
    for (const [path, expected] of [
      ['a.b', 1],
      ['a.toString', null],
      ['a.hasOwnProperty', null],
      ['s.length', 3],
      ['l.length', 2],
      ['l.1', 2],
      ['l.map', null],
    ] as const) {
      expect(compileRule({ var: path })(data)).toBe(expected);
      expect(evaluateRule({ var: path }, data)).toBe(expected);
    }
  });

  it('reads no inherited property, whatever the prototype, even one polluted after compiling', () => {
    // Compiled rules read a property first and then check that it was the object's own.
    const rule = { cat: [{ var: 'a.b' }, '|', { var: 'a.c' }, '|', { var: 'x' }] };
    const compiled = compileRule(rule);
    class Base {
      get c() {
        return 'inherited getter';
      }
    }
    Object.defineProperty(Base.prototype, 'b', { value: 'inherited', enumerable: true });
    const fromClass = { a: new Base(), x: 1 };
    const nullProto = { a: Object.assign(Object.create(null) as object, { b: 2 }), x: 1 };
    const chained = { a: Object.create({ b: 'parent', c: 'parent' }) as object, x: 1 };
    const plain = { a: { b: 3 }, x: 1 };
    for (const data of [fromClass, nullProto, chained, plain, fromClass])
      expect(compiled(data)).toBe(evaluateRule(rule, data));
    expect(compiled(fromClass)).toBe('||1');
    expect(compiled(nullProto)).toBe('2||1');
    expect(compiled(chained)).toBe('||1');
    // Warm enough for V8 to optimise the function on these shapes before the prototype changes.
    for (let i = 0; i < 50_000; i++) compiled(plain);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.c = 'polluted';
      proto.x = 'polluted';
      expect(compiled(plain)).toBe('3||1');
      expect(compiled({ a: {} })).toBe('||');
      expect(compileRule(rule)({ a: {} })).toBe('||');
      expect(evaluateRule(rule, { a: {} })).toBe('||');
    } finally {
      delete proto.c;
      delete proto.x;
    }
    expect(compiled({ a: { c: 'own' }, x: 'own' })).toBe('|own|own');
  });

  it('reads own getters once and own properties that hold undefined as absent', () => {
    let calls = 0;
    const data = {
      get n() {
        calls++;
        return 4;
      },
      u: undefined,
    };
    expect(compileRule({ '+': [{ var: 'n' }, 1] })(data)).toBe(5);
    expect(calls).toBe(1);
    expect(compileRule({ var: ['u', 'fallback'] })(data)).toBe('fallback');
  });

  it('names the place of an unknown operator', () => {
    expect(code(() => compileRule({ and: [true, { eval: ['1'] }] }))).toEqual([
      'unknown_operator',
      '/and/1/eval',
    ]);
  });

  it('caps depth and size', () => {
    let deep: unknown = true;
    for (let i = 0; i < 100; i++) deep = { '!': [deep] };
    expect(code(() => compileRule(deep))[0]).toBe('rule_too_deep');
    expect(code(() => compileRule({ and: Array.from({ length: 6000 }, () => true) }))[0]).toBe(
      'rule_too_large',
    );
    expect(
      compileRule(
        { and: Array.from({ length: 100 }, () => true) },
        { limits: { maxNodes: 200 } },
      )({}),
    ).toBe(true);
  });

  it('keeps hostile strings in literals and var names as data, never as code', () => {
    const hostile = [
      '"); throw new Error("pwned"); ("',
      '`${process.exit(1)}`',
      "'; globalThis.x = 1; '",
      '\u2028\u2029',
      '\\',
      '*/ throw 1 /*',
    ];
    for (const text of hostile) {
      const rule = { cat: [text, { var: text }] };
      const data = { [text]: '!' };
      expect(compileRule(rule)(data)).toBe(evaluateRule(rule, data));
      expect(compileRule(rule)(data)).toBe(text.includes('.') ? text : `${text}!`);
      expect(compileRule({ '==': [{ var: [text, text] }, text] })({})).toBe(true);
    }
    expect((globalThis as Record<string, unknown>).x).toBeUndefined();
  });

  it('does not log from the log operator', () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(compileRule({ log: 'x' })({})).toBe('x');
    expect(evaluateRule({ log: 'x' }, {})).toBe('x');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('the rule scope of order data with its own "__proto__" key', () => {
  it('keeps the key as plain data and gives the scope no prototype from it', () => {
    const data = JSON.parse('{"qty": 2, "__proto__": {"isAdmin": true}}') as Record<
      string,
      unknown
    >;
    const order = {
      id: 'o',
      flow: 'f',
      flowVersion: 1,
      state: 'new',
      data,
      version: 1,
      createdAt: 'now',
      updatedAt: 'now',
    };
    const scope = ruleScope(order, undefined, testContext());
    expect(Object.getPrototypeOf(scope)).toBe(Object.prototype);
    expect((scope as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.hasOwn(scope, '__proto__')).toBe(true);
    expect(scope.qty).toBe(2);
    expect(compileRule({ var: 'isAdmin' })(scope)).toBeNull();
  });
});
