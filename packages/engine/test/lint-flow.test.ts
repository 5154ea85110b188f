import { validateFlow, type Flow } from '../src';
import { standardOrderFlow } from '../src/testing';
import fmcg from '../../../examples/flows/fmcg-order.json';

const clone = (): Flow => JSON.parse(JSON.stringify(standardOrderFlow));
const problemsOf = (doc: unknown) =>
  validateFlow(doc).problems.map((p) => [p.path, p.code, p.severity]);

describe('validateFlow', () => {
  it('passes the example flows with no problem at all', () => {
    expect(validateFlow(standardOrderFlow)).toEqual({ ok: true, problems: [] });
    expect(validateFlow(fmcg)).toEqual({ ok: true, problems: [] });
  });

  it.each([null, [], 'flow', 42, {}, { schemaVersion: 1 }])(
    'gives problems for %j, never throws',
    (doc) => {
      const result = validateFlow(doc);
      expect(result.ok).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    },
  );

  it('names missing sections and wrong values at their own paths', () => {
    expect(
      problemsOf({ schemaVersion: 2, key: 'Bad Key', name: 'x', fields: [], states: [] }),
    ).toEqual(
      expect.arrayContaining([
        ['/transitions', 'required', 'error'],
        ['/schemaVersion', 'invalid_value', 'error'],
        ['/key', 'invalid_format', 'error'],
        ['/states', 'invalid_minItems', 'error'],
      ]),
    );
    const doc = { ...clone(), colour: 'red' };
    expect(problemsOf(doc)).toEqual([['/colour', 'unknown_property', 'error']]);
  });

  it('folds union noise into one message per place', () => {
    const doc = clone();
    (doc.fields[0] as { type: string }).type = 'strin';
    (doc.states[0] as { label: unknown }).label = { en: 1 };
    (doc.transitions[0].actions as unknown[]).push({ sett: {} });
    (doc.transitions[0].actions as unknown[]).push({ set: { 'bad path!': 1 } });
    const problems = validateFlow(doc).problems;
    expect(problems.find((p) => p.path === '/fields/0/type')?.message).toMatch(
      /must be one of string, text, .*not "strin"/,
    );
    expect(problems.find((p) => p.path === '/states/0/label')?.message).toMatch(
      /one text per locale/,
    );
    expect(problems.find((p) => p.path === '/transitions/0/actions/1')?.message).toMatch(
      /exactly one of set, call, notify, emit, task/,
    );
    expect(problems.filter((p) => p.path.startsWith('/transitions/0/actions/2'))).toEqual([
      // The schema refuses a key that is not a dot path; the lint says no field has it.
      expect.objectContaining({
        path: '/transitions/0/actions/2/set/bad path!',
        code: 'unknown_property',
      }),
      expect.objectContaining({
        path: '/transitions/0/actions/2/set/bad path!',
        code: 'unknown_variable',
      }),
    ]);
  });

  it('checks states: duplicates, initial, final, reachability, dead ends, SLA events', () => {
    const doc = clone();
    doc.states.push({ id: 'new' }, { id: 'island' }, { id: 'limbo', initial: true });
    doc.states[3].sla!.onBreach = { event: 'nobody-listens' };
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        ['/states/7/id', 'duplicate_id', 'error'],
        ['/states/9/initial', 'several_initial_states', 'error'],
        ['/states/8', 'unreachable_state', 'warning'],
        ['/states/3/sla/onBreach/event', 'unhandled_sla_event', 'warning'],
      ]),
    );
    const none = clone();
    none.states = none.states.map((s) => ({ ...s, initial: false }));
    expect(problemsOf(none)).toContainEqual(['/states', 'no_initial_state', 'error']);
    const dead = clone();
    dead.transitions = dead.transitions.filter((t) => t.id !== 'deliver');
    expect(problemsOf(dead)).toContainEqual(['/states/4', 'dead_end_state', 'warning']);
  });

  it('checks transitions: unknown states, final sources, event or auto, cycles of autos', () => {
    const doc = clone();
    doc.transitions.push(
      { id: 'a', from: ['new', 'ghost'], to: 'nowhere', event: 'x' },
      { id: 'b', from: 'done', to: 'new', event: 'reopen' },
      { id: 'c', from: 'new', to: 'done' },
      { id: 'd', from: 'new', to: 'done', event: 'e', auto: true },
      { id: 'confirm', from: 'new', to: 'done', event: 'dup' },
    );
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        ['/transitions/6/from/1', 'unknown_state', 'error'],
        ['/transitions/6/to', 'unknown_state', 'error'],
        ['/transitions/7/from', 'transition_from_final', 'error'],
        ['/transitions/8', 'no_event', 'error'],
        ['/transitions/9', 'event_and_auto', 'error'],
        ['/transitions/10/id', 'duplicate_id', 'error'],
      ]),
    );
    const loop = clone();
    loop.transitions.push({ id: 'back', from: 'stock_locked', to: 'finance_reviewed', auto: true });
    const cycle = validateFlow(loop).problems.find((p) => p.code === 'auto_cycle');
    expect(cycle?.message).toMatch(
      /finance_reviewed → stock_locked → finance_reviewed|stock_locked → finance_reviewed → stock_locked/,
    );
  });

  it('checks fields: duplicates, options, attributes of the wrong type, bounds, patterns', () => {
    const doc = clone();
    doc.fields.push(
      { key: 'carrier', type: 'string' },
      { key: 'kind', type: 'enum' },
      { key: 'n', type: 'integer', min: 5, max: 1 },
      { key: 'code', type: 'string', pattern: '([' },
      { key: 'flat', type: 'string', items: [{ key: 'x', type: 'string' }] },
    );
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        ['/fields/7/key', 'duplicate_id', 'error'],
        ['/fields/8/options', 'missing_options', 'error'],
        ['/fields/9/min', 'impossible_bounds', 'error'],
        ['/fields/10/pattern', 'bad_pattern', 'error'],
        ['/fields/11/items', 'wrong_attribute', 'error'],
      ]),
    );
  });

  it('reports variables no field defines, understanding scopes and the $ context', () => {
    const doc = clone();
    doc.transitions[2].guard = {
      and: [
        { '==': [{ var: 'finance.aproved' }, true] },
        { all: [{ var: 'lines' }, { '>': [{ var: 'qty' }, { var: 'minimum' }] }] },
        {
          reduce: [
            { var: 'lines' },
            { '+': [{ var: 'accumulator' }, { var: 'current.qty' }, { var: 'current.weight' }] },
            0,
          ],
        },
        { '==': [{ var: '$actor.id' }, { var: '$event.anything.goes' }] },
        { '<': [{ var: '$order.version' }, { var: 'lines.0.qty' }, { var: 'total.amount' }] },
        { '==': [{ var: '$order.nope' }, { var: 'customer.id.deeper' }] },
        { missing: ['customer.id', 'custmer'] },
      ],
    };
    const unknown = validateFlow(doc).problems.filter((p) => p.code === 'unknown_variable');
    expect(unknown.map((p) => p.path)).toEqual([
      '/transitions/2/guard/and/0/==/0/var',
      '/transitions/2/guard/and/1/all/1/>/1/var',
      '/transitions/2/guard/and/2/reduce/1/+/2/var',
      '/transitions/2/guard/and/5/==/0/var',
      '/transitions/2/guard/and/5/==/1/var',
      '/transitions/2/guard/and/6/missing/1',
    ]);
    expect(unknown[0].message).toBe(
      'Transition `lock` reads `finance.aproved`, which no field defines (`finance.aproved` does not exist) — add the field or fix the path'.replace(
        ' (`finance.aproved` does not exist)',
        '',
      ),
    );
    expect(unknown[1].message).toContain('`minimum`');
  });

  it('checks set targets, unknown operators and unsafe paths in rules and actions', () => {
    const doc = clone();
    doc.transitions[0].actions = [{ set: { 'no.such': 1, confirmedBy: { var: 'nope' } } }];
    doc.rules![0].logic = { and: [{ eval: ['x'] }] };
    doc.rules![1].logic = { var: 'constructor.prototype' };
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        ['/transitions/0/actions/0/set/no.such', 'unknown_variable', 'error'],
        ['/transitions/0/actions/0/set/confirmedBy/var', 'unknown_variable', 'error'],
        ['/rules/0/logic/and/0/eval', 'unknown_operator', 'error'],
        ['/rules/1/logic/var', 'unsafe_path', 'error'],
      ]),
    );
  });

  it('checks rules: duplicates and transitions they name', () => {
    const doc = clone();
    doc.rules!.push(
      { id: 'primary-bin', message: 'again', logic: true },
      { id: 'x', on: ['create'], transitions: ['nope'], message: 'x', logic: true },
    );
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        ['/rules/2/id', 'duplicate_id', 'error'],
        ['/rules/3/transitions/0', 'unknown_transition', 'error'],
        ['/rules/3/transitions', 'transitions_without_on', 'warning'],
      ]),
    );
  });
});

describe('validateFlow: connectors', () => {
  const withCall = (connectors: Flow['connectors'], call: Record<string, unknown>): Flow => {
    const doc = clone();
    doc.connectors = connectors;
    doc.transitions[0].actions = [{ call: { action: 'request', ...call } as never }];
    doc.states[1].entry = [{ call: { connector: 'crm', action: 'request' } }];
    return doc;
  };

  it('accepts declared instances and calls whose answer events are handled', () => {
    const doc = withCall(
      {
        crm: {
          type: 'http',
          settings: { baseUrl: 'https://crm.example.com' },
          credential: 'crm-key',
          retry: { attempts: 3, backoff: 'PT2S', maxBackoff: 'PT1M' },
          timeout: 'PT10S',
        },
      },
      { connector: 'crm', onSuccess: 'review', onFailure: 'cancel' },
    );
    expect(validateFlow(doc)).toEqual({ ok: true, problems: [] });
  });

  it('names an undeclared instance at the call, and unhandled answer events', () => {
    const doc = withCall(
      { crm: { type: 'http' } },
      { connector: 'wms', onSuccess: 'stock_reserved', onFailure: 'review' },
    );
    expect(problemsOf(doc)).toEqual([
      ['/transitions/0/actions/0/call/connector', 'unknown_connector', 'error'],
      ['/transitions/0/actions/0/call/onSuccess', 'unhandled_event', 'warning'],
    ]);
    expect(validateFlow(doc).problems[0].message).toMatch(/No connector instance "wms".*: crm/);
  });

  it('names notify channels that are not declared instances', () => {
    const doc = withCall({ crm: { type: 'http' }, ops: { type: 'wecom' } }, { connector: 'crm' });
    doc.states[2].entry = [
      { notify: { to: { role: 'ops' }, message: 'x', channels: ['ops', 'sms'] } },
    ];
    expect(problemsOf(doc)).toEqual([
      ['/states/2/entry/0/notify/channels/1', 'unknown_connector', 'error'],
    ]);
  });

  it('checks the instance itself against the schema', () => {
    const doc = withCall(
      { crm: { type: 'HTTP', retry: { attempts: 0 }, timeout: '10s' } as never },
      {
        connector: 'crm',
      },
    );
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        ['/connectors/crm/type', 'invalid_format', 'error'],
        ['/connectors/crm/retry/attempts', 'invalid_minimum', 'error'],
        ['/connectors/crm/timeout', 'invalid_format', 'error'],
      ]),
    );
  });
});
