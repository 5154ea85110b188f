/** Field and transition ownership: `writableBy`, `source: "system"`, and the actor's kind. */
import {
  type Actor,
  applyCallAnswer,
  compileFlow,
  type EngineResult,
  type Flow,
  fieldOwner,
  type Order,
  ownershipProblems,
  systemActor,
  actorKind,
  validateFlow,
} from '../src';

const now = '2026-03-01T08:00:00.000Z';
const person = (id: string, ...roles: string[]): Actor => ({ id, roles, kind: 'person' });
const ctx = (actor: Actor, id?: string) => ({ now, actor, ...(id && { id }) });

const doc: Flow = {
  schemaVersion: 1,
  key: 'owned',
  name: 'Owned',
  version: 1,
  roles: ['finance', 'warehouse'],
  fields: [
    { key: 'note', type: 'string' },
    {
      key: 'finance',
      type: 'object',
      writableBy: ['finance'],
      fields: [
        { key: 'approved', type: 'boolean' },
        { key: 'comment', type: 'string', writableBy: ['finance', 'operator'] },
      ],
    },
    {
      key: 'payment',
      type: 'object',
      fields: [
        {
          key: 'status',
          type: 'enum',
          options: ['pending', 'paid', 'failed'],
          source: 'system',
          default: 'pending',
        },
        { key: 'reference', type: 'string' },
      ],
    },
    {
      key: 'lines',
      type: 'array',
      items: [
        { key: 'sku', type: 'string' },
        { key: 'bin', type: 'string', writableBy: ['warehouse'] },
      ],
    },
  ],
  states: [
    { id: 'new', initial: true },
    { id: 'approved' },
    { id: 'paid' },
    { id: 'done', final: true },
  ],
  transitions: [
    {
      id: 'approve',
      from: 'new',
      to: 'approved',
      auto: true,
      guard: { '==': [{ var: 'finance.approved' }, true] },
    },
    { id: 'pay', from: 'approved', to: 'paid', event: 'payment.confirmed', source: 'system' },
    { id: 'close', from: 'paid', to: 'done', event: 'close', roles: ['finance'] },
  ],
};
const flow = compileFlow(doc);

function ok(result: EngineResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result;
}
function refused(result: EngineResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}
const created = (data: Record<string, unknown> = {}): Order =>
  ok(flow.create({ lines: [{ sku: 'A' }], ...data }, ctx(person('op', 'operator'), 'o-1'))).order;

describe('writableBy', () => {
  it('refuses a person without the role a patch of a nested field, naming path and role', () => {
    const error = refused(
      flow.update(created(), { finance: { approved: true } }, ctx(person('op', 'operator'))),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('finance.approved');
    expect(error.message).toContain('the role finance (or admin)');
    expect(error.problems).toEqual([
      expect.objectContaining({ path: '/finance/approved', code: 'not_writable' }),
    ]);
  });

  it('lets the role write, and the auto transition its write enables follows', () => {
    const result = ok(
      flow.update(
        created(),
        { finance: { approved: true } },
        ctx(person('fi', 'operator', 'finance')),
      ),
    );
    expect(result.order.state).toBe('approved');
  });

  it('lets an inner writableBy widen the outer one', () => {
    ok(flow.update(created(), { finance: { comment: 'ok' } }, ctx(person('op', 'operator'))));
  });

  it('refuses removing an owned value with its parent (null), and an owned value in an array element', () => {
    const fi = person('fi', 'finance');
    const order = ok(
      flow.update(created(), { finance: { comment: 'x', approved: false } }, ctx(fi)),
    ).order;
    const removed = refused(flow.update(order, { finance: null }, ctx(person('op', 'operator'))));
    expect(removed.problems?.map((p) => p.path)).toEqual(['/finance/approved']);
    const bin = refused(
      flow.update(order, { lines: [{ sku: 'A', bin: 'P-1' }] }, ctx(person('op', 'operator'))),
    );
    expect(bin.problems?.map((p) => p.path)).toEqual(['/lines/0/bin']);
    ok(
      flow.update(
        order,
        { lines: [{ sku: 'A', bin: 'P-1' }] },
        ctx(person('wh', 'operator', 'warehouse')),
      ),
    );
  });

  it('does not count an unchanged value as a write', () => {
    const order = created();
    ok(
      flow.update(
        order,
        { payment: { status: 'pending' }, note: 'n' },
        ctx(person('op', 'operator')),
      ),
    );
  });

  it('lets admins write writableBy fields', () => {
    ok(flow.update(created(), { finance: { approved: true } }, ctx(person('root', 'admin'))));
  });
});

describe('source: "system"', () => {
  it('refuses any person (admins too) on update and on create', () => {
    const order = created();
    for (const actor of [person('op', 'operator'), person('root', 'admin')]) {
      const error = refused(flow.update(order, { payment: { status: 'paid' } }, ctx(actor)));
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain('payment.status is set only by the system');
    }
    const onCreate = refused(
      flow.create({ payment: { status: 'paid' } }, ctx(person('op', 'operator'), 'o-2')),
    );
    expect(onCreate.problems?.map((p) => p.path)).toEqual(['/payment/status']);
  });

  it('accepts the default value on create (the flow gives it, not the person)', () => {
    expect(created({ payment: { status: 'pending' } }).data.payment).toEqual({ status: 'pending' });
  });

  it('lets the system set it: a connector answer, and a system actor without roles', () => {
    const order = created();
    const answered = ok(
      applyCallAnswer(
        flow,
        order,
        { resultPath: 'payment' },
        { ok: true, output: { status: 'failed' } },
        ctx(systemActor('connector:bank')),
      ),
    );
    expect(answered.order.data.payment).toEqual({ status: 'failed' });
    ok(
      flow.update(
        order,
        { payment: { status: 'paid' } },
        ctx({ id: 'x', roles: [], kind: 'system' }),
      ),
    );
  });

  it('does not trust a person holding a role named "system": only the kind counts', () => {
    refused(
      flow.update(created(), { payment: { status: 'paid' } }, ctx(person('sneaky', 'system'))),
    );
    // Without a kind an actor is a person.
    refused(
      flow.update(
        created(),
        { payment: { status: 'paid' } },
        ctx({ id: 'old', roles: ['operator'] }),
      ),
    );
  });
});

describe('transitions reserved to the system', () => {
  const approved = () =>
    ok(flow.update(created(), { finance: { approved: true } }, ctx(person('fi', 'finance')))).order;

  it('refuses a person firing one (admins too), naming the transition', () => {
    for (const actor of [person('op', 'operator'), person('root', 'admin')]) {
      const error = refused(flow.fire(approved(), { type: 'payment.confirmed' }, ctx(actor)));
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain('fired only by the system');
      expect(error.problems).toEqual([
        expect.objectContaining({ path: '/transitions/1', code: 'system_only' }),
      ]);
    }
  });

  it('lets the system fire it, and lists it as blocked for a person', () => {
    expect(
      ok(flow.fire(approved(), { type: 'payment.confirmed' }, ctx(systemActor('hook:bank')))).order
        .state,
    ).toBe('paid');
    const [pay] = flow.available(approved(), ctx(person('op', 'operator')));
    expect(pay).toMatchObject({
      id: 'pay',
      enabled: false,
      reason: expect.stringContaining('only by the system'),
    });
  });

  it('keeps role checks for people: close needs finance', () => {
    const paid = ok(
      flow.fire(approved(), { type: 'payment.confirmed' }, ctx(systemActor('hook:bank'))),
    ).order;
    expect(
      refused(flow.fire(paid, { type: 'close' }, ctx(person('op', 'operator')))).message,
    ).toContain('needs the role finance');
    ok(flow.fire(paid, { type: 'close' }, ctx(person('fi', 'finance'))));
  });
});

describe('helpers', () => {
  it('finds the owner of a path through objects and arrays', () => {
    expect(fieldOwner(doc.fields, 'finance.approved')).toEqual({
      system: false,
      writableBy: ['finance'],
    });
    expect(fieldOwner(doc.fields, 'lines.3.bin')).toEqual({
      system: false,
      writableBy: ['warehouse'],
    });
    expect(fieldOwner(doc.fields, 'payment.status')).toEqual({ system: true });
    expect(fieldOwner(doc.fields, 'note')).toEqual({ system: false });
  });

  it('reads old history actors by their role', () => {
    expect(actorKind({ id: 'timer', roles: ['system'] })).toBe('system');
    expect(actorKind({ id: 'u', roles: ['operator'] })).toBe('person');
    expect(actorKind(systemActor('x'))).toBe('system');
  });

  it('reports nothing for the system', () => {
    expect(
      ownershipProblems(doc.fields, {}, { payment: { status: 'paid' } }, systemActor('s')),
    ).toEqual([]);
  });
});

describe('lint', () => {
  const problems = (patch: Partial<Flow>) =>
    validateFlow({ ...doc, ...patch }).problems.map((p) => [p.severity, p.code, p.path]);

  it('accepts the flow above', () => expect(validateFlow(doc)).toEqual({ ok: true, problems: [] }));

  it('refuses source system with writableBy, and writableBy inside a system field', () => {
    expect(
      problems({
        fields: [
          { key: 'a', type: 'string', source: 'system', writableBy: ['finance'] },
          {
            key: 'b',
            type: 'object',
            source: 'system',
            fields: [{ key: 'c', type: 'string', writableBy: ['finance'] }],
          },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        ['error', 'ownership_conflict', '/fields/0/writableBy'],
        ['error', 'ownership_conflict', '/fields/1/fields/0/writableBy'],
      ]),
    );
  });

  it('refuses "system" as a role, warns of unknown roles, and of source on roles and autos', () => {
    const found = problems({
      fields: [{ key: 'a', type: 'string', writableBy: ['system', 'finanse'] }],
      transitions: [
        { id: 't', from: 'new', to: 'done', event: 'x', source: 'system', roles: ['finance'] },
        { id: 'u', from: 'new', to: 'done', auto: true, source: 'system' },
        { id: 'v', from: 'new', to: 'done', event: 'y', roles: ['sales'] },
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        ['error', 'system_role', '/fields/0/writableBy/0'],
        ['warning', 'unknown_role', '/fields/0/writableBy/1'],
        ['error', 'ownership_conflict', '/transitions/0/roles'],
        ['warning', 'source_on_auto', '/transitions/1/source'],
        ['warning', 'unknown_role', '/transitions/2/roles/0'],
      ]),
    );
  });

  it('refuses a writableBy that is not a list of role names (schema)', () => {
    const result = validateFlow({ ...doc, fields: [{ key: 'a', type: 'string', writableBy: [] }] });
    expect(result.ok).toBe(false);
    const bad = validateFlow({ ...doc, fields: [{ key: 'a', type: 'string', source: 'bank' }] });
    expect(bad.ok).toBe(false);
  });
});

describe('what a person-fired transition sets', () => {
  const setting: Flow = {
    ...doc,
    transitions: [
      {
        id: 'mark',
        from: 'new',
        to: 'paid',
        event: 'mark',
        actions: [{ set: { 'payment.status': { var: '$event.status' } } }],
      },
    ],
  };
  const marking = compileFlow(setting);

  it('is checked like a patch: a person cannot write a system field through $event', () => {
    const order = ok(marking.create({}, ctx(person('op', 'operator'), 'o-9'))).order;
    const error = refused(
      marking.fire(
        order,
        { type: 'mark', payload: { status: 'paid' } },
        ctx(person('op', 'operator')),
      ),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('transition "mark" sets payment.status');
    const bySystem = ok(
      marking.fire(
        order,
        { type: 'mark', payload: { status: 'paid' } },
        ctx(systemActor('hook:bank')),
      ),
    );
    expect(bySystem.order.data.payment).toEqual({ status: 'paid' });
  });

  it('is warned of by the lint', () => {
    expect(validateFlow(setting).problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'sets_system_field',
        path: '/transitions/0/actions/0/set/payment.status',
      }),
    );
  });
});
