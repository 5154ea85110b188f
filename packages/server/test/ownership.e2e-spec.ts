/**
 * Who may change what (docs/security.md): field ownership (`writableBy`, `source: "system"`)
 * and transitions reserved to the system, checked the same way on every path — PATCH, direct
 * fire, task resolution, imports, bulk actions — with a 403 naming the path and the roles.
 */
import { publishFlow } from './support/flows';
import { deliver } from './support/hooks';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const SECRET = 'bank-hook-secret-0123456789';

/** Orders that finance approves and the bank pays; an auto transition follows each. */
const ownedFlow = {
  schemaVersion: 1,
  key: 'owned',
  name: 'Owned facts',
  roles: ['finance', 'warehouse'],
  fields: [
    { key: 'ref', type: 'string', required: true },
    { key: 'note', type: 'string' },
    {
      key: 'finance',
      type: 'object',
      writableBy: ['finance'],
      fields: [{ key: 'approved', type: 'boolean' }],
    },
    {
      key: 'payment',
      type: 'object',
      source: 'system',
      fields: [{ key: 'status', type: 'enum', options: ['pending', 'paid', 'failed'] }],
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
    {
      id: 'review',
      initial: true,
      entry: [{ task: { queue: 'finance', title: 'Approve {{ref}}' } }],
    },
    { id: 'approved' },
    { id: 'paid' },
    { id: 'done', final: true },
  ],
  transitions: [
    {
      id: 'approve',
      from: 'review',
      to: 'approved',
      auto: true,
      guard: { '==': [{ var: 'finance.approved' }, true] },
    },
    { id: 'skip', from: 'review', to: 'done', event: 'skip' },
    {
      id: 'report',
      from: 'approved',
      to: 'approved',
      event: 'payment.reported',
      source: 'system',
      actions: [{ set: { 'payment.status': { var: '$event.status' } } }],
    },
    {
      id: 'settle',
      from: 'approved',
      to: 'paid',
      auto: true,
      guard: { '==': [{ var: 'payment.status' }, 'paid'] },
    },
    { id: 'close', from: 'paid', to: 'done', event: 'close' },
  ],
  triggers: [
    {
      id: 'bank',
      webhook: {
        secret: 'bank-hook',
        find: { by: 'externalRef', value: { var: '$body.ref' } },
        event: { type: 'payment.reported' },
      },
    },
  ],
  queues: { finance: { roles: ['finance'] } },
};

describe.each(databaseKinds())('field and transition ownership on %s', (db) => {
  let app: TestApp;
  const key = async (name: string, roles: string[]) =>
    (await app.call('POST', '/api/keys', { name, roles })).body.key as string;
  let tokens: Record<'viewerFinance' | 'operator' | 'finance' | 'warehouse', string>;
  let n = 0;
  const newOrder = async (data: object = {}) => {
    const ref = `R-${++n}`;
    const created = await app.call('POST', '/api/orders', {
      flow: 'owned',
      externalRef: ref,
      data: { ref, lines: [{ sku: 'A' }], ...data },
    });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    return created.body as { id: string; state: string; version: number };
  };
  const order = async (id: string) => (await app.call('GET', `/api/orders/${id}`)).body;
  const taskOf = async (id: string) =>
    waitFor(async () => (await app.call('GET', `/api/tasks?orderId=${id}`)).body.items[0]);
  const approved = async () => {
    const o = await newOrder();
    const done = await app.call(
      'PATCH',
      `/api/orders/${o.id}`,
      { finance: { approved: true } },
      { as: tokens.finance },
    );
    expect(done.body.state).toBe('approved');
    return done.body as { id: string; version: number };
  };
  const expectForbidden = (
    answer: { status: number; body: any; headers: Headers },
    path: string,
    needs: string,
  ) => {
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toContain(needs);
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  };

  beforeAll(async () => {
    app = await startTestApp({ db });
    await app.call('POST', '/api/credentials', {
      name: 'bank-hook',
      secret: { secret: SECRET },
      hosts: [],
    });
    await publishFlow(app, ownedFlow);
    tokens = {
      viewerFinance: await key('viewer-finance', ['viewer', 'finance']),
      operator: await key('operator', ['operator']),
      finance: await key('finance', ['operator', 'finance']),
      warehouse: await key('warehouse', ['operator', 'warehouse']),
    };
  });
  afterAll(() => app.close());

  it('a viewer with a business role cannot work a task: resolve and claim are 403, the order stays', async () => {
    const o = await newOrder();
    const task = await taskOf(o.id);
    const resolved = await app.call(
      'POST',
      `/api/tasks/${task.id}/resolve`,
      { event: 'skip' },
      { as: tokens.viewerFinance },
    );
    expect(resolved.status).toBe(403);
    expect(resolved.body.detail).toContain('operator');
    expect(
      (await app.call('POST', `/api/tasks/${task.id}/claim`, {}, { as: tokens.viewerFinance }))
        .status,
    ).toBe(403);
    expect(
      (
        await app.call(
          'POST',
          `/api/orders/${o.id}/events`,
          { type: 'skip' },
          { as: tokens.viewerFinance },
        )
      ).status,
    ).toBe(403);
    expect(await order(o.id)).toMatchObject({ state: 'review', version: 1 });
    // Viewers still see the task.
    expect(
      (await app.call('GET', `/api/tasks/${task.id}`, undefined, { as: tokens.viewerFinance }))
        .status,
    ).toBe(200);
    expect((await app.call('GET', `/api/tasks/${task.id}`)).body.status).toBe('open');
  });

  it('an operator without finance cannot set finance.approved by PATCH, so the auto transition does not follow', async () => {
    const o = await newOrder();
    const patched = await app.call(
      'PATCH',
      `/api/orders/${o.id}`,
      { finance: { approved: true } },
      { as: tokens.operator },
    );
    expectForbidden(
      patched,
      '/finance/approved',
      'finance.approved may be changed only by the role finance',
    );
    expect(await order(o.id)).toMatchObject({
      state: 'review',
      version: 1,
    });
    expect((await order(o.id)).data.finance).toBeUndefined();
    // Nor by removing it, nor on create.
    const onCreate = await app.call(
      'POST',
      '/api/orders',
      { flow: 'owned', data: { ref: 'X-1', finance: { approved: true } } },
      { as: tokens.operator },
    );
    expectForbidden(onCreate, '/finance/approved', 'the role finance');
    // Finance may, and then the auto transition follows.
    const ok = await app.call(
      'PATCH',
      `/api/orders/${o.id}`,
      { finance: { approved: true } },
      { as: tokens.finance },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('approved');
  });

  it('a task resolution goes through the same check, and its patch and event are one change', async () => {
    const o = await newOrder();
    const task = await taskOf(o.id);
    const byOperatorWithoutFinance = await app.call(
      'POST',
      `/api/tasks/${task.id}/resolve`,
      { patch: { finance: { approved: true } } },
      { as: tokens.operator },
    );
    // The operator does not work the finance queue: the task is not theirs to see.
    expect(byOperatorWithoutFinance.status).toBe(404);
    const admin = await key('task-admin', ['admin']);
    const systemOnly = await app.call(
      'POST',
      `/api/tasks/${task.id}/resolve`,
      { patch: { note: 'paid by phone', payment: { status: 'paid' } }, event: 'skip' },
      { as: admin },
    );
    expectForbidden(systemOnly, '/payment/status', 'only by the system');
    const mixed = await app.call(
      'POST',
      `/api/tasks/${task.id}/resolve`,
      { patch: { note: 'approved' }, event: 'payment.reported', payload: { status: 'paid' } },
      { as: tokens.finance },
    );
    expect(mixed.status).toBe(422); // no such event in "review": the patch is not written either
    expect(await order(o.id)).toMatchObject({ state: 'review', version: 1 });
    expect((await order(o.id)).data.note).toBeUndefined();
    expect((await app.call('GET', `/api/tasks/${task.id}`)).body.status).toBe('open');
    const resolved = await app.call(
      'POST',
      `/api/tasks/${task.id}/resolve`,
      { patch: { finance: { approved: true } } },
      { as: tokens.finance },
    );
    expect(resolved.status).toBe(200);
    expect((await order(o.id)).state).toBe('approved');
  });

  it('an operator cannot mark paid a payment the bank reported failed — by PATCH or by its event', async () => {
    const o = await approved();
    const report = await deliver(
      app,
      'owned/bank',
      { ref: (await order(o.id)).data.ref, status: 'failed' },
      { secret: SECRET },
    );
    expect(report.status).toBe(200);
    await waitFor(async () => (await order(o.id)).data.payment?.status === 'failed');
    const before = await order(o.id);

    for (const as of [tokens.operator, tokens.finance, app.adminKey]) {
      const patched = await app.call(
        'PATCH',
        `/api/orders/${o.id}`,
        { payment: { status: 'paid' } },
        { as },
      );
      expectForbidden(patched, '/payment/status', 'payment.status is set only by the system');
      const fired = await app.call(
        'POST',
        `/api/orders/${o.id}/events`,
        { type: 'payment.reported', payload: { status: 'paid' } },
        { as },
      );
      expectForbidden(fired, '/transitions/2', 'fired only by the system');
    }
    expect(await order(o.id)).toMatchObject({
      state: 'approved',
      version: before.version,
      data: { payment: { status: 'failed' } },
    });

    // The bank itself may: its answer moves the order, and the history says it was the system.
    await deliver(app, 'owned/bank', { ref: before.data.ref, status: 'paid' }, { secret: SECRET });
    await waitFor(async () => (await order(o.id)).state === 'paid');
    const history = (await app.call('GET', `/api/orders/${o.id}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ transition: 'settle', actor: { kind: 'system' } });
    expect(history[0].actor).toMatchObject({ kind: 'person' });
  });

  it("an import carries the person's roles: values not theirs refuse the whole file with a 403", async () => {
    const count = async () => (await app.call('GET', '/api/orders/counts?flow=owned')).body.total;
    const before = await count();
    const csv = 'ref,finance.approved,lines.0.sku\nI-1,,A\nI-2,true,B\n';
    const refused = await app.call(
      'POST',
      '/api/flows/owned/imports',
      { format: 'csv', content: csv },
      { as: tokens.operator },
    );
    expectForbidden(refused, '/rows/3/finance.approved', 'the role finance');
    const jsonl = `${JSON.stringify({ externalRef: 'J-1', data: { ref: 'J-1', payment: { status: 'paid' } } })}\n`;
    const system = await app.call(
      'POST',
      '/api/flows/owned/imports',
      { format: 'jsonl', content: jsonl, mode: 'all' },
      { as: app.adminKey },
    );
    expect(system.status).toBe(403);
    expect(system.body.errors[0].message).toContain('payment.status');
    const bins = await app.call(
      'POST',
      '/api/flows/owned/imports',
      { format: 'csv', content: 'ref,lines.0.sku,lines.0.bin\nB-1,A,P-01\n' },
      { as: tokens.operator },
    );
    expectForbidden(bins, '/rows/2/lines.0.bin', 'the role warehouse');
    expect(await count()).toBe(before);
    // The preview still shows each row and why.
    const preview = await app.call(
      'POST',
      '/api/flows/owned/imports',
      { format: 'csv', content: csv, dryRun: true },
      { as: tokens.operator },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.refused).toEqual([
      expect.objectContaining({ line: 3, code: 'not_writable', column: 'finance.approved' }),
    ]);
    const ok = await app.call(
      'POST',
      '/api/flows/owned/imports',
      { format: 'csv', content: csv },
      { as: tokens.finance },
    );
    expect(ok.body).toMatchObject({ imported: 2 });
    const warehouse = await app.call(
      'POST',
      '/api/flows/owned/imports',
      { format: 'csv', content: 'ref,lines.0.sku,lines.0.bin\nB-1,A,P-01\n' },
      { as: tokens.warehouse },
    );
    expect(warehouse.body).toMatchObject({ imported: 1 });
  });

  it('a bulk action goes through the same check: every order refused with 403, none changed', async () => {
    const [a, b] = [await approved(), await approved()];
    const bulk = await app.call(
      'POST',
      '/api/orders/bulk/events',
      { ids: [a.id, b.id], type: 'payment.reported', payload: { status: 'paid' } },
      { as: tokens.finance },
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ fired: 0, refused: 2 });
    for (const r of bulk.body.results)
      expect(r).toMatchObject({ ok: false, status: 403, code: 'forbidden' });
    for (const o of [a, b])
      expect(await order(o.id)).toMatchObject({ state: 'approved', version: o.version });
  });

  it('refuses "system" as a person\'s role: only the system\'s own actors are the system', async () => {
    const made = await app.call('POST', '/api/keys', { name: 'fake-system', roles: ['system'] });
    expect(made.status).toBe(422);
    expect(made.body.errors[0].path).toBe('/roles/0');
  });

  it('shows each blocked transition with who may fire it', async () => {
    const o = await approved();
    const items = (
      await app.call('GET', `/api/orders/${o.id}/transitions`, undefined, { as: tokens.operator })
    ).body.items;
    expect(items.find((t: { id: string }) => t.id === 'report')).toMatchObject({
      enabled: false,
      reason: expect.stringContaining('only by the system'),
    });
  });
});
