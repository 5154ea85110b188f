import {
  applyMergePatch,
  compileFlow,
  findUnsafeKey,
  getPath,
  patchAt,
  setPath,
  UnsafePathError,
  validateFlow,
} from '../src';
import { standardOrderFlow } from '../src/testing';

const HOSTILE = ['__proto__', 'constructor', 'prototype'];
const ctx = { now: '2026-01-01T00:00:00Z', actor: { id: 'u', roles: ['admin'] }, id: 'o1' };

/** Object.prototype's own names now, to prove nothing was added. */
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe('safe paths', () => {
  const before = prototypeKeys();
  afterEach(() => {
    expect(prototypeKeys()).toEqual(before);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    '__proto__.x',
    'constructor.prototype.x',
    'a.__proto__.x',
    'prototype',
    'a.constructor',
  ])('setPath and patchAt refuse %s', (path) => {
    expect(() => setPath({ a: {} }, path, 1)).toThrow(UnsafePathError);
    expect(() => patchAt(path, 1)).toThrow(UnsafePathError);
  });

  it('names the path and the segment', () => {
    try {
      setPath({}, 'customer.__proto__.x', 1);
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(UnsafePathError);
      expect((error as UnsafePathError).path).toBe('customer.__proto__.x');
      expect((error as UnsafePathError).segment).toBe('__proto__');
    }
  });

  it('still writes ordinary paths with structural sharing', () => {
    const root = { a: { b: 1 }, c: { d: 2 } };
    const out = setPath(root, 'a.e', 3);
    expect(out).toEqual({ a: { b: 1, e: 3 }, c: { d: 2 } });
    expect(out.c).toBe(root.c);
    expect(setPath({ l: [{ q: 1 }] }, 'l.0.q', 2)).toEqual({ l: [{ q: 2 }] });
    expect(patchAt('a.b', 1)).toEqual({ a: { b: 1 } });
  });

  it('getPath reads own properties only', () => {
    const data = JSON.parse('{"a": {"b": 1}, "__proto__": {"x": 2}}');
    expect(getPath(data, 'a.b')).toBe(1);
    expect(getPath(data, 'a.toString')).toBeUndefined();
    expect(getPath(data, 'a.constructor')).toBeUndefined();
    expect(getPath(data, '__proto__.x')).toBeUndefined();
    expect(getPath({ l: [1, 2] }, 'l.1')).toBe(2);
  });

  it('applyMergePatch refuses a key that reaches a prototype (JSON.parse makes it own)', () => {
    for (const key of HOSTILE) {
      const patch = JSON.parse(`{"a": {"${key}": {"x": 1}}}`);
      expect(() => applyMergePatch({ a: {} }, patch)).toThrow(UnsafePathError);
    }
    expect(applyMergePatch({ a: { b: 1 } }, { a: { c: 2 } })).toEqual({ a: { b: 1, c: 2 } });
  });

  it('findUnsafeKey points at a hostile key at any depth, iteratively', () => {
    expect(findUnsafeKey(JSON.parse('{"a": [{"b": {"__proto__": 1}}]}'))).toBe('/a/0/b/__proto__');
    expect(findUnsafeKey({ a: [{ prototype: 1 }] })).toBe('/a/0/prototype');
    expect(findUnsafeKey({ a: ['__proto__'], b: { c: 1 } })).toBeUndefined();
    let deep: unknown = { constructor: 1 };
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    expect(findUnsafeKey(deep)).toMatch(/\/constructor$/);
  });

  it('the engine refuses order data and patches with hostile keys, naming the path', () => {
    const flow = compileFlow(standardOrderFlow);
    const created = flow.create(JSON.parse('{"__proto__": {"x": 1}}'), ctx);
    expect(created.ok).toBe(false);
    if (created.ok) return;
    expect(created.error.problems?.[0]).toMatchObject({ path: '/__proto__', code: 'unsafe_key' });
    const data = { customer: { id: 'C1' }, lines: [{ sku: 'A', qty: 1 }], stock: { available: 5 } };
    const order = flow.create(data, ctx);
    if (!order.ok) throw new Error(order.error.message);
    const patched = flow.update(
      order.order,
      JSON.parse('{"customer": {"constructor": {"prototype": {"x": 1}}}}'),
      ctx,
    );
    expect(patched.ok).toBe(false);
    if (patched.ok) return;
    expect(patched.error.problems?.[0]).toMatchObject({
      path: '/customer/constructor',
      code: 'unsafe_key',
    });
  });
});

describe('the flow schema refuses hostile keys and paths', () => {
  const doc = () => JSON.parse(JSON.stringify(standardOrderFlow));

  it.each(HOSTILE)('a field key %s', (key) => {
    const flow = doc();
    flow.fields.push({ key, type: 'string' });
    const found = validateFlow(flow).problems.find(
      (p) => p.path === `/fields/${flow.fields.length - 1}/key`,
    );
    expect(found).toMatchObject({ code: 'unsafe_path', severity: 'error' });
    expect(found?.message).toContain(key);
  });

  it('a nested field key', () => {
    const flow = doc();
    flow.fields.push({
      key: 'extra',
      type: 'object',
      fields: [{ key: 'prototype', type: 'string' }],
    });
    const at = `/fields/${flow.fields.length - 1}/fields/0/key`;
    expect(validateFlow(flow).problems.map((p) => [p.path, p.code])).toContainEqual([
      at,
      'unsafe_path',
    ]);
  });

  it('set targets, call inputs, result paths and webhook create.data keys', () => {
    const flow = doc();
    flow.transitions[0].actions = [
      { set: { '__proto__.x': 1 } },
      {
        call: {
          connector: 'c',
          action: 'a',
          input: { 'a.constructor': 1 },
          resultPath: 'b.prototype',
        },
      },
    ];
    flow.triggers = [
      {
        id: 'hook',
        webhook: {
          secret: 's',
          find: { by: 'externalRef', value: { var: '$body.id' } },
          create: { data: { '__proto__.x': { var: '$body.x' } } },
        },
      },
    ];
    const found = validateFlow(flow).problems.filter((p) => p.code === 'unsafe_path');
    expect(found.map((p) => p.path).sort()).toEqual(
      [
        '/transitions/0/actions/0/set/__proto__.x',
        '/transitions/0/actions/1/call/input/a.constructor',
        '/transitions/0/actions/1/call/resultPath',
        '/triggers/0/webhook/create/data/__proto__.x',
      ].sort(),
    );
  });

  it('state ids', () => {
    const flow = doc();
    flow.states.push({ id: 'constructor', label: 'x' });
    expect(validateFlow(flow).problems.map((p) => p.code)).toContain('unsafe_path');
  });
});
