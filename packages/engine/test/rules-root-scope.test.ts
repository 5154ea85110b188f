import { compileRule, evaluateRule, explainRule, type Flow, validateFlow } from '../src';

/** Both ways of running a rule must agree. */
const run = (logic: unknown, data: Record<string, unknown>) => {
  const compiled = compileRule(logic)(data);
  expect(evaluateRule(logic, data)).toEqual(compiled);
  return compiled;
};

const quotes = [
  { carrier: 'A', bands: ['ambient'], price: 300, etaHours: 5 },
  { carrier: 'B', bands: ['2-8C', 'ambient'], price: 500, etaHours: 30 },
  { carrier: 'C', bands: ['2-8C'], price: 700, etaHours: 6 },
  { carrier: 'D', bands: ['2-8C', 'frozen'], price: 650, etaHours: 8 },
];
/** The cheapest quote that holds the order's band within its ETA limit, or null. */
const cheapestCompliant = {
  reduce: [
    {
      filter: [
        { var: 'quotes' },
        {
          and: [
            { in: [{ var: '$root.band' }, { var: 'bands' }] },
            { '<=': [{ var: 'etaHours' }, { var: '$root.maxEtaHours' }] },
          ],
        },
      ],
    },
    {
      if: [
        {
          or: [
            { '!': { var: 'accumulator' } },
            { '<': [{ var: 'current.price' }, { var: 'accumulator.price' }] },
          ],
        },
        { var: 'current' },
        { var: 'accumulator' },
      ],
    },
    null,
  ],
};

describe('$root: the rule scope inside loop bodies', () => {
  it('reads the order data whatever element a loop body is on', () => {
    const data = { band: '2-8C', maxEtaHours: 12, quotes };
    expect(run(cheapestCompliant, data)).toEqual(quotes[3]);
    expect(run(cheapestCompliant, { ...data, maxEtaHours: 40 })).toEqual(quotes[1]);
    expect(run(cheapestCompliant, { ...data, band: 'frozen', maxEtaHours: 6 })).toBeNull();
    // In every loop operator, nested loops and reduce bodies; at the top it is the scope too.
    const nested = {
      map: [
        { var: 'quotes' },
        { some: [{ var: 'bands' }, { '==': [{ var: '' }, { var: '$root.band' }] }] },
      ],
    };
    expect(run(nested, data)).toEqual([false, true, true, true]);
    expect(run({ var: '$root.band' }, data)).toBe('2-8C');
    expect(run({ var: '$root' }, { a: 1 })).toEqual({ a: 1 });
    expect(
      run({ reduce: [[1, 2], { '+': [{ var: 'accumulator' }, { var: '$root.k' }] }, 0] }, { k: 5 }),
    ).toBe(10);
    // A computed path, a default, and a missing key.
    expect(run({ map: [[1], { var: [{ cat: ['$root.', 'band'] }] }] }, data)).toEqual(['2-8C']);
    expect(run({ map: [[1], { var: ['$root.nope', 'x'] }] }, data)).toEqual(['x']);
  });

  it('an element that has a "$root" key of its own does not hide the scope', () => {
    const data = { band: 'ambient', list: [{ $root: { band: 'forged' } }] };
    expect(run({ map: [{ var: 'list' }, { var: '$root.band' }] }, data)).toEqual(['ambient']);
  });

  it('refuses prototype segments after $root, and explains failures inside loops with it', () => {
    expect(() => compileRule({ map: [[1], { var: '$root.__proto__' }] })).toThrow(/__proto__/);
    expect(run({ map: [[1], { var: [{ cat: ['$root.', '__proto__'] }] }] }, {})).toEqual([null]);
    const logic = {
      all: [{ var: 'lines' }, { '<=': [{ var: 'qty' }, { var: '$root.limit' }] }],
    };
    expect(explainRule(logic, { limit: 3, lines: [{ qty: 1 }, { qty: 4 }] })?.message).toBe(
      'lines[1]: qty was 4, needed <= $root.limit (3)',
    );
  });

  it('is checked by the lint against the fields', () => {
    const flow = (guard: unknown): Flow =>
      ({
        schemaVersion: 1,
        key: 'f',
        name: 'f',
        fields: [
          { key: 'band', type: 'string' },
          { key: 'quotes', type: 'array', items: [{ key: 'etaHours', type: 'number' }] },
        ],
        states: [
          { id: 'a', initial: true },
          { id: 'b', final: true },
        ],
        transitions: [{ id: 't', from: 'a', to: 'b', event: 'go', guard }],
      }) as Flow;
    const ok = validateFlow(
      flow({ some: [{ var: 'quotes' }, { '==': [{ var: '$root.band' }, 'x'] }] }),
    );
    expect(ok.problems.filter((p) => p.code === 'unknown_variable')).toEqual([]);
    const bad = validateFlow(
      flow({ some: [{ var: 'quotes' }, { '==': [{ var: '$root.bnd' }, 'x'] }] }),
    );
    expect(bad.problems).toEqual([
      expect.objectContaining({
        code: 'unknown_variable',
        path: '/transitions/0/guard/some/1/==/0/var',
      }),
    ]);
    // Inside the loop, a plain path still reads the element.
    const element = validateFlow(flow({ some: [{ var: 'quotes' }, { var: 'band' }] }));
    expect(element.problems.map((p) => p.code)).toContain('unknown_variable');
  });
});
