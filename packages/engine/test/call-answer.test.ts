import { applyCallAnswer, compileFlow, type Flow } from '../src';
import { testContext } from '../src/testing';

const doc: Flow = {
  schemaVersion: 1,
  key: 'credit',
  name: 'Credit',
  connectors: { crm: { type: 'http' } },
  fields: [{ key: 'crm', type: 'object', fields: [{ key: 'tier', type: 'string' }] }],
  states: [
    {
      id: 'checking',
      initial: true,
      entry: [
        {
          call: {
            connector: 'crm',
            action: 'request',
            resultPath: 'crm',
            onSuccess: 'ok',
            onFailure: 'failed',
          },
        },
      ],
    },
    { id: 'approved', final: true },
    { id: 'held', final: true },
  ],
  transitions: [
    {
      id: 'ok',
      from: 'checking',
      to: 'approved',
      event: 'ok',
      guard: { '==': [{ var: 'crm.tier' }, 'A'] },
    },
    { id: 'failed', from: 'checking', to: 'held', event: 'failed' },
  ],
};
const flow = compileFlow(doc);
const ctx = testContext({ id: 'o-1' });

function created() {
  const result = flow.create({}, ctx);
  if (!result.ok) throw new Error(result.error.message);
  const call = result.effects.find((e) => e.type === 'connector.call');
  if (!call || call.type !== 'connector.call') throw new Error('no call');
  return { order: result.order, call };
}

describe('applyCallAnswer', () => {
  it('writes the output at resultPath, then fires onSuccess with it', () => {
    const { order, call } = created();
    const result = applyCallAnswer(flow, order, call, { ok: true, output: { tier: 'A' } }, ctx);
    expect(result).toMatchObject({
      ok: true,
      order: { state: 'approved', data: { crm: { tier: 'A' } }, version: 3 },
    });
    if (result.ok) expect(result.history.map((h) => h.kind)).toEqual(['updated', 'transition']);
  });

  it('keeps the answer when the guard (which sees it) does not hold: the order waits', () => {
    const { order, call } = created();
    const result = applyCallAnswer(flow, order, call, { ok: true, output: { tier: 'C' } }, ctx);
    expect(result).toMatchObject({
      ok: true,
      order: { state: 'checking', data: { crm: { tier: 'C' } }, version: 2 },
    });
  });

  it('refuses as the flow refuses when there is no answer to keep', () => {
    const { order, call } = created();
    const result = applyCallAnswer(
      flow,
      order,
      { ...call, resultPath: undefined },
      { ok: true, output: { tier: 'C' } },
      ctx,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'guard_failed' } });
  });

  it('fires onFailure with the error after the last failed attempt', () => {
    const { order, call } = created();
    const error = { code: 'http_status', message: 'CRM answered 503', status: 503 };
    const result = applyCallAnswer(flow, order, call, { ok: false, error }, ctx);
    expect(result).toMatchObject({ ok: true, order: { state: 'held' } });
    if (result.ok) expect(result.history[0].payload).toEqual({ error });
  });

  it('changes nothing when the call uses no answer', () => {
    const { order } = created();
    expect(applyCallAnswer(flow, order, {}, { ok: true, output: 1 }, ctx)).toEqual({
      ok: true,
      order,
      history: [],
      effects: [],
      warnings: [],
    });
  });
});
