import { compileFlow, compileRule, evaluateRule, explainRule, type Flow } from '../src';
import { DATA_SETS, dataSetRow, type DataSets } from '../src/rules/data-sets';
import { memoryDataSets, testContext } from '../src/testing';

const sets = memoryDataSets({
  'drug-codes': {
    version: 3,
    rows: {
      A100: { code: 'A100', restricted: false, maxQty: 50 },
      R200: { code: 'R200', restricted: true, maxQty: 5 },
      '42': { code: '42', restricted: false, maxQty: null },
    },
  },
});
const scope = (data: Record<string, unknown>) => ({ ...data, [DATA_SETS]: sets });

/** Both ways of running a rule must agree. */
const run = (logic: unknown, data: Record<string, unknown>) => {
  const compiled = compileRule(logic)(scope(data));
  expect(evaluateRule(logic, scope(data))).toEqual(compiled);
  return compiled;
};

describe('lookup', () => {
  it('reads a column of the row under the key, null when the row or the column is absent', () => {
    expect(run({ lookup: ['drug-codes', { var: 'code' }, 'maxQty'] }, { code: 'R200' })).toBe(5);
    expect(run({ lookup: ['drug-codes', { var: 'code' }, 'maxQty'] }, { code: 'X' })).toBeNull();
    expect(run({ lookup: ['drug-codes', 'A100', 'colour'] }, {})).toBeNull();
    expect(run({ lookup: ['drug-codes', '42', 'maxQty'] }, {})).toBeNull();
    expect(run({ lookup: ['no-such-set', 'A100', 'code'] }, {})).toBeNull();
  });

  it('without a column says whether the row exists; a number key is its JSON text', () => {
    expect(run({ lookup: ['drug-codes', 'A100'] }, {})).toBe(true);
    expect(run({ lookup: ['drug-codes', 'nope'] }, {})).toBe(false);
    expect(run({ lookup: ['drug-codes', { var: 'n' }] }, { n: 42 })).toBe(true);
    for (const key of [null, true, { a: 1 }, ['A100'], Number.NaN])
      expect(run({ lookup: ['drug-codes', { var: 'k' }] }, { k: key })).toBe(false);
  });

  it('reads the rule scope’s sets inside loop bodies, where the data is the element', () => {
    const allKnown = { all: [{ var: 'lines' }, { lookup: ['drug-codes', { var: 'code' }] }] };
    const restricted = {
      filter: [{ var: 'lines' }, { lookup: ['drug-codes', { var: 'code' }, 'restricted'] }],
    };
    const lines = [{ code: 'A100' }, { code: 'R200' }];
    expect(run(allKnown, { lines })).toBe(true);
    expect(run(allKnown, { lines: [...lines, { code: 'B1' }] })).toBe(false);
    expect(run(restricted, { lines })).toEqual([{ code: 'R200' }]);
    const qty = {
      reduce: [
        { var: 'lines' },
        {
          '+': [
            { var: 'accumulator' },
            { lookup: ['drug-codes', { var: 'current.code' }, 'maxQty'] },
          ],
        },
        0,
      ],
    };
    expect(run(qty, { lines })).toBe(55);
  });

  it('looks a row up once per element yet right for every element, in loops and scoped bodies', () => {
    const lines = [{ code: 'A100' }, { code: 'R200' }, { code: 'Q' }, { code: 'R200' }];
    const both = {
      and: [
        { lookup: ['drug-codes', { var: 'code' }] },
        { '!': { lookup: ['drug-codes', { var: 'code' }, 'restricted'] } },
      ],
    };
    expect(run({ filter: [{ var: 'lines' }, both] }, { lines })).toEqual([{ code: 'A100' }]);
    expect(run({ count: [{ var: 'lines' }, both] }, { lines })).toBe(1);
    expect(
      run(
        { sum: [{ var: 'lines' }, { lookup: ['drug-codes', { var: 'code' }, 'maxQty'] }] },
        { lines: [lines[0], lines[1], lines[3]] },
      ),
    ).toBe(60);
    expect(
      run(
        {
          map: [
            { var: 'lines' },
            {
              if: [
                { lookup: ['drug-codes', { var: 'code' }] },
                { lookup: ['drug-codes', { var: 'code' }, 'maxQty'] },
                -1,
              ],
            },
          ],
        },
        { lines },
      ),
    ).toEqual([50, 5, -1, 5]);
    // One key expression at the top and another inside a loop: each its own row.
    const outer = {
      and: [
        { lookup: ['drug-codes', { var: 'code' }] },
        { all: [{ var: 'lines' }, { lookup: ['drug-codes', { var: 'code' }] }] },
      ],
    };
    expect(run(outer, { code: 'A100', lines: [{ code: 'R200' }] })).toBe(true);
    expect(run(outer, { code: 'A100', lines: [{ code: 'Q' }] })).toBe(false);
    expect(run(outer, { code: 'Q', lines: [{ code: 'A100' }] })).toBe(false);
    // A compiled rule called many times forgets the rows of the last call.
    const rule = compileRule({ lookup: ['drug-codes', { var: 'code' }, 'maxQty'] });
    expect(['A100', 'R200', 'Q'].map((code) => rule(scope({ code })))).toEqual([50, 5, null]);
  });

  it('reaches no inherited property and no set through a path', () => {
    for (const column of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(run({ lookup: ['drug-codes', 'A100', column] }, {})).toBeNull();
    for (const key of ['__proto__', 'constructor', 'toString'])
      expect(run({ lookup: ['drug-codes', key] }, {})).toBe(false);
    // The sets ride under a symbol: no `var` reads them, and JSON does not show them.
    expect(run({ var: '' }, { a: 1 })).toEqual({ a: 1, [DATA_SETS]: sets });
    expect(JSON.stringify(scope({ a: 1 }))).toBe('{"a":1}');
  });

  it('reads only own columns of rows a data sets implementation hands out with a prototype', () => {
    const inherited = Object.create({ restricted: true, maxQty: 999 }) as Record<string, unknown>;
    inherited.code = 'P1';
    const plain: DataSets = {
      row: (_name, key) => (key === 'P1' ? inherited : undefined),
      version: () => 1,
    };
    const data = { code: 'P1', [DATA_SETS]: plain };
    for (const column of ['restricted', 'maxQty']) {
      const logic = { lookup: ['drug-codes', { var: 'code' }, column] };
      expect(compileRule(logic)(data)).toBeNull();
      expect(evaluateRule(logic, data)).toBeNull();
    }
    expect(compileRule({ lookup: ['drug-codes', { var: 'code' }, 'code'] })(data)).toBe('P1');
  });

  it('reads no column a polluted Object.prototype carries from rows made by dataSetRow', () => {
    const row = dataSetRow({ code: 'A1' });
    expect(Object.isFrozen(row)).toBe(true);
    expect(Object.keys(row)).toEqual(['code']);
    const data = {
      code: 'A1',
      [DATA_SETS]: { row: () => row, version: () => 1, table: () => new Map([['A1', row]]) },
    };
    const logic = { lookup: ['drug-codes', { var: 'code' }, 'restricted'] };
    const compiled = compileRule(logic);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.restricted = true;
      expect(compiled(data)).toBeNull();
      expect(evaluateRule(logic, data)).toBeNull();
      expect((row as Record<string, unknown>).restricted).toBeUndefined();
    } finally {
      delete proto.restricted;
    }
  });

  it('finds every key of a Map table through its index, names of Object.prototype too', () => {
    const odd = ['__proto__', 'constructor', 'toString', '42', '007', '', 'ключ', '药品-1'];
    const rows = new Map(odd.map((code, i) => [code, dataSetRow({ code, n: i })]));
    const table = (version: number, r: Map<string, ReturnType<typeof dataSetRow>>): DataSets => ({
      row: (_name, key) => r.get(key),
      version: () => version,
      table: () => r,
    });
    const logic = { lookup: ['odd', { var: 'code' }, 'n'] };
    const compiled = compileRule(logic);
    for (const [i, code] of odd.entries())
      expect(compiled({ code, [DATA_SETS]: table(1, rows) })).toBe(i);
    expect(compiled({ code: 42, [DATA_SETS]: table(1, rows) })).toBe(3);
    expect(compiled({ code: 'hasOwnProperty', [DATA_SETS]: table(1, rows) })).toBeNull();
    expect(compiled({ code: null, [DATA_SETS]: table(1, rows) })).toBeNull();
    // A new version is a new table, with an index of its own.
    const next = new Map([['42', dataSetRow({ code: '42', n: 99 })]]);
    expect(compiled({ code: '42', [DATA_SETS]: table(2, next) })).toBe(99);
    expect(compiled({ code: '__proto__', [DATA_SETS]: table(2, next) })).toBeNull();
  });

  it('without data sets finds nothing', () => {
    expect(compileRule({ lookup: ['drug-codes', 'A100'] })({})).toBe(false);
    expect(evaluateRule({ lookup: ['drug-codes', 'A100', 'code'] }, 7)).toBeNull();
  });

  it('explains a refusal with the data set, its version and the key', () => {
    expect(
      explainRule({ lookup: ['drug-codes', { var: 'code' }] }, scope({ code: 'Z9' }))?.message,
    ).toBe('drug-codes v3 has no row "Z9"');
    const notRestricted = { '!': { lookup: ['drug-codes', { var: 'code' }, 'restricted'] } };
    const e = explainRule(notRestricted, scope({ code: 'R200' }));
    expect(e?.values[0]).toMatchObject({
      dataSet: { name: 'drug-codes', version: 3, key: 'R200', column: 'restricted', found: true },
      value: true,
    });
    const within = {
      '<=': [{ var: 'qty' }, { lookup: ['drug-codes', { var: 'code' }, 'maxQty'] }],
    };
    expect(explainRule(within, scope({ code: 'R200', qty: 9 }))?.message).toBe(
      'qty was 9, needed <= drug-codes v3 row "R200" maxQty (5)',
    );
    const each = { all: [{ var: 'lines' }, { lookup: ['drug-codes', { var: 'code' }] }] };
    expect(explainRule(each, scope({ lines: [{ code: 'A100' }, { code: 'Q' }] }))?.message).toBe(
      'lines[1]: drug-codes v3 has no row "Q"',
    );
    expect(explainRule({ lookup: ['clinics', 'C1'] }, scope({}))?.message).toBe(
      'data set clinics (none such) has no row "C1"',
    );
  });

  it('guards a transition with the sets of the engine context', () => {
    const flow: Flow = {
      schemaVersion: 1,
      key: 'pharma',
      name: 'Pharma',
      fields: [{ key: 'code', type: 'string' }],
      states: [{ id: 'new', initial: true }, { id: 'accepted' }],
      transitions: [
        {
          id: 'accept',
          from: 'new',
          to: 'accepted',
          event: 'accept',
          guard: { '!': { lookup: ['drug-codes', { var: 'code' }, 'restricted'] } },
        },
      ],
    } as unknown as Flow;
    const compiled = compileFlow(flow);
    const ctx = testContext({ dataSets: sets });
    const created = compiled.create({ code: 'R200' }, { ...ctx, id: 'o1' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const fired = compiled.fire(created.order, { type: 'accept' }, ctx);
    expect(fired.ok).toBe(false);
    expect(JSON.stringify(!fired.ok && fired.error)).toContain(
      'drug-codes v3 row \\"R200\\" restricted was true',
    );
  });
});
