import {
  compileLinePattern,
  dataSetRow,
  type DataSets,
  MESSAGE_LIMITS,
  type MessageFormat,
  readMessage,
  validateFlow,
} from '../src';
import { standardOrderFlow } from '../src/testing';

const format: MessageFormat = {
  header: { Store: 'customer.id', 'Order no': 'externalRef' },
  line: '{sku} x {qty} {unit?}',
  units: { factors: { cs: 24, ea: 1 } },
  aliases: { part: 'sku', dataSet: 'sku-aliases', column: 'sku' },
};

const aliases: Record<string, string> = { cola: 'SKU-COLA-330', 'green tea': 'SKU-TEA-500' };
const sets: DataSets = {
  row: (name, key) =>
    name === 'sku-aliases' && aliases[key] ? dataSetRow({ sku: aliases[key] }) : undefined,
  version: () => 1,
};

const read = (text: string, f: MessageFormat = format) =>
  readMessage(f, text, { fields: standardOrderFlow.fields, dataSets: sets });

describe('readMessage', () => {
  it('reads headers by label, lines by pattern, units and aliases; says what was understood by line', () => {
    const reading = read(
      [
        'Hello team,',
        '',
        'store:  S-001',
        'Order No: PO-7',
        'SKU-COLA-330 x 120',
        '- cola x 5 cs',
        '2. SKU-WATER-1L x 3 EA',
        '> SKU-OLD x 9 (quoted reply)',
        'Thanks',
        '--',
        'Li Wei, 138 0000 0000',
      ].join('\n'),
    );
    expect(reading.data).toEqual({
      customer: { id: 'S-001' },
      lines: [
        { sku: 'SKU-COLA-330', qty: 120 },
        { sku: 'SKU-COLA-330', qty: 120 },
        { sku: 'SKU-WATER-1L', qty: 3 },
      ],
    });
    expect(reading.externalRef).toBe('PO-7');
    expect(reading.notUnderstood).toEqual([]);
    expect(reading.ignored).toEqual([1, 9]);
    expect(reading.understood.map((u) => [u.line, u.as])).toEqual([
      [3, 'header'],
      [4, 'header'],
      [5, 'line'],
      [6, 'line'],
      [7, 'line'],
    ]);
  });

  it('names each line it could not read and why', () => {
    const reading = read(
      ['Store: S-2', 'SKU-A x many', 'SKU-B x 4 pallets', 'please send 3 more', 'Store:'].join(
        '\n',
      ),
    );
    expect(reading.data).toEqual({ customer: { id: 'S-2' } });
    expect(reading.notUnderstood).toEqual([
      expect.objectContaining({ line: 2, code: 'unrecognized_line' }),
      expect.objectContaining({
        line: 3,
        code: 'bad_value',
        message: 'unknown unit "pallets" (known: cs, ea)',
      }),
      expect.objectContaining({ line: 4, code: 'unrecognized_line' }),
      expect.objectContaining({ line: 5, code: 'empty_value' }),
    ]);
  });

  it('takes a multi-word last part and a full-width colon (中文 headers)', () => {
    const f: MessageFormat = {
      header: { 门店: 'customer.id' },
      line: '{qty} x {sku}',
      aliases: { part: 'sku', dataSet: 'sku-aliases', column: 'sku' },
    };
    const reading = read('门店：S-9\n2 x green tea', f);
    expect(reading.data).toEqual({
      customer: { id: 'S-9' },
      lines: [{ sku: 'SKU-TEA-500', qty: 2 }],
    });
  });

  it('refuses patterns that are not patterns, and parts that reach the prototype', () => {
    expect(compileLinePattern('no parts')).toMatchObject({ code: 'bad_part' });
    expect(compileLinePattern('{sku}{qty}')).toMatchObject({ code: 'bad_part' });
    expect(compileLinePattern('{sku} x {sku}')).toMatchObject({ code: 'bad_part' });
    expect(compileLinePattern('{a b} x {qty}')).toMatchObject({ code: 'bad_part' });
    for (const bad of ['__proto__', 'constructor', 'prototype'])
      expect(compileLinePattern(`{${bad}} x {qty}`)).toMatchObject({ code: 'unsafe_path' });
  });

  it('lints a flow whose message format writes through the prototype, and never writes it', () => {
    const hostile = {
      ...standardOrderFlow,
      intake: {
        message: {
          header: { Store: '__proto__.polluted', Other: 'customer.constructor.prototype.x' },
          line: '{sku} x {qty}',
          lines: 'constructor.prototype',
        },
      },
    };
    const result = validateFlow(hostile);
    expect(result.problems.filter((p) => p.code === 'unsafe_path').map((p) => p.path)).toEqual([
      '/intake/message/header/Store',
      '/intake/message/header/Other',
      '/intake/message/lines',
    ]);
    const reading = readMessage(hostile.intake.message, 'Store: yes\nSKU-A x 1', {
      fields: standardOrderFlow.fields,
    });
    expect(reading.data).toEqual({});
    expect(reading.notUnderstood).toEqual([expect.objectContaining({ code: 'bad_format' })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a label or SKU alias named __proto__ reads nothing from the prototype', () => {
    const reading = read('__proto__: x\nconstructor x 2\ntoString x 1');
    expect(reading.data).toEqual({
      lines: [
        { sku: 'constructor', qty: 2 },
        { sku: 'toString', qty: 1 },
      ],
    });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('bounds huge messages and long lines, and stays fast on hostile lines', () => {
    const huge = read('SKU-A x 1\n'.repeat(MESSAGE_LIMITS.lines + 5));
    expect(huge.notUnderstood).toEqual([expect.objectContaining({ code: 'message_too_large' })]);
    expect(huge.data).toEqual({});
    expect(read('x'.repeat(MESSAGE_LIMITS.chars + 1)).notUnderstood[0].code).toBe(
      'message_too_large',
    );
    const long = read(`SKU-A x ${'1'.repeat(600)}`);
    expect(long.notUnderstood[0]).toMatchObject({ line: 1, code: 'line_too_long' });
    const many: MessageFormat = { line: '{a} , {b} , {c} , {d} , {qty}' };
    const start = Date.now();
    const hostile = Array.from({ length: 200 }, () => `${'a ,'.repeat(160)}`).join('\n');
    const reading = readMessage(many, hostile, {});
    expect(Date.now() - start).toBeLessThan(2000);
    expect(reading.notUnderstood).toHaveLength(200);
  });

  it('a flow with a valid intake passes the lint', () => {
    const flow = {
      ...standardOrderFlow,
      intake: { message: format, email: { to: ['orders@acme.test'] } },
    };
    expect(validateFlow(flow)).toEqual({ ok: true, problems: [] });
    expect(
      validateFlow({
        ...flow,
        intake: { message: { ...format, units: { part: 'n', factors: {} } } },
      }).problems,
    ).toEqual([
      expect.objectContaining({ path: '/intake/message/units/part', code: 'unknown_part' }),
    ]);
  });

  it('chat intakes: WeCom and DingTalk settings checked, each needing the message format', () => {
    const chat = {
      wecom: { corpId: 'ww-corp', agentId: 1000002, credential: 'wecom-app' },
      dingtalk: { credential: 'dingtalk-robot', replyHosts: ['oapi.dingtalk.com:443'] },
    };
    const flow = { ...standardOrderFlow, intake: { message: format, ...chat } };
    expect(validateFlow(flow)).toEqual({ ok: true, problems: [] });
    expect(validateFlow({ ...flow, intake: chat }).problems).toEqual([
      expect.objectContaining({ path: '/intake/wecom', code: 'no_reader', severity: 'error' }),
      expect.objectContaining({ path: '/intake/dingtalk', code: 'no_reader', severity: 'error' }),
    ]);
    const bad = validateFlow({
      ...flow,
      intake: {
        message: format,
        wecom: { ...chat.wecom, corpId: 'a b', agentId: -1 },
        dingtalk: { credential: '', replyHosts: [] },
      },
    });
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '/intake/wecom/corpId',
        '/intake/wecom/agentId',
        '/intake/dingtalk/credential',
        '/intake/dingtalk/replyHosts',
      ]),
    );
  });

  it('known: a line whose part (after aliases) is not a row of the data set is not understood', () => {
    const bins: Record<string, boolean> = { 'SKU-COLA-330': true, 'SKU-WATER-1L': true };
    const withBins: DataSets = {
      row: (name, key) =>
        name === 'sku-bins' && bins[key] ? dataSetRow({ sku: key }) : sets.row(name, key),
      version: () => 1,
    };
    const reading = readMessage(
      { ...format, known: { part: 'sku', dataSet: 'sku-bins' } },
      'Store: S-1\ncola x 2 cs\nSKU-FANTA-330 x 10\nSKU-WATER-1L x 3',
      { fields: standardOrderFlow.fields, dataSets: withBins },
    );
    expect(reading.notUnderstood).toEqual([
      {
        line: 3,
        text: 'SKU-FANTA-330 x 10',
        code: 'unknown_value',
        message: 'sku "SKU-FANTA-330" is not in the data set sku-bins',
      },
    ]);
    expect(reading.understood.filter((u) => u.as === 'line').map((u) => u.line)).toEqual([2, 4]);
    // Given no such set (the designer's preview reads only the aliases'), nothing is checked.
    const preview = readMessage(
      { ...format, known: { part: 'sku', dataSet: 'sku-bins' } },
      'SKU-FANTA-330 x 10',
      { fields: standardOrderFlow.fields, dataSets: { ...sets, version: () => undefined } },
    );
    expect(preview.notUnderstood).toEqual([]);
    const flow = {
      ...standardOrderFlow,
      intake: { message: { ...format, known: { part: 'size', dataSet: 'x' } } },
    };
    expect(validateFlow(flow).problems.map((p) => [p.path, p.code])).toEqual([
      ['/intake/message/known/part', 'unknown_part'],
    ]);
  });
});
