import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { TestApp } from './test-app';

/** A client of a secret: `whsec_<base64>` as the spec reads it, a plain secret as its bytes. */
export const webhookClient = (secret: string) =>
  secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });

/**
 * Standard Webhooks headers for a body, signed by the `standardwebhooks` package (the sender
 * Ordo must accept): a new `webhook-id` and now, unless given.
 */
export function signedHeaders(
  secret: string,
  body: string,
  options: { id?: string; at?: number } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? Math.floor(Date.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': webhookClient(secret).sign(id, new Date(at * 1000), body),
  };
}

/** Posts a delivery to an inbound webhook, signed as `signedHeaders` does, or with `headers`. */
export function deliver(
  app: TestApp,
  route: string,
  payload: unknown,
  options: { secret: string; id?: string; at?: number; headers?: Record<string, string> },
) {
  const raw = JSON.stringify(payload);
  return app.call('POST', `/api/hooks/${route}`, undefined, {
    as: '',
    raw,
    headers: options.headers ?? signedHeaders(options.secret, raw, options),
  });
}
