import { compileFlow, validateFlow, type Flow } from '../src';
import { memoryDataSets, testContext } from '../src/testing';

const sets = memoryDataSets({
  'sku-bins': {
    version: 2,
    rows: {
      'SKU-COLA-330': { sku: 'SKU-COLA-330', primaryBin: 'A-01' },
      'SKU-OIL-1L': { sku: 'SKU-OIL-1L', primaryBin: 'P-01' },
    },
  },
});

/** A flow whose initial state fills each line's bin from the data set, unless it has one. */
const flow = (set: Record<string, unknown>, bin: Record<string, unknown> = {}): Flow =>
  ({
    schemaVersion: 1,
    key: 'bins',
    name: 'Bins',
    fields: [
      { key: 'store', type: 'string' },
      {
        key: 'lines',
        type: 'array',
        items: [
          { key: 'sku', type: 'string', required: true },
          { key: 'qty', type: 'integer' },
          { key: 'bin', type: 'string', ...bin },
        ],
      },
    ],
    states: [
      { id: 'new', initial: true, entry: [{ set }] },
      { id: 'done', final: true },
    ],
    transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'finish' }],
  }) as unknown as Flow;

const fromBins = {
  'lines[].bin': {
    or: [{ var: 'bin' }, { lookup: ['sku-bins', { var: 'sku' }, 'primaryBin'] }],
  },
};

describe('set with a per-line target (lines[].bin)', () => {
  it('computes each line’s value with the line in scope, reading the data sets', () => {
    const compiled = compileFlow(flow(fromBins, { required: true }));
    const created = compiled.create(
      {
        store: 'S-1',
        lines: [
          { sku: 'SKU-COLA-330', qty: 120 },
          { sku: 'SKU-OIL-1L', qty: 3, bin: 'P-02' },
        ],
      },
      { ...testContext({ dataSets: sets }), id: 'o1' },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    // The given bin is kept (a rule may still refuse it); the missing one is the data set's.
    expect(created.order.data.lines).toEqual([
      { sku: 'SKU-COLA-330', qty: 120, bin: 'A-01' },
      { sku: 'SKU-OIL-1L', qty: 3, bin: 'P-02' },
    ]);
  });

  it('leaves a line whose value is null as it was; a required field then names that line', () => {
    const compiled = compileFlow(flow(fromBins, { required: true }));
    const created = compiled.create(
      { lines: [{ sku: 'SKU-OIL-1L' }, { sku: 'SKU-NOPE' }] },
      { ...testContext({ dataSets: sets }), id: 'o2' },
    );
    expect(created.ok).toBe(false);
    expect(!created.ok && created.error.problems).toEqual([
      expect.objectContaining({ path: '/lines/1/bin', code: 'required' }),
    ]);
  });

  it('sees the $ context beside the line, and does nothing without an array', () => {
    const compiled = compileFlow(
      flow({ 'lines[].bin': { cat: [{ var: '$order.id' }, '/', { var: 'sku' }] } }),
    );
    const ctx = { ...testContext({ dataSets: sets }), id: 'o3' };
    const created = compiled.create({ lines: [{ sku: 'A' }] }, ctx);
    expect(created.ok && created.order.data.lines).toEqual([{ sku: 'A', bin: 'o3/A' }]);
    const none = compiled.create({ store: 'S-2' }, { ...ctx, id: 'o4' });
    expect(none.ok && none.order.data).toEqual({ store: 'S-2' });
  });

  it('is checked by the lint: the line’s fields, a known array, no unsafe segment', () => {
    expect(validateFlow(flow(fromBins)).problems).toEqual([]);
    const codes = (set: Record<string, unknown>) =>
      validateFlow(flow(set)).problems.map((p) => [p.path, p.code]);
    expect(codes({ 'lines[].colour': 'red' })).toEqual([
      ['/states/0/entry/0/set/lines[].colour', 'unknown_variable'],
    ]);
    expect(codes({ 'store[].bin': 'x' })).toEqual([
      ['/states/0/entry/0/set/store[].bin', 'not_an_array'],
    ]);
    // Inside a line, `store` is not in scope: the value reads the line.
    expect(codes({ 'lines[].bin': { var: 'store' } })).toEqual([
      ['/states/0/entry/0/set/lines[].bin/var', 'unknown_variable'],
    ]);
    expect(validateFlow(flow({ 'constructor[].x': 1 })).ok).toBe(false);
    expect(validateFlow(flow({ 'lines[].a[].b': 1 })).ok).toBe(false);
  });
});
