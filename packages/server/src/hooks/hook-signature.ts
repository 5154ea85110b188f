import { verifyWebhook, WebhookVerificationError, webhookKey } from '@ordo/connectors';
import { ApiProblem } from '../problems/api-problem';

/**
 * Checks an inbound delivery's Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) with the shared module of `@ordo/connectors`. Throws a 401 problem
 * (`unsigned`, `stale_delivery`, `bad_signature`) saying what is wrong; returns the signed id,
 * the delivery's de-duplication key.
 */
export function verifyDelivery(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  secret: string,
  nowMs: number,
): string {
  try {
    return verifyWebhook(headers, body, secret, nowMs).id;
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    const code =
      error.reason === 'stale'
        ? 'stale_delivery'
        : error.reason === 'mismatch'
          ? 'bad_signature'
          : 'unsigned';
    throw new ApiProblem(401, code, 'Delivery not verified', error.message);
  }
}

/** Null when a stored secret can sign (a plain string, or `whsec_` and base64), else why not. */
export function secretProblem(secret: string): string | null {
  try {
    webhookKey(secret);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
