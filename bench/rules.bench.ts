/**
 * Compiled Ordo rules against json-logic-js 2.0.5 (the reference interpreter) and
 * json-logic-engine 5.0.7's compiled `build()` mode, on three guards of a real order flow:
 * 3 clauses, 20 clauses, and a `reduce` over 50 order lines. Every implementation is first
 * checked to give the same answer on the data, so only correct work is timed.
 */
import { compileRule } from '@ordo/engine';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import { compare } from './lib/report';

const lines = Array.from({ length: 50 }, (_, i) => ({
  sku: `SKU-${i}`,
  qty: (i % 7) + 1,
  price: 100 + i,
  bin: `P-${i % 9}`,
}));
const data = {
  customer: { id: 'C-17', tier: 'A', creditLimit: 500000, overdue: false, region: 'east' },
  finance: { approved: true, reviewedBy: 'fin-1' },
  stock: { available: 1200, reserved: 30 },
  total: 42000,
  channel: 'api',
  rush: false,
  lines,
  $now: '2026-03-01T08:00:00.000Z',
};

const three = {
  and: [
    { '==': [{ var: 'finance.approved' }, true] },
    { '>=': [{ var: 'stock.available' }, 100] },
    { in: [{ var: 'customer.tier' }, ['A', 'B']] },
  ],
};

const twenty = {
  and: [
    { '==': [{ var: 'finance.approved' }, true] },
    { '!=': [{ var: 'finance.reviewedBy' }, null] },
    { '>=': [{ var: 'stock.available' }, 100] },
    { '<': [{ var: 'stock.reserved' }, 1000] },
    { in: [{ var: 'customer.tier' }, ['A', 'B']] },
    { '!': [{ var: 'customer.overdue' }] },
    { '<=': [{ var: 'total' }, { var: 'customer.creditLimit' }] },
    { '>': [{ var: 'total' }, 0] },
    { '==': [{ var: 'channel' }, 'api'] },
    { '!': [{ var: 'rush' }] },
    { '!=': [{ var: 'customer.id' }, ''] },
    { in: [{ var: 'customer.region' }, ['east', 'north', 'south']] },
    { '<': [{ var: 'total' }, 1000000] },
    { '>=': [{ var: 'customer.creditLimit' }, 1000] },
    { '==': [{ var: 'customer.tier' }, 'A'] },
    { '!==': [{ var: 'stock.available' }, 0] },
    { '<=': [{ var: 'stock.reserved' }, { var: 'stock.available' }] },
    { '>': [{ var: 'customer.creditLimit' }, { var: 'stock.reserved' }] },
    { '!=': [{ var: 'channel' }, 'fax'] },
    { or: [{ '==': [{ var: 'customer.tier' }, 'A'] }, { '>': [{ var: 'total' }, 100] }] },
  ],
};

const reduceOverLines = {
  '<=': [
    {
      reduce: [
        { var: 'lines' },
        {
          '+': [
            { var: 'accumulator' },
            { '*': [{ var: 'current.qty' }, { var: 'current.price' }] },
          ],
        },
        0,
      ],
    },
    { var: 'customer.creditLimit' },
  ],
};

async function main() {
  const engine = new LogicEngine();
  for (const [name, rule] of [
    ['3-clause guard', three],
    ['20-clause guard', twenty],
    ['reduce over 50 lines', reduceOverLines],
  ] as const) {
    const ordo = compileRule(rule);
    const built = engine.build(rule) as (d: unknown) => unknown;
    const expected = jsonLogic.apply(rule as never, data);
    for (const [who, got] of [
      ['ordo', ordo(data)],
      ['json-logic-engine', built(data)],
    ] as const)
      if (got !== expected)
        throw new Error(
          `${who} gives ${String(got)} on ${name}, json-logic-js ${String(expected)}`,
        );
    const rates = await compare(`${name} (all agree: ${String(expected)})`, [
      ['json-logic-js 2.0.5 apply()', () => jsonLogic.apply(rule as never, data)],
      ['json-logic-engine 5.0.7 build()', () => built(data)],
      ['Ordo compileRule()', () => ordo(data)],
    ]);
    const vsEngine =
      rates.get('Ordo compileRule()')! / rates.get('json-logic-engine 5.0.7 build()')!;
    console.log(`  Ordo / json-logic-engine compiled: ${vsEngine.toFixed(2)}× (target ≥ 1)`);
  }
}

void main();
