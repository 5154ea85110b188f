import { createHash } from 'node:crypto';
import {
  CallbackRefusal,
  type CallbackRefusalCode,
  dingTalkMessage,
  type DingTalkMessage,
  wecomMessage,
  type WecomMessage,
} from '@ordo/connectors';
import { ApiProblem } from '../problems/api-problem';

/** The chat platforms a flow takes orders from. */
export type ChatChannel = 'wecom' | 'dingtalk';

/** The largest callback body taken (a chat message is short; WeCom caps text at 2,048 bytes). */
export const CHAT_BODY_LIMIT = 64 * 1024;

/** WeCom's message/send takes at most 2,048 bytes of text. */
export const WECOM_TEXT_BYTES = 2048;

const STATUS: Record<CallbackRefusalCode, number> = {
  bad_signature: 401,
  stale_timestamp: 401,
  bad_ciphertext: 400,
  bad_message: 400,
  wrong_receiver: 403,
  bad_key: 503,
};

/** A refused callback as its problem: 401 unsigned or stale, 400 unreadable, 403 not for us. */
export function refusalProblem(refusal: CallbackRefusal): ApiProblem {
  const status = STATUS[refusal.code];
  return new ApiProblem(
    status,
    refusal.code,
    status === 503 ? 'Chat intake not ready' : 'Callback refused',
    status === 503
      ? `The flow's chat credential cannot check callbacks: ${refusal.message}`
      : `The callback is refused: ${refusal.message}`,
  );
}

/** Runs a check that may refuse the callback, turning its refusal into the problem. */
export function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof CallbackRefusal) throw refusalProblem(error);
    throw error;
  }
}

/** The key a chat message is taken once by: its platform's message id, per flow. */
export const chatKey = (channel: ChatChannel, flow: string, scope: string, msgId: string) =>
  createHash('sha256').update(`chat:${channel}:${flow}:${scope}:${msgId}`).digest('hex');

/** The stored message as its platform sent it (WeCom's decrypted XML, DingTalk's JSON). */
export function storedMessage(
  channel: ChatChannel,
  raw: Buffer,
): { channel: 'wecom'; message: WecomMessage } | { channel: 'dingtalk'; message: DingTalkMessage } {
  const text = raw.toString('utf8');
  return channel === 'wecom'
    ? { channel, message: wecomMessage(text) }
    : { channel, message: dingTalkMessage(JSON.parse(text)) };
}

/**
 * The text cut to `maxBytes` of UTF-8 at a line, its last line (the message's reference in
 * Ordo) kept: what a platform with a cap on message size is sent.
 */
export function fitText(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const tail = `…\n${last}`;
  let budget = maxBytes - Buffer.byteLength(tail) - 1;
  const kept: string[] = [];
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (size > budget) break;
    kept.push(line);
    budget -= size;
  }
  return `${kept.join('\n')}\n${tail}`;
}
