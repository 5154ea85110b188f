import { compileFlow, FlowValidationError, type EngineResult, type Order } from '../src';
import { standardOrderFlow, testContext } from '../src/testing';

const flow = compileFlow(standardOrderFlow);
const now = '2026-03-01T08:00:00.000Z';
const as = (id: string, ...roles: string[]) => testContext({ now, actor: { id, roles } });
const data = {
  customer: { id: 'C1' },
  lines: [{ sku: 'SKU-1', qty: 3, bin: 'P-01' }],
  stock: { available: 10 },
};

function ok(result: EngineResult): Extract<EngineResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result;
}
function refused(result: EngineResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('create', () => {
  it('creates an order in the initial state with defaults, history and version 1', () => {
    const result = ok(flow.create(data, { ...as('u1', 'sales'), id: 'o-1' }));
    expect(result.order).toEqual({
      id: 'o-1',
      flow: 'standard-order',
      flowVersion: 1,
      state: 'new',
      data: { ...data, customer: { id: 'C1', tier: 'C' } },
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    expect(result.history).toEqual([
      {
        kind: 'created',
        version: 1,
        at: now,
        actor: { id: 'u1', roles: ['sales'] },
        from: null,
        to: 'new',
        payload: data,
      },
    ]);
    expect(result.effects).toEqual([]);
  });

  it('points invalid data at the offending value itself', () => {
    const error = refused(
      flow.create(
        { customer: {}, lines: [{ sku: 'bad sku', qty: 0 }], extra: 1 },
        { ...as('u1'), id: 'o-2' },
      ),
    );
    expect(error.code).toBe('invalid_data');
    expect(error.problems!.map((p) => [p.path, p.code])).toEqual([
      ['/customer/id', 'required'],
      ['/lines/0/sku', 'pattern'],
      ['/lines/0/qty', 'min'],
      ['/extra', 'unknown_field'],
    ]);
  });

  it('refuses on an error rule and returns warning rules without blocking', () => {
    const error = refused(
      flow.create(
        { ...data, lines: [{ sku: 'A', qty: 1, bin: 'X-9' }] },
        { ...as('u1'), id: 'o-3' },
      ),
    );
    expect(error).toMatchObject({
      code: 'rule_failed',
      problems: [{ path: '/lines', code: 'primary-bin' }],
    });
    const big = ok(
      flow.create({ ...data, lines: [{ sku: 'A', qty: 5000 }] }, { ...as('u1'), id: 'o-4' }),
    );
    expect(big.warnings).toEqual([
      { rule: 'big-order', message: 'More than 1,000 units: check with the customer' },
    ]);
  });

  it('needs an id in the context', () => {
    expect(() => flow.create(data, as('u1'))).toThrow(/ctx.id/);
  });
});

describe('fire', () => {
  const created = ok(flow.create(data, { ...as('u1', 'sales'), id: 'o-1' })).order;

  it('takes a transition, runs set actions with the actor and bumps the version', () => {
    const result = ok(flow.fire(created, { type: 'confirm' }, as('ann', 'sales')));
    expect(result.order).toMatchObject({
      state: 'customer_confirmed',
      version: 2,
      data: { confirmedBy: 'ann' },
    });
    expect(result.history).toEqual([
      expect.objectContaining({
        kind: 'transition',
        version: 2,
        from: 'new',
        to: 'customer_confirmed',
        transition: 'confirm',
        event: 'confirm',
      }),
    ]);
  });

  it('refuses an actor without the role, and lets admins fire anything', () => {
    expect(refused(flow.fire(created, { type: 'confirm' }, as('bob', 'warehouse')))).toMatchObject({
      code: 'forbidden',
    });
    expect(ok(flow.fire(created, { type: 'confirm' }, as('root', 'admin'))).order.state).toBe(
      'customer_confirmed',
    );
  });

  it('names the events a state accepts when none matches', () => {
    const error = refused(flow.fire(created, { type: 'ship' }, as('ann', 'sales')));
    expect(error.code).toBe('no_transition');
    expect(error.message).toContain('"confirm"');
  });

  it('follows auto transitions to a fixed point, with one history entry each and SLA/entry effects', () => {
    const confirmed = ok(flow.fire(created, { type: 'confirm' }, as('ann', 'sales'))).order;
    const result = ok(
      flow.fire(confirmed, { type: 'review', payload: { approved: true } }, as('fin', 'finance')),
    );
    expect(result.order).toMatchObject({
      state: 'stock_locked',
      version: 4,
      data: { finance: { approved: true } },
    });
    expect(result.history.map((h) => [h.transition, h.version, h.event])).toEqual([
      ['review', 3, 'review'],
      ['lock', 4, undefined],
    ]);
    expect(result.effects).toEqual([
      {
        type: 'notify',
        version: 4,
        to: { role: 'warehouse' },
        message: 'Order o-1 is ready to book',
      },
      {
        type: 'timer.start',
        version: 4,
        timer: 'sla:stock_locked',
        kind: 'sla',
        state: 'stock_locked',
        at: '2026-03-01T12:00:00.000Z',
        onBreach: { task: { queue: 'supervisors', title: 'Order waits for a carrier' } },
      },
    ]);
  });

  it('explains a failed guard', () => {
    const confirmed = ok(flow.fire(created, { type: 'confirm' }, as('ann', 'sales'))).order;
    const error = refused(
      flow.fire(confirmed, { type: 'review', payload: { approved: false } }, as('fin', 'finance')),
    );
    expect(error.code).toBe('guard_failed');
    expect(error.message).toMatch(/review/);
  });

  it('waits in a state when an auto guard does not hold, and moves when data makes it hold', () => {
    const short = ok(
      flow.create({ ...data, stock: { available: 1 } }, { ...as('u1'), id: 'o-9' }),
    ).order;
    const c = ok(flow.fire(short, { type: 'confirm' }, as('ann', 'sales'))).order;
    const reviewed = ok(
      flow.fire(c, { type: 'review', payload: { approved: true } }, as('fin', 'finance')),
    ).order;
    expect(reviewed.state).toBe('finance_reviewed');
    const updated = ok(flow.update(reviewed, { stock: { available: 3 } }, as('wms', 'operator')));
    expect(updated.order).toMatchObject({ state: 'stock_locked', version: 5 });
    expect(updated.history.map((h) => h.kind)).toEqual(['updated', 'transition']);
  });

  it('emits outbound events, cancels the SLA timer and closes its breach task on leaving the state', () => {
    const c = ok(flow.fire(created, { type: 'confirm' }, as('ann', 'sales'))).order;
    const locked = ok(
      flow.fire(c, { type: 'review', payload: { approved: true } }, as('fin', 'finance')),
    ).order;
    const booked = ok(
      flow.fire(locked, { type: 'book', payload: { carrier: 'SF' } }, as('w', 'warehouse')),
    );
    expect(booked.effects).toEqual([
      // The SLA's breach task (if it opened) is about the order waiting here: it closes too.
      { type: 'task.close', version: 5, state: 'stock_locked', to: 'logistics_booked' },
      { type: 'timer.cancel', version: 5, timer: 'sla:stock_locked' },
      { type: 'emit', version: 5, event: 'order.booked', payload: { order: 'o-1', carrier: 'SF' } },
    ]);
    expect(booked.order.data.carrier).toBe('SF');
  });
});

describe('update', () => {
  const order = ok(flow.create(data, { ...as('u1'), id: 'o-1' })).order;

  it('applies a JSON merge patch (null deletes) and records it', () => {
    const result = ok(
      flow.update(
        order,
        { total: { amount: 1999, currency: 'CNY' }, stock: null },
        as('u2', 'operator'),
      ),
    );
    expect(result.order.data).toEqual({
      customer: { id: 'C1', tier: 'C' },
      lines: data.lines,
      total: { amount: 1999, currency: 'CNY' },
    });
    expect(result.history).toEqual([
      expect.objectContaining({
        kind: 'updated',
        version: 2,
        payload: { total: { amount: 1999, currency: 'CNY' }, stock: null },
      }),
    ]);
  });

  it('refuses a patch that breaks the data or a rule', () => {
    expect(refused(flow.update(order, { lines: [] }, as('u2')))).toMatchObject({
      code: 'invalid_data',
      problems: [{ path: '/lines', code: 'minItems' }],
    });
    expect(
      refused(flow.update(order, { lines: [{ sku: 'A', qty: 1, bin: 'Z' }] }, as('u2'))),
    ).toMatchObject({ code: 'rule_failed' });
    expect(refused(flow.update(order, [1] as unknown, as('u2')))).toMatchObject({
      code: 'invalid_data',
    });
  });
});

describe('available', () => {
  it('lists the transitions out of the state with why the blocked ones are blocked', () => {
    const order: Order = ok(flow.create(data, { ...as('u1'), id: 'o-1' })).order;
    expect(flow.available(order, as('w', 'warehouse'))).toEqual([
      {
        id: 'confirm',
        event: 'confirm',
        auto: false,
        to: 'customer_confirmed',
        enabled: false,
        reason: 'needs the role sales',
      },
      { id: 'cancel', event: 'cancel', auto: false, to: 'cancelled', enabled: true },
    ]);
  });
});

describe('compileFlow', () => {
  it('refuses a document that is not a flow', () => {
    expect(() => compileFlow({ schemaVersion: 1 })).toThrow(FlowValidationError);
  });
});
