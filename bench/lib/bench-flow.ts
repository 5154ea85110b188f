import type { Flow } from '@ordo/engine';

/**
 * A two-state flow whose event moves an order back and forth forever — so a benchmark can fire
 * on the same orders without running out of transitions — with a guard, a rule, a `set` and an
 * `emit` (one history row and one outbox row per fire).
 */
export const pingPongFlow: Flow = {
  schemaVersion: 1,
  key: 'bench',
  name: 'Benchmark',
  fields: [
    {
      key: 'customer',
      type: 'object',
      required: true,
      fields: [{ key: 'id', type: 'string', required: true }],
    },
    { key: 'qty', type: 'integer', required: true, min: 1 },
    { key: 'flips', type: 'integer' },
  ],
  states: [{ id: 'ping', initial: true }, { id: 'pong' }],
  transitions: [
    {
      id: 'to-pong',
      from: 'ping',
      to: 'pong',
      event: 'flip',
      guard: { '>': [{ var: 'qty' }, 0] },
      actions: [{ emit: { event: 'flipped', payload: { order: { var: '$order.id' } } } }],
    },
    {
      id: 'to-ping',
      from: 'pong',
      to: 'ping',
      event: 'flip',
      guard: { '>': [{ var: 'qty' }, 0] },
      actions: [{ emit: { event: 'flipped', payload: { order: { var: '$order.id' } } } }],
    },
  ],
  rules: [
    {
      id: 'qty',
      on: ['create', 'update', 'transition'],
      message: 'qty must be positive',
      logic: { '>': [{ var: 'qty' }, 0] },
    },
  ],
};
