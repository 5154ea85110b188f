import { Type, type Static } from '@sinclair/typebox';
import { Assignments, CallAction, NotifyAction } from './action.schema';
import { Duration, Id, Logic } from './common.schema';
import { PullTrigger } from './intake.schema';

/**
 * How an inbound delivery finds its order: by Ordo's id or by the sender's reference, read from
 * the delivery with json-logic over `$body` and `$headers`.
 */
export const HookCorrelation = Type.Object(
  {
    by: Type.Union([Type.Literal('externalRef'), Type.Literal('id')]),
    value: Logic,
  },
  { additionalProperties: false },
);
export type HookCorrelation = Static<typeof HookCorrelation>;

/**
 * `webhook`: an inbound endpoint, `POST /api/hooks/{flow}/{trigger}`, signed (Standard Webhooks)
 * with the secret stored in a credential; the signed `webhook-id` de-duplicates deliveries. A delivery finds its order (`find`), or starts one when the reference
 * is new (`create`), and becomes an event — named by `event`, or translated from the sender's
 * status code through `systems` when `system` is set.
 */
export const WebhookTrigger = Type.Object(
  {
    id: Id,
    webhook: Type.Object(
      {
        /** Name of a stored credential whose `secret` field signs the deliveries. */
        secret: Type.String({ minLength: 1 }),
        find: HookCorrelation,
        /** Start an order when none matches: its data, computed from the delivery. */
        create: Type.Optional(Type.Object({ data: Assignments }, { additionalProperties: false })),
        /** The event a delivery fires on the order it found: its type and payload. */
        event: Type.Optional(
          Type.Object(
            { type: Logic, payload: Type.Optional(Logic) },
            { additionalProperties: false },
          ),
        ),
        /** The sending system (a key of `systems`): its status code becomes the event. */
        system: Type.Optional(Type.String()),
        /** Where the sender's status code is (with `system`). */
        status: Type.Optional(Logic),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type WebhookTrigger = Static<typeof WebhookTrigger>;

/** What happens when polling an order passes its deadline. */
export const ScheduleDeadline = Type.Object(
  {
    /** How long after the order entered the state polling gives up. */
    after: Duration,
    /** Event fired on the order at the deadline. */
    event: Type.Optional(Type.String()),
    notify: Type.Optional(NotifyAction.properties.notify),
  },
  { additionalProperties: false },
);
export type ScheduleDeadline = Static<typeof ScheduleDeadline>;

/**
 * `schedule`: polling as a wait. While an order is in one of `states`, the connector is called
 * every interval (ISO-8601 `every`, or `cron` in UTC) until `until` holds or the deadline passes.
 */
export const ScheduleTrigger = Type.Object(
  {
    id: Id,
    schedule: Type.Object(
      {
        every: Type.Optional(Duration),
        cron: Type.Optional(Type.String({ minLength: 9 })),
        states: Type.Array(Type.String(), { minItems: 1 }),
        call: CallAction.properties.call,
        /** Polling stops for an order once this holds on it. */
        until: Type.Optional(Logic),
        deadline: Type.Optional(ScheduleDeadline),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ScheduleTrigger = Static<typeof ScheduleTrigger>;

/** Something outside that moves orders: an inbound webhook, a schedule, or a pull of new orders. */
export const Trigger = Type.Union([WebhookTrigger, ScheduleTrigger, PullTrigger]);
export type Trigger = Static<typeof Trigger>;
