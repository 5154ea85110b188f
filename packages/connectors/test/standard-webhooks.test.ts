import { Webhook } from 'standardwebhooks';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookKey,
  webhookSecretProblem,
} from '../src';

const secret = generateWebhookSecret();
const body = JSON.stringify({ event: 'order.shipped', n: 1 });
const now = Date.now();
const at = Math.floor(now / 1000);

describe('Standard Webhooks signing', () => {
  it('signs what the standardwebhooks package verifies, and verifies what it signs', () => {
    const headers = signWebhook(secret, { id: 'msg_1', timestamp: at, body });
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));

    const theirs = new Webhook(secret).sign('msg_2', new Date(at * 1000), body);
    const verified = verifyWebhook(
      { 'webhook-id': 'msg_2', 'webhook-timestamp': String(at), 'webhook-signature': theirs },
      Buffer.from(body),
      secret,
      now,
    );
    expect(verified).toEqual({ id: 'msg_2', timestamp: at });
  });

  it('uses a plain secret as its bytes (the package: format raw)', () => {
    const plain = 'a-plain-shared-secret-0123';
    expect(webhookKey(plain).toString()).toBe(plain);
    const headers = signWebhook(plain, { id: 'msg_3', timestamp: at, body });
    expect(() => new Webhook(plain, { format: 'raw' }).verify(body, { ...headers })).not.toThrow();
  });

  it('accepts any of several signatures and any of several secrets (rotation)', () => {
    const old = generateWebhookSecret();
    const both = signWebhook([old, secret], { id: 'msg_4', timestamp: at, body });
    expect(both['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhook({ ...both }, body, secret, now).id).toBe('msg_4');
    expect(verifyWebhook({ ...both }, body, [generateWebhookSecret(), old], now).id).toBe('msg_4');
  });

  it('refuses missing headers, a stale or future time, another id, body or secret', () => {
    const headers = { ...signWebhook(secret, { id: 'msg_5', timestamp: at, body }) };
    const refusal = (h: Record<string, string>, b = body, s = secret, t = now) => {
      try {
        verifyWebhook(h, b, s, t);
        return 'accepted';
      } catch (error) {
        return (error as { reason: string }).reason;
      }
    };
    expect(refusal({ ...headers, 'webhook-id': '' })).toBe('missing');
    expect(refusal({ ...headers, 'webhook-id': 'msg_6' })).toBe('mismatch');
    expect(refusal({ ...headers, 'webhook-id': 'a b' })).toBe('malformed');
    expect(refusal({ ...headers, 'webhook-timestamp': String(at + 1) })).toBe('mismatch');
    expect(refusal({ ...headers, 'webhook-timestamp': '1e9' })).toBe('malformed');
    expect(refusal({ ...headers, 'webhook-signature': 'v2,abc' })).toBe('malformed');
    expect(refusal(headers, body + ' ')).toBe('mismatch');
    expect(refusal(headers, body, generateWebhookSecret())).toBe('mismatch');
    expect(refusal(headers, body, secret, now + 301_000)).toBe('stale');
    expect(refusal(headers, body, secret, now - 301_000)).toBe('stale');
    expect(refusal(headers, body, secret, now + 299_000)).toBe('accepted');
    const WEBHOOK = { 'Webhook-Id': 'msg_5' } as Record<string, string>;
    expect(refusal({ ...WEBHOOK, ...headers })).toBe('accepted');
  });

  it('says what is wrong with a secret', () => {
    expect(webhookSecretProblem(secret)).toBeNull();
    expect(webhookSecretProblem('plain-secret-0123456789')).toContain('whsec_');
    expect(webhookSecretProblem('whsec_***')).toContain('base64');
    expect(webhookSecretProblem('whsec_' + Buffer.alloc(8).toString('base64'))).toContain('24');
    expect(() => webhookKey('whsec_***')).toThrow('base64');
  });
});
