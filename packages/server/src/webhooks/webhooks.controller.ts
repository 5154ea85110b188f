import {
  Delivery,
  DeliveryPage,
  Subscription,
  SubscriptionList,
} from '../api-docs/schemas/webhook.schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { generateWebhookSecret, SafeHttpClient } from '@ordo/connectors';
import type { Actor } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { AuditLog } from '../audit/audit-log';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { SecretBox } from '../credentials/secret-box';
import { Answers, apiSchema, Paged, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { wholeId } from '../problems/whole-numbers';
import { pageQuery } from '../problems/page-query';
import { validateBody } from '../problems/validate-body';
import { RuntimeClock } from '../runtime/runtime-clock';
import { StateChangeFeed } from './state-change-feed';
import { WebhookSender } from './webhook-sender';
import { checkSubscriptionUrl, subscriptionSecretProblem } from './subscription-checks';
import { WebhooksRepository } from './webhooks.repository';

const SubscriptionUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 });
/** Event names (`order.state_changed`, an `emit` action's event), or `*` for all. */
const SubscriptionEvents = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  minItems: 1,
  maxItems: 100,
});
/** A Standard Webhooks secret, `whsec_<base64>` (≥ 24 key bytes); left out, Ordo makes one. */
const SubscriptionSecret = Type.String({ pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$', maxLength: 500 });

export const SubscribeBody = Type.Object(
  { url: SubscriptionUrl, events: SubscriptionEvents, secret: Type.Optional(SubscriptionSecret) },
  { additionalProperties: false },
);

export const SubscriptionPatchBody = Type.Object(
  {
    url: Type.Optional(SubscriptionUrl),
    events: Type.Optional(SubscriptionEvents),
    secret: Type.Optional(SubscriptionSecret),
  },
  { additionalProperties: false, minProperties: 1 },
);

const id = (value: string, what: string) => {
  const n = wholeId(value);
  if (n === undefined) throw problems.notFound(what, value);
  return n;
};

const DeliveryQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  ),
});

/** Outbound webhook subscriptions and their delivery log (admin). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly box: SecretBox,
    private readonly feed: StateChangeFeed,
    private readonly sender: WebhookSender,
    private readonly clock: RuntimeClock,
    private readonly http: SafeHttpClient,
    private readonly audit: AuditLog,
  ) {}

  /** The secret problem first (no look-up for a body refused anyway), then the URL's addresses. */
  private async check(body: { url?: string; secret?: string }): Promise<void> {
    const secretProblem = subscriptionSecretProblem(body.secret);
    if (secretProblem) throw problems.invalidBody([secretProblem]);
    if (body.url !== undefined) await checkSubscriptionUrl(this.http.policy, body.url);
  }

  /**
   * Subscribes a URL (201). A URL that is or resolves to an address the outbound policy refuses
   * is a 422 at `/url`; a secret Ordo generates is in this answer only (`secret`), never again.
   */
  @Roles()
  @Post()
  @Summary('Subscribe a URL to events', 'A secret Ordo generates is in this answer only.')
  @Answers(201, Subscription)
  @Problems(422)
  @ApiBody({ schema: apiSchema(SubscribeBody) })
  async subscribe(@Body() body: unknown, @CurrentActor() actor: Actor) {
    const { url, events, secret: given } = validateBody(SubscribeBody, body);
    await this.check({ url, secret: given });
    const secret = given ?? generateWebhookSecret();
    const sealed = JSON.stringify(this.box.seal(secret));
    const now = new Date(this.clock.now()).toISOString();
    const subscription = await this.webhooks.create(
      url,
      [...new Set(events)],
      sealed,
      actor.id,
      now,
    );
    await this.audit.record({
      actor: actor.id,
      entity: 'webhook',
      entityId: String(subscription.id),
      action: 'created',
      after: subscription,
    });
    await this.feed.refresh();
    return given === undefined ? { ...subscription, secret } : subscription;
  }

  /** Changes a subscription's URL, events or secret (checked as at creation). */
  @Roles()
  @Patch(':id')
  @Summary("Change a subscription's URL, events or secret")
  @Answers(200, Subscription)
  @Problems(404, 422)
  @ApiBody({ schema: apiSchema(SubscriptionPatchBody) })
  async update(@Param('id') raw: string, @Body() body: unknown) {
    const subscription = id(raw, 'Subscription');
    const patch = validateBody(SubscriptionPatchBody, body);
    if (!(await this.webhooks.get(subscription))?.active)
      throw problems.notFound('Subscription', raw);
    await this.check(patch);
    const updated = await this.webhooks.update(subscription, {
      url: patch.url,
      events: patch.events && [...new Set(patch.events)],
      sealedSecret: patch.secret && JSON.stringify(this.box.seal(patch.secret)),
    });
    if (!updated) throw problems.notFound('Subscription', raw);
    await this.feed.refresh();
    return updated;
  }

  @Roles()
  @Get()
  @Summary('List subscriptions')
  @Answers(200, SubscriptionList)
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Roles()
  @Delete(':id')
  @HttpCode(204)
  @Summary('Delete a subscription')
  @Answers(204)
  @Problems(404)
  async remove(@Param('id') raw: string, @CurrentActor() actor: Actor) {
    const before = await this.webhooks.get(id(raw, 'Subscription'));
    if (!(await this.webhooks.deactivate(id(raw, 'Subscription'))))
      throw problems.notFound('Subscription', raw);
    await this.audit.record({
      actor: actor.id,
      entity: 'webhook',
      entityId: raw,
      action: 'deleted',
      before,
    });
    await this.feed.refresh();
  }

  @Roles()
  @Get(':id/deliveries')
  @Summary("A subscription's deliveries")
  @Paged(DeliveryQuery)
  @Answers(200, DeliveryPage)
  @Problems(400, 404)
  async deliveries(
    @Param('id') raw: string,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    const subscription = id(raw, 'Subscription');
    if (!(await this.webhooks.get(subscription))) throw problems.notFound('Subscription', raw);
    if (status !== undefined && !['pending', 'delivered', 'failed'].includes(status))
      throw problems.invalidQuery('/status', 'must be pending, delivered or failed');
    return this.webhooks.deliveries(subscription, { status, ...pageQuery(limit, cursor) });
  }

  /** Sends a delivery again now, whatever became of it (202). */
  @Roles()
  @Post(':id/deliveries/:delivery/redeliver')
  @HttpCode(202)
  @Summary('Send a delivery again now')
  @Answers(202, Delivery)
  @Problems(404)
  async redeliver(@Param('id') raw: string, @Param('delivery') rawDelivery: string) {
    const now = new Date(this.clock.now()).toISOString();
    const delivery = id(rawDelivery, 'Delivery');
    if (!(await this.webhooks.redeliver(id(raw, 'Subscription'), delivery, now)))
      throw problems.notFound('Delivery', rawDelivery);
    this.sender.wake();
    return this.webhooks.delivery(delivery);
  }
}
