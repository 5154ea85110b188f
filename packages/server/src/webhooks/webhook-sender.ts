import { Inject, Injectable } from '@nestjs/common';
import { backoffDelay, retryAfterMs, SafeHttpClient, signWebhook } from '@ordo/connectors';
import { Poller } from '../background/poller';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { SecretBox } from '../credentials/secret-box';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import { type ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/** Deliveries are retried for this long after they were created, then marked failed. */
export const RETRY_WINDOW_MS = 3 * 24 * 3600_000;
const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 3600_000;

/** The `webhook-id` of a delivery: the same on every attempt, so a receiver applies it once. */
export const deliveryWebhookId = (deliveryId: number) => `msg_${deliveryId}`;

/**
 * Sends webhook deliveries: a POST signed by the Standard Webhooks module of `@ordo/connectors`
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`; the same as the webhook connector and
 * inbound hooks, re-signed at each attempt with the same id) and `x-ordo-event`. A 2xx answer
 * delivers; anything else is retried with exponential, jittered back-off for up to three days.
 */
@Injectable()
export class WebhookSender extends Poller {
  protected readonly name = 'Webhook deliveries';
  /** Opened secrets by their sealed form (a changed secret is a new entry). */
  private readonly secrets = new Map<string, string>();

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    private readonly webhooks: WebhooksRepository,
    private readonly http: SafeHttpClient,
    private readonly box: SecretBox,
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
  ) {
    super(clock, options.pollMs, options.enabled);
  }

  protected async work(now: string): Promise<string | undefined> {
    const lease = new Date(this.clock.now() + LEASE_MS).toISOString();
    for (;;) {
      const due = await this.webhooks.claim(now, lease, 32);
      await Promise.all(due.map((d) => this.send(d)));
      if (due.length < 32) return this.webhooks.nextDue();
    }
  }

  private secret(sealed: string): string {
    let secret = this.secrets.get(sealed);
    if (secret === undefined) {
      secret = this.box.open(JSON.parse(sealed));
      if (this.secrets.size > 1000) this.secrets.clear();
      this.secrets.set(sealed, secret);
    }
    return secret;
  }

  /**
   * Sends one claimed delivery and records the attempt — only if the claim still holds it (a
   * sender that stalled past its lease changes nothing).
   */
  async send(delivery: ClaimedDelivery): Promise<void> {
    const now = this.clock.now();
    const iso = new Date(now).toISOString();
    const subscription = await this.webhooks.get(delivery.subscriptionId);
    if (!subscription?.active) {
      await this.webhooks.attempted(
        delivery,
        { status: null, error: 'The subscription was deleted', delivered: false },
        iso,
      );
      return;
    }
    const body = JSON.stringify(delivery.payload);
    let status: number | null = null;
    let error: string | null = null;
    let asked: number | undefined;
    try {
      const response = await this.http.request({
        method: 'POST',
        url: subscription.url,
        body,
        headers: {
          'content-type': 'application/json',
          ...signWebhook(this.secret(subscription.sealedSecret), {
            id: deliveryWebhookId(delivery.id),
            timestamp: Math.floor(now / 1000),
            body,
          }),
          'x-ordo-event': delivery.event,
        },
        timeoutMs: 10_000,
      });
      status = response.status;
      if (status >= 200 && status < 300) {
        await this.webhooks.attempted(delivery, { status, error: null, delivered: true }, iso);
        return;
      }
      error = `HTTP ${status}: ${response.text.slice(0, 200)}`;
      asked = retryAfterMs(response.headers['retry-after'], now);
    } catch (e) {
      error = describeError(e);
    }
    // The connectors' formula: jittered exponential back-off, never sooner than Retry-After.
    const retryAt =
      now +
      backoffDelay(
        delivery.attempts,
        { backoffMs: this.config.webhookRetryMs, maxBackoffMs: MAX_BACKOFF_MS },
        this.clock.random,
        asked,
      );
    const giveUp = retryAt - Date.parse(delivery.createdAt) > RETRY_WINDOW_MS;
    await this.webhooks.attempted(
      delivery,
      {
        status,
        error,
        delivered: false,
        ...(!giveUp && { retryAt: new Date(retryAt).toISOString() }),
      },
      iso,
    );
  }
}
