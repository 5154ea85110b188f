import { CallbackRefusal } from '@ordo/connectors';
import { checked, fitText, refusalProblem, WECOM_TEXT_BYTES } from './chat-callbacks';

describe('chat callbacks', () => {
  it('cuts a long answer at a line to the byte cap, keeping its last line (the reference)', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `第 ${i + 1} 行：SKU-COLA-330 x 120`);
    const text = [...lines, '此消息在 Ordo 中的编号：abc'].join('\n');
    const fitted = fitText(text, WECOM_TEXT_BYTES);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(WECOM_TEXT_BYTES);
    expect(fitted.endsWith('…\n此消息在 Ordo 中的编号：abc')).toBe(true);
    expect(fitted.startsWith('第 1 行：')).toBe(true);
    // Whole lines only: no line is cut in the middle of a character or a word.
    for (const line of fitted.split('\n').slice(0, -2)) expect(lines).toContain(line);
    expect(fitText('short', WECOM_TEXT_BYTES)).toBe('short');
  });

  it('maps each refusal to its status: 401 unsigned or stale, 400 unreadable, 403 not ours, 503 our key', () => {
    const status = (code: CallbackRefusal['code']) =>
      refusalProblem(new CallbackRefusal(code, 'x')).status;
    expect(
      [
        'bad_signature',
        'stale_timestamp',
        'bad_ciphertext',
        'bad_message',
        'wrong_receiver',
        'bad_key',
      ].map((c) => status(c as CallbackRefusal['code'])),
    ).toEqual([401, 401, 400, 400, 403, 503]);
    expect(() =>
      checked(() => {
        throw new CallbackRefusal('bad_signature', 'msg_signature does not match');
      }),
    ).toThrow(expect.objectContaining({ status: 401, code: 'bad_signature' }));
    expect(() =>
      checked(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});
