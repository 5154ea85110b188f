import { randomBytes } from 'node:crypto';
import { startTestServer } from '@ordo/connectors/testing';
import { WebhookSender } from '../src/webhooks/webhook-sender';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe.each(databaseKinds())('outbound webhooks back off as connectors do on %s', (db) => {
  let app: TestApp;
  let answer: { status: number; json: unknown; headers?: Record<string, string> };
  let receiver: Awaited<ReturnType<typeof startTestServer>>;
  const clock = new TestClock();
  const iso = (plus = 0) => new Date(clock.now() + plus).toISOString();

  beforeAll(async () => {
    receiver = await startTestServer(() => answer);
    app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('retries a refused delivery no sooner than its Retry-After, else within the jittered back-off', async () => {
    const subscribed = await app.call('POST', '/api/webhooks', {
      url: `${receiver.url}/hook`,
      events: ['*'],
      secret: `whsec_${randomBytes(24).toString('base64')}`,
    });
    expect(subscribed.status).toBe(201);
    const webhooks = app.server.app.get(WebhooksRepository);
    const sender = app.server.app.get(WebhookSender);
    const attempt = async () => {
      const [claimed] = await webhooks.claim(iso(), iso(60_000), 1);
      const sentAt = clock.now();
      await sender.send(claimed);
      const after = await webhooks.delivery(claimed.id);
      return { after, waited: Date.parse(after!.nextAttemptAt) - sentAt };
    };

    await webhooks.fanOut('backoff', 'order.created', { n: 1 }, iso(), app.server.db);
    answer = { status: 503, json: { error: 'busy' }, headers: { 'retry-after': '600' } };
    const asked = await attempt();
    expect(asked.after).toMatchObject({ status: 'pending', lastStatus: 503, attempts: 1 });
    expect(asked.waited).toBeGreaterThanOrEqual(600_000);

    clock.offset += 600_000;
    answer = { status: 500, json: { error: 'down' } };
    const plain = await attempt();
    expect(plain.after).toMatchObject({ status: 'pending', lastStatus: 500, attempts: 2 });
    // No Retry-After: the shared formula, at most the base doubled once (config webhookRetryMs).
    const base = app.server.app.get(WebhookSender)['config'].webhookRetryMs as number;
    expect(plain.waited).toBeGreaterThanOrEqual(0);
    expect(plain.waited).toBeLessThan(2 * base);
  });
});
