import { DomainEvents } from '../src/events/domain-events';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * A flow whose creation moves on by itself (`auto` to triage) and whose warning rule is routed
 * as an exception (flag the order): what an import must raise like a single create.
 */
const triageFlow = {
  schemaVersion: 1,
  key: 'triage',
  name: 'Triage',
  fields: [
    { key: 'amount', type: 'number', required: true },
    { key: 'flagged', type: 'boolean' },
  ],
  states: [{ id: 'new', initial: true }, { id: 'triage' }, { id: 'done', final: true }],
  transitions: [
    { id: 'to_triage', from: 'new', to: 'triage', auto: true },
    { id: 'finish', from: 'triage', to: 'done', event: 'finish' },
  ],
  rules: [
    {
      id: 'big_amount',
      severity: 'warning',
      message: 'Large amount',
      logic: { '<': [{ var: 'amount' }, 10000] },
    },
  ],
  exceptions: [{ kind: 'rule_warning', rule: 'big_amount', patch: { flagged: true } }],
};

describe.each(databaseKinds())('imported orders are announced like created ones on %s', (db) => {
  let app: TestApp;
  const seen: { name: string; orderId: string }[] = [];
  const first = new Set<string>();

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app, triageFlow);
    const events = app.server.app.get(DomainEvents);
    for (const name of ['order.created', 'order.transitioned', 'order.warned'] as const)
      events.on(name, ({ order }) => seen.push({ name, orderId: order.id }));
  });
  afterAll(() => app.close());

  it('emits order.transitioned and order.warned for imported orders and raises their warning exceptions', async () => {
    const imported = await app.call('POST', '/api/flows/triage/imports', {
      format: 'csv',
      content: 'Ref,Amount\nT-1,50000\nT-2,5\n',
      mapping: { Ref: 'externalRef', Amount: 'amount' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 2, refused: [] });

    const list = (await app.call('GET', '/api/orders?flow=triage')).body.items as {
      id: string;
      externalRef: string;
      state: string;
    }[];
    const big = list.find((o) => o.externalRef === 'T-1')!;
    const small = list.find((o) => o.externalRef === 'T-2')!;
    expect([big.state, small.state]).toEqual(['triage', 'triage']);

    first.add(big.id).add(small.id);
    const of = (id: string) => seen.filter((e) => e.orderId === id).map((e) => e.name);
    // (The exception's patch is a change of its own, warned again later: the first three.)
    expect(of(big.id).slice(0, 3)).toEqual(['order.created', 'order.transitioned', 'order.warned']);
    expect(of(small.id)).toEqual(['order.created', 'order.transitioned']);

    // The warning is an exception the flow settles by itself: the big order is flagged, and
    // then (a write of its own, after the order's patch) the exception is settled.
    await waitFor(
      async () => (await app.call('GET', `/api/orders/${big.id}`)).body.data.flagged === true,
    );
    const stats = async () => (await app.call('GET', '/api/exceptions/stats?flow=triage')).body;
    await waitFor(async () => (await stats()).byKind.rule_warning?.automatic === 1);
    expect((await stats()).byKind).toMatchObject({ rule_warning: { total: 1, automatic: 1 } });
    expect((await app.call('GET', `/api/orders/${small.id}`)).body.data.flagged).toBeUndefined();
  });

  it('announces nothing for a refused import (mode "all", a bad row): nothing was written', async () => {
    const refused = await app.call('POST', '/api/flows/triage/imports', {
      format: 'csv',
      content: 'Ref,Amount\nT-3,50000\nT-4,not a number\n',
      mapping: { Ref: 'externalRef', Amount: 'amount' },
      mode: 'all',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('import_refused');
    expect(seen.filter((e) => !first.has(e.orderId))).toEqual([]);
    expect((await app.call('GET', '/api/orders?flow=triage&externalRef=T-3')).body.items).toEqual(
      [],
    );
  });
});
