import { createHmac } from 'node:crypto';
import type { TestApp } from './test-app';

/** `x-ordo-signature` for a body, at `unixSeconds` (now by default). */
export const sign = (secret: string, body: string, unixSeconds = Math.floor(Date.now() / 1000)) =>
  `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;

/** Posts a signed delivery to an inbound webhook. */
export function deliver(
  app: TestApp,
  route: string,
  payload: unknown,
  options: { secret: string; delivery?: string; at?: number; signature?: string },
) {
  const raw = JSON.stringify(payload);
  return app.call('POST', `/api/hooks/${route}`, undefined, {
    as: '',
    raw,
    headers: {
      'x-ordo-signature': options.signature ?? sign(options.secret, raw, options.at),
      ...(options.delivery && { 'x-ordo-delivery': options.delivery }),
    },
  });
}
