import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { CallbackRefusal } from './callback-refusal';
import { flatXml } from './flat-xml';

/** What verifying a WeCom callback needs: the application's callback settings. */
export interface WecomCallbackKeys {
  /** The callback Token (a secret shared with WeCom). */
  token: string;
  /** The 43-character EncodingAESKey (base64 of the AES-256 key, without its `=`). */
  encodingAESKey: string;
  /** The receiveid the plaintext must end with: the corpId (企业 ID). */
  corpId: string;
}

/** The query of a WeCom callback, and the encrypted part (`echostr`, or the body's `<Encrypt>`). */
export interface WecomCallbackQuery {
  msgSignature: string;
  timestamp: string;
  nonce: string;
  encrypted: string;
}

/** How far a callback's timestamp may be from now (WeCom retries within seconds). */
export const WECOM_TOLERANCE_SECONDS = 300;

/** WeCom's msg_signature: SHA-1 (hex) of token, timestamp, nonce and the ciphertext, sorted and joined. */
export function wecomSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): string {
  return createHash('sha1')
    .update([token, timestamp, nonce, encrypted].sort().join(''))
    .digest('hex');
}

/** The AES-256 key of an EncodingAESKey (base64 of 43 characters + `=`), or a refusal. */
export function wecomAesKey(encodingAESKey: string): Buffer {
  const key = /^[A-Za-z0-9+/]{43}$/.test(encodingAESKey)
    ? Buffer.from(`${encodingAESKey}=`, 'base64')
    : Buffer.alloc(0);
  if (key.length !== 32)
    throw new CallbackRefusal(
      'bad_key',
      'the EncodingAESKey must be 43 base64 characters (the AES-256 key as WeCom shows it)',
    );
  return key;
}

/**
 * Decrypts a WeCom ciphertext: AES-256-CBC, the key's first 16 bytes as IV, PKCS#7 padding to
 * 32 bytes; the plaintext is 16 random bytes, the message's length (4 bytes, big-endian), the
 * message, then the receiveid, which must be `corpId`. Answers the message.
 */
export function wecomDecrypt(encodingAESKey: string, encrypted: string, corpId: string): string {
  const key = wecomAesKey(encodingAESKey);
  const bad = (why: string) => new CallbackRefusal('bad_ciphertext', `the ciphertext ${why}`);
  const bytes = Buffer.from(encrypted, 'base64');
  if (!bytes.length || bytes.length % 16) throw bad('is not AES blocks in base64');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(bytes), decipher.final()]);
  } catch {
    throw bad('does not decrypt');
  }
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 32 || pad > plain.length || plain.subarray(-pad).some((b) => b !== pad))
    throw bad('has no valid PKCS#7 padding (wrong EncodingAESKey, or altered)');
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) throw bad('is too short');
  const length = content.readUInt32BE(0);
  if (length > content.length - 4) throw bad('names a length longer than itself');
  const receiveId = content.subarray(4 + length).toString('utf8');
  if (receiveId !== corpId)
    throw new CallbackRefusal(
      'wrong_receiver',
      `the message is addressed to receiveid "${receiveId.slice(0, 64)}", not this application's corpId`,
    );
  return content.subarray(4, 4 + length).toString('utf8');
}

/**
 * Checks a WeCom callback as its specification has it — the timestamp fresh, msg_signature
 * right (compared in constant time), the ciphertext decrypting to a message for `corpId` — and
 * answers the plaintext (the echostr of a URL verification, or a message's XML).
 */
export function verifyWecomCallback(
  keys: WecomCallbackKeys,
  query: WecomCallbackQuery,
  nowMs: number,
): string {
  const seconds = /^\d{1,12}$/.test(query.timestamp) ? Number(query.timestamp) : NaN;
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > WECOM_TOLERANCE_SECONDS)
    throw new CallbackRefusal(
      'stale_timestamp',
      `the timestamp must be the callback's time in seconds, within ${WECOM_TOLERANCE_SECONDS} s of now`,
    );
  const want = Buffer.from(
    wecomSignature(keys.token, query.timestamp, query.nonce, query.encrypted),
  );
  const got = Buffer.from(query.msgSignature.toLowerCase());
  if (got.length !== want.length || !timingSafeEqual(got, want))
    throw new CallbackRefusal('bad_signature', 'msg_signature does not match');
  return wecomDecrypt(keys.encodingAESKey, query.encrypted, keys.corpId);
}

/** The `<Encrypt>` of a WeCom callback's XML body. */
export function wecomEncrypted(body: string): string {
  const encrypted = flatXml(body).Encrypt;
  if (!encrypted) throw new CallbackRefusal('bad_message', 'the body has no <Encrypt> element');
  return encrypted;
}

/** A WeCom message as the callback's plaintext gives it. */
export interface WecomMessage {
  msgType: string;
  /** The sender's UserID (FromUserName). */
  from: string;
  /** The corpId it was sent to (ToUserName). */
  to: string;
  msgId: string | null;
  agentId: string | null;
  content: string | null;
  createTime: number | null;
  /** For an event (MsgType `event`): its name. */
  event: string | null;
}

/** Reads a decrypted WeCom message XML. */
export function wecomMessage(xml: string): WecomMessage {
  const f = flatXml(xml);
  if (!f.MsgType || !f.FromUserName)
    throw new CallbackRefusal('bad_message', 'the message has no MsgType or FromUserName');
  const time = Number(f.CreateTime);
  return {
    msgType: f.MsgType,
    from: f.FromUserName,
    to: f.ToUserName ?? '',
    msgId: f.MsgId || null,
    agentId: f.AgentID || null,
    content: f.Content ?? null,
    createTime: Number.isFinite(time) ? time : null,
    event: f.Event || null,
  };
}
