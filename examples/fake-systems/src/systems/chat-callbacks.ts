import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Callbacks exactly as WeCom and DingTalk send them, so tests and the simulator can talk to
 * Ordo's intake routes like the platforms do (written from their specifications, apart from
 * Ordo's own code, so each checks the other).
 */

/** The keys of a WeCom application's callback (its admin page's Token and EncodingAESKey). */
export interface WecomKeys {
  corpId: string;
  token: string;
  encodingAESKey: string;
}

const sha1 = (parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** Encrypts as WeCom does: 16 random bytes, length (4 bytes BE), message, receiveid; PKCS#7 to 32. */
export function wecomEncrypt(keys: WecomKeys, message: string, receiveId = keys.corpId): string {
  const key = Buffer.from(`${keys.encodingAESKey}=`, 'base64');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(receiveId, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

/** The signed query of a callback over `encrypted` (echostr, or the body's Encrypt). */
export function wecomQuery(
  keys: WecomKeys,
  encrypted: string,
  timestamp = Math.floor(Date.now() / 1000),
  nonce = String(randomBytes(4).readUInt32BE()),
) {
  return {
    msg_signature: sha1([keys.token, String(timestamp), nonce, encrypted]),
    timestamp: String(timestamp),
    nonce,
  };
}

/** A URL verification (`GET ?msg_signature&timestamp&nonce&echostr`): its query and the echo to expect. */
export function wecomVerification(keys: WecomKeys, timestamp?: number) {
  const echo = String(randomBytes(8).readBigUInt64BE());
  const echostr = wecomEncrypt(keys, echo);
  return { query: { ...wecomQuery(keys, echostr, timestamp), echostr }, echo };
}

const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** A member's text message to the application, as the decrypted callback XML. */
export function wecomTextXml(message: {
  corpId: string;
  from: string;
  content: string;
  msgId: string;
  agentId: number;
  createTime?: number;
}): string {
  return (
    `<xml><ToUserName>${cdata(message.corpId)}</ToUserName><FromUserName>${cdata(message.from)}</FromUserName>` +
    `<CreateTime>${message.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(message.content)}</Content><MsgId>${message.msgId}</MsgId><AgentID>${message.agentId}</AgentID></xml>`
  );
}

/** An encrypted message callback (`POST ?msg_signature&timestamp&nonce`, XML body with Encrypt). */
export function wecomCallback(
  keys: WecomKeys,
  xml: string,
  options: { timestamp?: number; agentId?: number; receiveId?: string } = {},
) {
  const encrypted = wecomEncrypt(keys, xml, options.receiveId);
  return {
    query: wecomQuery(keys, encrypted, options.timestamp),
    body: `<xml><ToUserName>${cdata(keys.corpId)}</ToUserName><AgentID>${cdata(String(options.agentId ?? ''))}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`,
  };
}

/** The headers DingTalk signs an outgoing robot's callback with (`timestamp` ms, `sign`). */
export function dingTalkHeaders(appSecret: string, timestamp = Date.now()) {
  const sign = createHmac('sha256', appSecret)
    .update(`${timestamp}\n${appSecret}`)
    .digest('base64');
  return { timestamp: String(timestamp), sign };
}

/** An outgoing robot's callback body: a group member's text message (@ the robot). */
export function dingTalkText(message: {
  content: string;
  msgId: string;
  sessionWebhook: string;
  senderStaffId?: string;
  senderNick?: string;
  conversationId?: string;
  expiresInMs?: number;
}) {
  return {
    msgtype: 'text',
    text: { content: message.content },
    msgId: message.msgId,
    createAt: Date.now(),
    conversationType: '2',
    conversationId: message.conversationId ?? 'cid-fake-group',
    conversationTitle: 'Orders',
    senderId: `$:LWCP_v1:$${message.senderStaffId ?? 'staff'}`,
    senderNick: message.senderNick ?? 'Li Wei',
    senderStaffId: message.senderStaffId ?? 'staff-1',
    chatbotUserId: '$:LWCP_v1:$robot',
    isInAtList: true,
    sessionWebhook: message.sessionWebhook,
    sessionWebhookExpiredTime: Date.now() + (message.expiresInMs ?? 3_600_000),
  };
}
