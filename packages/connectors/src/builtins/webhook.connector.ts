import { ensureOk } from '../http/http-client';
import { defineConnector, urlEndpoint } from '../sdk/define-connector';
import { signWebhook } from '../webhooks/standard-webhooks';

/**
 * A signed outbound POST of an event to one URL (Standard Webhooks: the effect's idempotency
 * key is the `webhook-id`, so a retry of the same effect carries the same id and a receiver
 * applies it once; the credential's `secret` is `whsec_<base64>` or a plain string).
 */
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
              ...signWebhook(ctx.credentials.secret, {
                id: ctx.idempotencyKey,
                timestamp: Math.floor(sentAt.getTime() / 1000),
                body,
              }),
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
