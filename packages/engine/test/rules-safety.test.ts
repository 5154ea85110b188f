import { compileRule, evaluateRule, RuleError } from '../src';

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

  it('refuses a computed path through a prototype at run time', () => {
    const rule = { var: { cat: ['__pro', 'to__'] } };
    expect(() => compileRule(rule)({})).toThrow(RuleError);
    expect(() => evaluateRule(rule, {})).toThrow(RuleError);
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
