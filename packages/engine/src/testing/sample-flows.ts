import type { Flow } from '../flow';

/**
 * The six standard order states of BRIEF.md scenario 4 (new → customer confirmed → finance
 * reviewed → stock locked → logistics booked → done), with guards, roles, rules, an SLA and
 * effects: a realistic flow for tests, examples and benchmarks.
 */
export const standardOrderFlow: Flow = {
  schemaVersion: 1,
  key: 'standard-order',
  name: { en: 'Standard order', 'zh-CN': '标准订单' },
  version: 1,
  fields: [
    {
      key: 'customer',
      type: 'object',
      required: true,
      fields: [
        { key: 'id', type: 'string', required: true },
        { key: 'tier', type: 'enum', options: ['A', 'B', 'C'], default: 'C' },
      ],
    },
    {
      key: 'lines',
      type: 'array',
      required: true,
      minItems: 1,
      items: [
        { key: 'sku', type: 'string', required: true, pattern: '^[A-Z0-9-]+$' },
        { key: 'qty', type: 'integer', required: true, min: 1 },
        { key: 'bin', type: 'string' },
      ],
    },
    { key: 'total', type: 'money' },
    { key: 'confirmedBy', type: 'string' },
    { key: 'finance', type: 'object', fields: [{ key: 'approved', type: 'boolean' }] },
    { key: 'stock', type: 'object', fields: [{ key: 'available', type: 'integer' }] },
    { key: 'carrier', type: 'string' },
  ],
  states: [
    { id: 'new', label: 'New', initial: true },
    { id: 'customer_confirmed', label: 'Customer confirmed' },
    { id: 'finance_reviewed', label: 'Finance reviewed' },
    {
      id: 'stock_locked',
      label: 'Stock locked',
      sla: {
        within: 'PT4H',
        onBreach: { task: { queue: 'supervisors', title: 'Order waits for a carrier' } },
      },
      entry: [
        { notify: { to: { role: 'warehouse' }, message: 'Order {{$order.id}} is ready to book' } },
      ],
    },
    { id: 'logistics_booked', label: 'Logistics booked' },
    { id: 'done', label: 'Done', final: true },
    { id: 'cancelled', label: 'Cancelled', final: true },
  ],
  transitions: [
    {
      id: 'confirm',
      from: 'new',
      to: 'customer_confirmed',
      event: 'confirm',
      roles: ['sales'],
      actions: [{ set: { confirmedBy: { var: '$actor.id' } } }],
    },
    {
      id: 'review',
      from: 'customer_confirmed',
      to: 'finance_reviewed',
      event: 'review',
      roles: ['finance'],
      guard: { '==': [{ var: '$event.approved' }, true] },
      actions: [{ set: { 'finance.approved': { var: '$event.approved' } } }],
    },
    {
      id: 'lock',
      from: 'finance_reviewed',
      to: 'stock_locked',
      auto: true,
      guard: {
        and: [
          { '==': [{ var: 'finance.approved' }, true] },
          {
            '>=': [
              { var: 'stock.available' },
              {
                reduce: [
                  { var: 'lines' },
                  { '+': [{ var: 'accumulator' }, { var: 'current.qty' }] },
                  0,
                ],
              },
            ],
          },
        ],
      },
    },
    {
      id: 'book',
      from: 'stock_locked',
      to: 'logistics_booked',
      event: 'book',
      roles: ['warehouse'],
      guard: { '!!': [{ var: '$event.carrier' }] },
      actions: [
        { set: { carrier: { var: '$event.carrier' } } },
        {
          emit: {
            event: 'order.booked',
            payload: { order: { var: '$order.id' }, carrier: { var: '$event.carrier' } },
          },
        },
      ],
    },
    { id: 'deliver', from: 'logistics_booked', to: 'done', event: 'deliver' },
    {
      id: 'cancel',
      from: ['new', 'customer_confirmed', 'finance_reviewed'],
      to: 'cancelled',
      event: 'cancel',
    },
  ],
  rules: [
    {
      id: 'primary-bin',
      on: ['create', 'update'],
      severity: 'error',
      message: 'Ship only from primary bins (P-…)',
      path: '/lines',
      logic: {
        all: [
          { var: 'lines' },
          { or: [{ '!': { var: 'bin' } }, { '==': [{ substr: [{ var: 'bin' }, 0, 2] }, 'P-'] }] },
        ],
      },
    },
    {
      id: 'big-order',
      on: ['create'],
      severity: 'warning',
      message: 'More than 1,000 units: check with the customer',
      logic: {
        '<=': [
          {
            reduce: [
              { var: 'lines' },
              { '+': [{ var: 'accumulator' }, { var: 'current.qty' }] },
              0,
            ],
          },
          1000,
        ],
      },
    },
  ],
};
