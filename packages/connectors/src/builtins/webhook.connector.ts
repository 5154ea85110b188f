import { createHmac } from 'node:crypto';
import { ensureOk } from '../http/http-client';
import { defineConnector, urlEndpoint } from '../sdk/define-connector';

/**
 * The signature a receiver checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` —
 * the time is signed too, so a captured request cannot be replayed later.
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** A signed outbound POST of an event to one URL. */
export const webhookConnector = defineConnector<{ url: string }>({
  id: 'webhook',
  version: '1.0.0',
  title: 'Signed webhook',
  settings: {
    type: 'object',
    required: ['url'],
    additionalProperties: false,
    properties: { url: { type: 'string', format: 'uri', pattern: '^https?://' } },
  },
  auth: { type: 'object', required: ['secret'], properties: { secret: { type: 'string' } } },
  endpoints: (settings) => urlEndpoint('/url', settings.url),
  actions: {
    send: {
      title: 'Send an event',
      input: {
        type: 'object',
        required: ['event'],
        additionalProperties: false,
        properties: { event: { type: 'string' }, payload: {} },
      },
      output: { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } },
      async run(ctx, input: { event: string; payload?: unknown }) {
        const sentAt = new Date();
        const body = JSON.stringify({
          event: input.event,
          payload: input.payload ?? null,
          idempotencyKey: ctx.idempotencyKey,
          sentAt: sentAt.toISOString(),
        });
        const response = ensureOk(
          await ctx.http.request({
            method: 'POST',
            url: ctx.settings.url,
            headers: {
              'content-type': 'application/json',
              'x-ordo-event': input.event,
              'x-ordo-signature': signWebhook(
                ctx.credentials.secret,
                body,
                Math.floor(sentAt.getTime() / 1000),
              ),
            },
            body,
          }),
          `webhook ${ctx.settings.url}`,
        );
        return { status: response.status };
      },
    },
  },
});
