import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { type AddressPolicy, BlockedAddressError, checkAddress } from '../http/address-guard';
import { CredentialHosts, endpointOf, formatEndpoint } from '../http/host-pattern';
import { signDingTalk } from '../builtins/chat-robots';
import { CallbackRefusal } from './callback-refusal';

/** How far a DingTalk callback's `timestamp` (ms) may be from now: one hour, as DingTalk says. */
export const DINGTALK_TOLERANCE_MS = 3_600_000;

/** Where a DingTalk robot's session webhooks go by default (`oapi.dingtalk.com`). */
export const DINGTALK_REPLY_HOSTS: readonly string[] = ['oapi.dingtalk.com:443'];

/**
 * Checks an outgoing robot's callback: its `timestamp` header (ms) within an hour of now and
 * its `sign` header base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret)), compared in
 * constant time.
 */
export function verifyDingTalkCallback(
  appSecret: string,
  headers: { timestamp?: string; sign?: string },
  nowMs: number,
): void {
  const timestamp = headers.timestamp ?? '';
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(nowMs - Number(timestamp)) > DINGTALK_TOLERANCE_MS)
    throw new CallbackRefusal(
      'stale_timestamp',
      'the timestamp header must be the callback time in milliseconds, within an hour of now',
    );
  const want = Buffer.from(signDingTalk(appSecret, Number(timestamp)));
  const got = Buffer.from(headers.sign ?? '');
  if (got.length !== want.length || !timingSafeEqual(got, want))
    throw new CallbackRefusal('bad_signature', 'the sign header does not match');
}

/** A DingTalk robot message as its callback's JSON gives it. */
export interface DingTalkMessage {
  msgId: string;
  msgtype: string;
  content: string | null;
  /** The sender: staff id when DingTalk gives one (internal robots do), else the nick. */
  from: string;
  senderNick: string | null;
  conversationId: string | null;
  conversationTitle: string | null;
  sessionWebhook: string | null;
  /** When the session webhook stops taking replies (ms), when given. */
  sessionWebhookExpiredTime: number | null;
}

const str = (value: unknown, max = 4096) =>
  typeof value === 'string' && value.length <= max ? value : null;

/** Reads a DingTalk callback body, or refuses one that is not a robot message. */
export function dingTalkMessage(body: unknown): DingTalkMessage {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const msgId = str(b.msgId, 128);
  const from = str(b.senderStaffId, 128) || str(b.senderId, 128) || str(b.senderNick, 128);
  if (!msgId || !from)
    throw new CallbackRefusal(
      'bad_message',
      'the body has no msgId or sender (senderStaffId, senderNick)',
    );
  const text = b.text as { content?: unknown } | undefined;
  const expires = Number(b.sessionWebhookExpiredTime);
  return {
    msgId,
    msgtype: str(b.msgtype, 32) ?? 'text',
    content: str(text?.content, 1_000_000),
    from,
    senderNick: str(b.senderNick, 128),
    conversationId: str(b.conversationId, 256),
    conversationTitle: str(b.conversationTitle, 256),
    sessionWebhook: str(b.sessionWebhook, 2048),
    sessionWebhookExpiredTime: Number.isFinite(expires) && expires > 0 ? expires : null,
  };
}

/**
 * Why a reply may not be posted to a session webhook (it comes from the caller), or undefined:
 * not an http(s) URL, a host:port outside `hosts` (the flow's reply hosts), or a literal address
 * the outbound policy blocks (private, loopback, metadata) — the HTTP client checks again on the
 * resolved address when it sends.
 */
export function sessionWebhookProblem(
  url: string,
  hosts: readonly string[],
  policy: AddressPolicy = {},
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the sessionWebhook is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return 'the sessionWebhook is not an http(s) URL';
  if (parsed.username || parsed.password) return 'the sessionWebhook carries a user or password';
  const { host, port } = endpointOf(parsed);
  if (!new CredentialHosts(hosts).allows(host, port))
    return `the sessionWebhook goes to ${formatEndpoint(host, port)}, which is not one of the reply hosts (${hosts.join(', ')})`;
  if (isIP(host))
    try {
      checkAddress(policy, host, host, port);
    } catch (error) {
      if (error instanceof BlockedAddressError) return error.message;
      throw error;
    }
  return undefined;
}
