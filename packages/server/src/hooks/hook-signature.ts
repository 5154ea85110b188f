import { createHmac, timingSafeEqual } from 'node:crypto';
import { problems } from '../problems/api-problem';

/** How far a delivery's signed time may be from ours. */
export const TOLERANCE_SECONDS = 300;

/**
 * Checks `x-ordo-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (the format the
 * webhook connector and outbound subscriptions sign with). Throws a 401 problem saying what is
 * wrong: missing, malformed, stale or not matching. Returns the signature's hex digest.
 */
export function verifySignature(
  header: string | undefined,
  body: Buffer,
  secret: string,
  nowMs: number,
): string {
  if (!header)
    throw problems.unauthorized(
      'Sign the delivery: x-ordo-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">',
    );
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/i.test(parts.v1 ?? ''))
    throw problems.unauthorized('x-ordo-signature must be t=<unix seconds>,v1=<64 hex digits>');
  if (Math.abs(nowMs / 1000 - t) > TOLERANCE_SECONDS)
    throw problems.unauthorized(
      `The signature's time ${new Date(t * 1000).toISOString()} is more than ${TOLERANCE_SECONDS / 60} minutes from the server's: refused as stale (check the sender's clock)`,
    );
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(parts.v1, 'hex')))
    throw problems.unauthorized('The signature does not match the body and the secret');
  return parts.v1.toLowerCase();
}
