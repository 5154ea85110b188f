import { validateFlow, type Flow } from '@ordo/engine';
import { standardOrderFlow } from '@ordo/engine/testing';
import fc from 'fast-check';
import { loadRule, saveRule, type Group } from '../src/model/rule-model';

const path = fc.oneof(
  fc.constantFrom('qty', 'stock.available', 'customer.tier', '$now', '$actor.roles', 'lines', ''),
  fc.string(),
);
const scalar = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('P2D', '2026-01-01', 'A'),
);
const variable = path.map((p) => ({ var: p }));
const ops = ['==', '===', '!=', '!==', '<', '<=', '>', '>=', 'in'];
const domainOps = ['days_between', 'hours_between', 'date_add', 'round', 'sum', 'count'];

// Rules generated broadly: the shapes the builder has rows for, near misses of them (wrong
// arity, `var` with a default, non-array arguments), unknown operators and arbitrary JSON.
const { rule } = fc.letrec<{ rule: unknown; operand: unknown }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small' },
    scalar,
    variable,
    fc.array(scalar, { maxLength: 3 }),
    fc.record({ var: fc.tuple(path, scalar) }),
    fc
      .tuple(fc.constantFrom(...domainOps), fc.array(tie('operand'), { maxLength: 3 }))
      .map(([op, args]) => ({ [op]: args })),
    fc.tuple(fc.constantFrom(...domainOps), tie('operand')).map(([op, a]) => ({ [op]: a })),
    fc
      .tuple(fc.constantFrom('days_between', 'date_add', 'round'), variable, scalar)
      .map(([op, a, b]) => ({ [op]: [a, b] })),
    // Lookups: with and without a column, and near misses (a set or column not named by text).
    fc
      .tuple(fc.constantFrom('drug-codes', 'sku-bins', ''), tie('operand'), fc.string())
      .map(([set, key, column]) => ({ lookup: [set, key, column] })),
    fc
      .tuple(fc.constantFrom('drug-codes', 'x'), variable)
      .map(([set, key]) => ({ lookup: [set, key] })),
    fc
      .tuple(scalar, fc.array(tie('operand'), { maxLength: 4 }))
      .map(([set, args]) => ({ lookup: [set, ...args] })),
    tie('rule'),
  ),
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fc.constantFrom(...ops), fc.array(tie('operand'), { minLength: 1, maxLength: 3 }))
      .map(([op, args]) => ({ [op]: args })),
    fc.tuple(fc.constantFrom(...ops), variable, variable).map(([op, a, b]) => ({ [op]: [a, b] })),
    fc.tuple(scalar, variable).map(([a, b]) => ({ '!': { in: [a, b] } })),
    fc.tuple(scalar, variable).map(([a, b]) => ({ in: [a, b] })),
    fc
      .tuple(fc.constantFrom('and', 'or'), fc.array(tie('rule'), { maxLength: 4 }))
      .map(([op, args]) => ({ [op]: args })),
    fc.tuple(fc.constantFrom('and', 'or', '!'), tie('rule')).map(([op, a]) => ({ [op]: a })),
    tie('rule').map((a) => ({ '!': a })),
    tie('rule').map((a) => ({ '!': [a] })),
    fc
      .tuple(fc.constantFrom('all', 'some', 'none'), tie('operand'), tie('rule'))
      .map(([op, list, body]) => ({ [op]: [list, body] })),
    fc.tuple(fc.string(), fc.array(tie('operand'))).map(([op, args]) => ({ [op]: args })),
    fc.dictionary(fc.string(), tie('operand'), { maxKeys: 3 }),
    fc.jsonValue({ maxDepth: 3 }),
  ),
}));

describe('rule builder model', () => {
  it('loads any json-logic and saves it back unchanged', () => {
    fc.assert(
      fc.property(rule, (logic) => {
        expect(saveRule(loadRule(logic))).toEqual(logic);
      }),
      { numRuns: 3000 },
    );
  });

  it('shows field-versus-field, date arithmetic, in and domain operators as rows', () => {
    const guard = {
      and: [
        { '>=': [{ var: 'stock.available' }, { var: 'qty' }] },
        { '<=': [{ days_between: [{ var: 'purchasedOn' }, { var: '$now' }] }, 30] },
        { '<': [{ var: 'promisedOn' }, { date_add: [{ var: '$now' }, 'P2D'] }] },
        { in: [{ var: 'customer.tier' }, ['A', 'B']] },
        { in: ['manager', { var: '$actor.roles' }] },
        { '>': [{ count: [{ var: 'lines' }] }, 3] },
        { unknown_op: [1] },
      ],
    };
    const model = loadRule(guard);
    expect(model.children.map((c) => c.kind)).toEqual([
      'rule',
      'rule',
      'rule',
      'rule',
      'rule',
      'rule',
      'raw',
    ]);
    expect(model.children[0]).toMatchObject({
      op: '>=',
      left: { kind: 'var', path: 'stock.available' },
      right: { kind: 'var', path: 'qty' },
    });
    expect(model.children[4]).toMatchObject({
      op: 'contains',
      left: { kind: 'var', path: '$actor.roles' },
      right: { kind: 'value', value: 'manager' },
    });
    expect(saveRule(model)).toEqual(guard);
  });

  it('shows lookups in a data set as rows: a column compared, a row that exists', () => {
    const guard = {
      and: [
        { '==': [{ lookup: ['drug-codes', { var: 'code' }, 'restricted'] }, false] },
        { lookup: ['clinics', { var: 'clinic.id' }] },
        { '!': { lookup: ['blocked-skus', 'A-1'] } },
        { lookup: ['odd', { var: 'x' }, 3] },
      ],
    };
    const model = loadRule(guard);
    expect(model.children[0]).toMatchObject({
      kind: 'rule',
      left: {
        kind: 'lookup',
        set: 'drug-codes',
        key: { kind: 'var', path: 'code' },
        column: 'restricted',
      },
    });
    expect(model.children[1]).toEqual({
      kind: 'found',
      lookup: { kind: 'lookup', set: 'clinics', key: { kind: 'var', path: 'clinic.id' } },
    });
    expect(model.children[2]).toMatchObject({
      kind: 'group',
      not: true,
      children: [{ kind: 'found', lookup: { key: { kind: 'value', value: 'A-1' } } }],
    });
    // A column not named by text has no row: kept as json-logic.
    expect(model.children[3].kind).toBe('raw');
    expect(saveRule(model)).toEqual(guard);
  });

  it('writes a guard as short as people would: one clause unwrapped, empty as none', () => {
    const model: Group = loadRule(undefined);
    expect(saveRule(model)).toBeUndefined();
    const rule = { kind: 'rule', op: '==', left: { kind: 'var', path: 'a' } };
    model.children.push({ ...rule, right: { kind: 'value', value: 1 } } as never);
    expect(saveRule(model)).toEqual({ '==': [{ var: 'a' }, 1] });
    model.children.push({ ...rule, right: { kind: 'var', path: 'b' } } as never);
    expect(saveRule(model)).toEqual({
      and: [{ '==': [{ var: 'a' }, 1] }, { '==': [{ var: 'a' }, { var: 'b' }] }],
    });
  });

  it('lets Problems flag a raw block only when the engine refuses it', () => {
    const withGuard = (guard: unknown): Flow => {
      const doc = structuredClone(standardOrderFlow) as Flow;
      doc.transitions[0] = { ...doc.transitions[0], guard };
      return doc;
    };
    const valid = { '!!': [{ var: 'customer.id' }] };
    expect(loadRule(valid).children[0].kind).toBe('raw');
    expect(validateFlow(withGuard(valid)).problems).toEqual([]);
    const invalid = { eval: ['x'] };
    expect(loadRule(invalid).children[0].kind).toBe('raw');
    expect(validateFlow(withGuard(invalid)).problems).toEqual([
      expect.objectContaining({ code: 'unknown_operator' }),
    ]);
  });
});

describe('reselecting a transition', () => {
  it('keeps a guard with a field-versus-field clause as it was', () => {
    // What the inspector does when a transition is selected again: the builder loads the
    // stored guard, and what it would write back (were it to write) is the same guard.
    const guard = {
      and: [
        { '>=': [{ var: 'stock.available' }, { var: 'qty' }] },
        { '==': [{ var: 'finance.approved' }, true] },
      ],
    };
    const first = loadRule(guard);
    const again = loadRule(saveRule(first));
    expect(again).toEqual(first);
    expect(saveRule(again)).toEqual(guard);
  });
});
