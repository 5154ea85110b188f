import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com), the one place Ordo signs and verifies
 * webhooks: inbound hooks, outbound subscriptions and the webhook connector all use it. A
 * delivery carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
 * (space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), so the id and the time
 * are signed with the body: a captured delivery cannot be replayed under another id or later.
 */

/** How far a delivery's signed time may be from ours, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** The prefix of a Standard Webhooks secret: `whsec_<base64 of the key bytes>`. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The longest `webhook-id` accepted (it is stored as the de-duplication key). */
export const WEBHOOK_ID_MAX_LENGTH = 128;

/** The three headers of a signed delivery. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Why a delivery was refused: missing or malformed headers, a stale time, no matching signature. */
export type WebhookRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** Thrown by `verifyWebhook`; the message says what the sender must fix. */
export class WebhookVerificationError extends Error {
  readonly code = 'webhook_unverified';
  constructor(
    readonly reason: WebhookRefusal,
    message: string,
  ) {
    super(message);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a secret. `whsec_<base64>` is the key's bytes in base64 (the spec's form,
 * which `new Webhook(secret)` of the `standardwebhooks` package reads); any other string is
 * used as its UTF-8 bytes, as Ordo signed before (`new Webhook(secret, { format: 'raw' })`).
 */
export function webhookKey(secret: string): Buffer {
  if (secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
    if (!BASE64.test(encoded) || encoded.length === 0)
      throw new TypeError('A whsec_ secret must be whsec_ followed by base64');
    return Buffer.from(encoded, 'base64');
  }
  if (secret.length === 0) throw new TypeError('A webhook secret cannot be empty');
  return Buffer.from(secret, 'utf8');
}

/**
 * Null when `secret` is a Standard Webhooks secret of at least `minBytes` key bytes, else what
 * is wrong with it.
 */
export function webhookSecretProblem(secret: string, minBytes = 24): string | null {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return 'must start with whsec_';
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return 'must be whsec_ followed by base64 (A-Z a-z 0-9 + / =)';
  const bytes = Buffer.from(encoded, 'base64').length;
  return bytes < minBytes ? `must hold at least ${minBytes} key bytes (it holds ${bytes})` : null;
}

/** A new random secret, `whsec_` and 32 key bytes in base64. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

const mac = (key: Buffer, id: string, timestamp: number, body: string | Buffer): Buffer =>
  createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();

/**
 * The headers of a delivery signed with each of `secrets` (one signature each: during a
 * rotation, the old secret and the new one).
 */
export function signWebhook(
  secrets: string | readonly string[],
  message: { id: string; timestamp: number; body: string | Buffer },
): WebhookHeaders {
  const keys = (typeof secrets === 'string' ? [secrets] : secrets).map(webhookKey);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': keys
      .map(
        (key) => `v1,${mac(key, message.id, message.timestamp, message.body).toString('base64')}`,
      )
      .join(' '),
  };
}

type HeaderBag = Record<string, string | string[] | undefined>;

const headerOf = (headers: HeaderBag, name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  return undefined;
};

/**
 * Checks a delivery's Standard Webhooks headers against its raw body and our secrets (any one
 * may match: a rotation). Refuses missing or malformed headers, a time more than 5 minutes from
 * `nowMs` either way, and a body, id or time no signature covers; signatures are compared in
 * constant time. Returns the signed id (the de-duplication key) and time.
 */
export function verifyWebhook(
  headers: HeaderBag,
  body: string | Buffer,
  secrets: string | readonly string[],
  nowMs: number,
): { id: string; timestamp: number } {
  const id = headerOf(headers, 'webhook-id');
  const time = headerOf(headers, 'webhook-timestamp');
  const signature = headerOf(headers, 'webhook-signature');
  if (!id || !time || !signature)
    throw new WebhookVerificationError(
      'missing',
      `Sign the delivery (Standard Webhooks): the headers webhook-id, webhook-timestamp and webhook-signature are required (missing: ${[
        !id && 'webhook-id',
        !time && 'webhook-timestamp',
        !signature && 'webhook-signature',
      ]
        .filter(Boolean)
        .join(', ')})`,
    );
  if (id.length > WEBHOOK_ID_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(id))
    throw new WebhookVerificationError(
      'malformed',
      `webhook-id must be 1 to ${WEBHOOK_ID_MAX_LENGTH} printable ASCII characters without spaces`,
    );
  if (!/^\d{1,12}$/.test(time))
    throw new WebhookVerificationError(
      'malformed',
      'webhook-timestamp must be the signing time in Unix seconds',
    );
  const timestamp = Number(time);
  if (Math.abs(nowMs / 1000 - timestamp) > WEBHOOK_TOLERANCE_SECONDS)
    throw new WebhookVerificationError(
      'stale',
      `The delivery's webhook-timestamp ${new Date(timestamp * 1000).toISOString()} is more than ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes from the server's time: refused as stale (a retry is signed anew with the same webhook-id; check the sender's clock)`,
    );
  const offered = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'))
    .filter((s) => s.length === 32);
  if (offered.length === 0)
    throw new WebhookVerificationError(
      'malformed',
      'webhook-signature must hold space-separated v1,<base64 HMAC-SHA256 of "id.timestamp.body">',
    );
  const keys = (typeof secrets === 'string' ? [secrets] : secrets).map(webhookKey);
  let matched = false;
  // Every pair is compared (no early exit), each in constant time.
  for (const key of keys) {
    const expected = mac(key, id, timestamp, body);
    for (const candidate of offered) if (timingSafeEqual(expected, candidate)) matched = true;
  }
  if (!matched)
    throw new WebhookVerificationError(
      'mismatch',
      'No webhook-signature matches the body, webhook-id and webhook-timestamp with the secret',
    );
  return { id, timestamp };
}
