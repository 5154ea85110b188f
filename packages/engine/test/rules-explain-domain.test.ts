import { compileRule, evaluateRule, explainRule } from '../src';

describe('explainRule', () => {
  it('names the failing clause and the values it saw', () => {
    const e = explainRule({ '<=': [{ var: 'daysSincePurchase' }, 30] }, { daysSincePurchase: 45 });
    expect(e).toMatchObject({
      message: 'daysSincePurchase was 45, needed <= 30',
      operator: '<=',
      values: [{ path: 'daysSincePurchase', value: 45 }, { value: 30 }],
    });
  });

  it('says what a list needed to contain', () => {
    expect(
      explainRule({ in: ['manager', { var: '$actor.roles' }] }, { $actor: { roles: ['clerk'] } })
        ?.message,
    ).toBe('$actor.roles was ["clerk"], needed to contain "manager"');
  });

  it('is undefined when the rule holds', () => {
    expect(explainRule({ '==': [1, 1] }, {})).toBeUndefined();
  });

  it('walks and/or/!/if and names the element of all/some', () => {
    const rule = {
      and: [
        { '==': [{ var: 'finance.approved' }, true] },
        { '>=': [{ var: 'stock' }, { var: 'qty' }] },
      ],
    };
    expect(explainRule(rule, { finance: { approved: true }, stock: 2, qty: 5 })?.message).toBe(
      'stock was 2, needed >= qty (5)',
    );
    expect(explainRule({ or: [{ var: 'a' }, { '>': [{ var: 'b' }, 3] }] }, { b: 1 })?.message).toBe(
      'none of these held: a was null, needed a value; b was 1, needed > 3',
    );
    const bins = {
      all: [
        { var: 'lines' },
        { or: [{ '!': { var: 'bin' } }, { '==': [{ substr: [{ var: 'bin' }, 0, 2] }, 'P-'] }] },
      ],
    };
    const e = explainRule(bins, { lines: [{ bin: 'P-1' }, { bin: 'X-9' }] });
    expect(e?.message).toContain('lines[1]: ');
    expect(e?.message).toContain('bin was "X-9"');
    expect(
      explainRule(
        { if: [{ var: 'vip' }, { '<': [{ var: 'total' }, 100] }, true] },
        { vip: true, total: 500 },
      )?.message,
    ).toBe('total was 500, needed < 100');
    expect(explainRule({ missing: ['a', 'b'] }, { a: 1 })).toBeUndefined();
    expect(explainRule({ '!': { missing: ['a', 'b'] } }, { a: 1 })?.message).toContain('["b"]');
  });
});

describe('domain operators', () => {
  const lines = [
    { qty: 2, price: { amount: 150 } },
    { qty: 3, price: { amount: 1000 } },
  ];
  it.each([
    [
      { sum: [{ var: 'lines' }, { '*': [{ var: 'qty' }, { var: 'price.amount' }] }] },
      { lines },
      3300,
    ],
    [{ sum: [[1, 2, '3']] }, {}, 6],
    [{ sum: [{ var: 'none' }] }, {}, 0],
    [{ count: [{ var: 'lines' }, { '>': [{ var: 'qty' }, 2] }] }, { lines }, 1],
    [{ count: [{ var: 'lines' }] }, { lines }, 2],
    [
      { days_between: [{ var: 'purchased' }, { var: '$now' }] },
      { purchased: '2026-01-01', $now: '2026-02-15T10:00:00Z' },
      45,
    ],
    [{ hours_between: ['2026-01-01T00:00:00Z', '2026-01-01T05:59:00Z'] }, {}, 5],
    [{ days_between: ['not a date', '2026-01-01'] }, {}, null],
    [{ date_add: ['2026-01-31T00:00:00.000Z', 'P1M'] }, {}, '2026-02-28T00:00:00.000Z'],
    [{ date_add: ['2026-01-31', 'nonsense'] }, {}, null],
    [{ round: [2.345, 2] }, {}, 2.35],
    [{ round: [-2.5] }, {}, -3],
  ])('%j on %j is %j in both forms', (rule, data, expected) => {
    expect(evaluateRule(rule, data)).toEqual(expected);
    expect(compileRule(rule)(data)).toEqual(expected);
  });
});
