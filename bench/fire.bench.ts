/**
 * `flow.fire` on a 6-state order flow (guards on every step, a transition rule) against
 * XState v5 on the equivalent machine: its pure `transition()` and a long-lived actor's
 * `send()`. Each benchmark iteration is one transition; the flows loop so runs never end.
 */
import { compileFlow, type Flow, type Order } from '@ordo/engine';
import { createActor, createMachine, transition, type AnyMachineSnapshot } from 'xstate';
import { compare } from './lib/report';

const steps = ['confirm', 'review', 'lock', 'book', 'deliver', 'reopen'] as const;
const states = [
  'new',
  'customer_confirmed',
  'finance_reviewed',
  'stock_locked',
  'logistics_booked',
  'done',
];

const doc: Flow = {
  schemaVersion: 1,
  key: 'bench',
  name: 'Bench',
  fields: [
    {
      key: 'customer',
      type: 'object',
      fields: [
        { key: 'id', type: 'string', required: true },
        { key: 'tier', type: 'string' },
      ],
    },
    { key: 'approved', type: 'boolean' },
    { key: 'available', type: 'integer' },
    { key: 'qty', type: 'integer' },
    { key: 'carrier', type: 'string' },
  ],
  states: states.map((id, i) => ({ id, initial: i === 0 })),
  transitions: [
    {
      id: 'confirm',
      from: 'new',
      to: 'customer_confirmed',
      event: 'confirm',
      guard: { '!!': [{ var: 'customer.id' }] },
    },
    {
      id: 'review',
      from: 'customer_confirmed',
      to: 'finance_reviewed',
      event: 'review',
      guard: { '==': [{ var: 'approved' }, true] },
    },
    {
      id: 'lock',
      from: 'finance_reviewed',
      to: 'stock_locked',
      event: 'lock',
      guard: {
        and: [
          { '==': [{ var: 'approved' }, true] },
          { '>=': [{ var: 'available' }, { var: 'qty' }] },
        ],
      },
    },
    {
      id: 'book',
      from: 'stock_locked',
      to: 'logistics_booked',
      event: 'book',
      guard: { '!!': [{ var: 'carrier' }] },
    },
    {
      id: 'deliver',
      from: 'logistics_booked',
      to: 'done',
      event: 'deliver',
      guard: { '>': [{ var: 'qty' }, 0] },
    },
    {
      id: 'reopen',
      from: 'done',
      to: 'new',
      event: 'reopen',
      guard: { in: [{ var: 'customer.tier' }, ['A', 'B']] },
    },
  ],
  rules: [
    {
      id: 'qty-positive',
      on: ['transition'],
      message: 'qty must be positive',
      logic: { '>': [{ var: 'qty' }, 0] },
    },
  ],
};

type Ctx = {
  customer: { id: string; tier: string };
  approved: boolean;
  available: number;
  qty: number;
  carrier: string;
};
const data: Ctx = {
  customer: { id: 'C1', tier: 'A' },
  approved: true,
  available: 10,
  qty: 3,
  carrier: 'SF',
};

const machine = createMachine({
  types: {} as { context: Ctx },
  context: data,
  initial: 'new',
  states: {
    new: {
      on: {
        confirm: { target: 'customer_confirmed', guard: ({ context }) => !!context.customer.id },
      },
    },
    customer_confirmed: {
      on: {
        review: { target: 'finance_reviewed', guard: ({ context }) => context.approved === true },
      },
    },
    finance_reviewed: {
      on: {
        lock: {
          target: 'stock_locked',
          guard: ({ context }) => context.approved === true && context.available >= context.qty,
        },
      },
    },
    stock_locked: {
      on: { book: { target: 'logistics_booked', guard: ({ context }) => !!context.carrier } },
    },
    logistics_booked: {
      on: { deliver: { target: 'done', guard: ({ context }) => context.qty > 0 } },
    },
    done: {
      on: {
        reopen: {
          target: 'new',
          guard: ({ context }) => ['A', 'B'].includes(context.customer.tier),
        },
      },
    },
  },
});

async function main() {
  const flow = compileFlow(doc);
  const ctx = { now: '2026-01-01T00:00:00.000Z', actor: { id: 'bench', roles: ['admin'] } };
  const created = flow.create(data, { ...ctx, id: 'o-1' });
  if (!created.ok) throw new Error(created.error.message);
  let order: Order = created.order;
  let i = 0;

  const actor = createActor(machine).start();
  let j = 0;
  let snapshot: AnyMachineSnapshot = actor.getSnapshot();
  let k = 0;

  const rates = await compare('One transition (6-state order flow, guard on every step)', [
    ['XState v5 actor.send()', () => actor.send({ type: steps[j++ % 6] })],
    [
      'XState v5 pure transition()',
      () => {
        [snapshot] = transition(machine, snapshot, { type: steps[k++ % 6] });
      },
    ],
    [
      'Ordo flow.fire() (guards + rule + history)',
      () => {
        const result = flow.fire(order, { type: steps[i++ % 6] }, ctx);
        if (!result.ok) throw new Error(result.error.message);
        order = result.order;
      },
    ],
  ]);
  const ratio =
    rates.get('Ordo flow.fire() (guards + rule + history)')! / rates.get('XState v5 actor.send()')!;
  console.log(`  Ordo fire / XState actor send: ${ratio.toFixed(2)}× (target ≥ 2)`);
  if (actor.getSnapshot().value === undefined) throw new Error('actor lost its state');
}

void main();
