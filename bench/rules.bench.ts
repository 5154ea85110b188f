/**
 * Compiled Ordo rules against json-logic-js 2.0.5 (the reference interpreter) and
 * json-logic-engine 5.0.7's compiled `build()` mode, on three guards of a real order flow:
 * 3 clauses, 20 clauses, and a `reduce` over 50 order lines. Every implementation is first
 * checked to give the same answer on the data, so only correct work is timed.
 *
 * Then `lookup`: every one of 50 order lines checked against a 100,000-row drug catalogue
 * (known, not restricted), against the same guard over facts carried on the lines themselves
 * (the goal: a lookup guard at the speed of a plain one), and against the two json-logic
 * libraries with a `lookup` operation added as their users add one (over the same Map).
 * Those 50 lines repeat, so the catalogue rows they touch stay in the CPU's cache; the last case
 * checks 10,000 different orders parsed from JSON, as orders reach the server, where most reads
 * of the catalogue miss the cache.
 */
import { compileRule, DATA_SETS, dataSetRow, type DataSetRow, type DataSets } from '@ordo/engine';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import { compareCalls } from './lib/report';

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
  for (const [name, rule, batch] of [
    ['3-clause guard', three, 100],
    ['20-clause guard', twenty, 100],
    ['reduce over 50 lines', reduceOverLines, 10],
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
    const rates = await compareCalls(
      `${name} (all agree: ${String(expected)})`,
      [
        ['json-logic-js 2.0.5 apply()', (d) => jsonLogic.apply(rule as never, d), data],
        ['json-logic-engine 5.0.7 build()', built, data],
        ['Ordo compileRule()', ordo, data],
      ],
      batch,
    );
    const vsEngine =
      rates.get('Ordo compileRule()')! / rates.get('json-logic-engine 5.0.7 build()')!;
    console.log(`  Ordo / json-logic-engine compiled: ${vsEngine.toFixed(2)}× (target ≥ 1.5)`);
  }
}

/** The lookup case: a 100,000-row catalogue, 50 lines each looked up twice. */
async function lookupCase() {
  const catalogue = new Map<string, DataSetRow>();
  for (let i = 0; i < 100_000; i++)
    catalogue.set(`D${i}`, dataSetRow({ code: `D${i}`, restricted: i % 1000 === 999, maxQty: 50 }));
  // As the server hands them out: a snapshot that gives a compiled rule the whole table.
  const sets: DataSets = {
    row: (name, key) => (name === 'drug-codes' ? catalogue.get(key) : undefined),
    version: (name) => (name === 'drug-codes' ? 1 : undefined),
    table: (name) => (name === 'drug-codes' ? catalogue : undefined),
  };
  const codes = Array.from({ length: 50 }, (_, i) => `D${(i * 7919) % 99_000}`);
  const scope = { lines: codes.map((code) => ({ code, qty: 2 })), [DATA_SETS]: sets };
  const plainScope = {
    lines: codes.map((code) => ({ code, qty: 2, known: true, restricted: false })),
  };
  const lookupRule = {
    all: [
      { var: 'lines' },
      {
        and: [
          { lookup: ['drug-codes', { var: 'code' }] },
          { '!': { lookup: ['drug-codes', { var: 'code' }, 'restricted'] } },
        ],
      },
    ],
  };
  const plainRule = {
    all: [{ var: 'lines' }, { and: [{ var: 'known' }, { '!': { var: 'restricted' } }] }],
  };
  const read = (name: unknown, key: unknown, column?: unknown) => {
    const row = name === 'drug-codes' ? catalogue.get(String(key)) : undefined;
    return column === undefined
      ? row !== undefined
      : ((row?.[column as string] as unknown) ?? null);
  };
  jsonLogic.add_operation('lookup', read);
  const engine = new LogicEngine();
  engine.addMethod('lookup', (args: unknown[]) => read(args[0], args[1], args[2]), {
    deterministic: false,
  });
  const ordo = compileRule(lookupRule);
  const plain = compileRule(plainRule);
  const built = engine.build(lookupRule) as (d: unknown) => unknown;
  for (const [who, got] of [
    ['ordo', ordo(scope)],
    ['ordo plain', plain(plainScope)],
    ['json-logic-js', jsonLogic.apply(lookupRule as never, scope)],
    ['json-logic-engine', built(scope)],
  ] as const)
    if (got !== true) throw new Error(`${who} gives ${String(got)} on the lookup guard`);
  const rates = await compareCalls(
    'lookup: 50 lines × 100,000-row catalogue (all agree: true)',
    [
      [
        'json-logic-js 2.0.5 apply() + lookup op',
        (d) => jsonLogic.apply(lookupRule as never, d),
        scope,
      ],
      ['json-logic-engine 5.0.7 build() + lookup', built, scope],
      ['Ordo plain guard (facts on the lines)', plain, plainScope],
      ['Ordo compileRule() with lookup', ordo, scope],
    ],
    10,
  );
  const ordoRate = rates.get('Ordo compileRule() with lookup')!;
  console.log(
    `  Ordo lookup / Ordo plain guard: ${(ordoRate / rates.get('Ordo plain guard (facts on the lines)')!).toFixed(2)}× (target ≈ 1)`,
  );
  console.log(
    `  Ordo lookup / json-logic-engine compiled: ${(ordoRate / rates.get('json-logic-engine 5.0.7 build() + lookup')!).toFixed(2)}×`,
  );
}

/** Passes over `count` freshly parsed orders, each checked once: ns per line, median of 5. */
function perLine(check: (scope: object) => unknown, texts: string[], sets?: DataSets): number {
  const times: number[] = [];
  for (let pass = 0; pass < 6; pass++) {
    const scopes = texts.map((t) => Object.assign(JSON.parse(t) as object, { [DATA_SETS]: sets }));
    const start = process.hrtime.bigint();
    for (const scope of scopes)
      if (check(scope) !== true) throw new Error('a fresh order is refused');
    if (pass > 0) times.push(Number(process.hrtime.bigint() - start) / scopes.length / 50);
  }
  return times.sort((a, b) => a - b)[2];
}

/** The lookup case over distinct orders: the catalogue's rows come from memory, not cache. */
function freshOrdersCase() {
  const catalogue = new Map<string, DataSetRow>();
  for (let i = 0; i < 100_000; i++)
    catalogue.set(`D${i}`, dataSetRow({ code: `D${i}`, restricted: i >= 99_500 }));
  const sets = (table: DataSets['table']): DataSets => ({
    row: (_name, key) => catalogue.get(key),
    version: () => 1,
    table,
  });
  const indexed = sets(() => catalogue);
  const byGet = sets(() => ({ get: (key: string) => catalogue.get(key) }));
  const texts = Array.from({ length: 10_000 }, (_, i) =>
    JSON.stringify({
      lines: Array.from({ length: 50 }, (_, j) => ({
        code: `D${((i * 50 + j) * 7919) % 99_000}`,
        known: true,
        restricted: false,
      })),
    }),
  );
  const lookup = compileRule({
    all: [
      { var: 'lines' },
      {
        and: [
          { lookup: ['drug-codes', { var: 'code' }] },
          { '!': { lookup: ['drug-codes', { var: 'code' }, 'restricted'] } },
        ],
      },
    ],
  });
  const plain = compileRule({
    all: [{ var: 'lines' }, { and: [{ var: 'known' }, { '!': { var: 'restricted' } }] }],
  });
  const plainNs = perLine(plain, texts);
  const getNs = perLine(lookup, texts, byGet);
  const indexNs = perLine(lookup, texts, indexed);
  console.log('\nlookup over 10,000 different orders parsed from JSON (50 lines each)');
  console.log(`  Ordo plain guard                  ${plainNs.toFixed(1)} ns a line`);
  console.log(`  Ordo lookup, table read by get()  ${getNs.toFixed(1)} ns a line`);
  console.log(`  Ordo lookup, table's index        ${indexNs.toFixed(1)} ns a line`);
  console.log(
    `  Ordo lookup / Ordo plain guard: ${(plainNs / indexNs).toFixed(2)}× (by get(): ${(plainNs / getNs).toFixed(2)}×)`,
  );
}

void main().then(lookupCase).then(freshOrdersCase);
