import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { ListOf, Nullable, PageOf, Time } from './shared';

/** An outbound webhook subscription. */
export const Subscription = component(
  'Subscription',
  Type.Object({
    id: Type.Integer(),
    url: Type.String(),
    events: Type.Array(Type.String()),
    active: Type.Boolean(),
    createdAt: Time,
    secret: Type.Optional(
      Type.String({ description: 'only in the answer that created it, when Ordo made it' }),
    ),
  }),
);

export const SubscriptionList = component('SubscriptionList', ListOf(Subscription));

/** One delivery of an event to a subscription, with its attempts. */
export const Delivery = component(
  'Delivery',
  Type.Object({
    id: Type.Integer(),
    subscriptionId: Type.Integer(),
    event: Type.String(),
    payload: Type.Unknown(),
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('delivered'),
      Type.Literal('failed'),
    ]),
    attempts: Type.Integer(),
    nextAttemptAt: Time,
    lastStatus: Nullable(Type.Integer()),
    lastError: Nullable(Type.String()),
    createdAt: Time,
    deliveredAt: Nullable(Time),
  }),
);

export const DeliveryPage = component('DeliveryPage', PageOf(Delivery));
