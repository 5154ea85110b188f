import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { ActorRef, AnyObject, ListOf, Nullable, PageOf, Time } from './shared';

/** An order: the engine's order plus where it came from. */
export const Order = component(
  'Order',
  Type.Object({
    id: Type.String(),
    flow: Type.String(),
    flowVersion: Type.Integer({ minimum: 1 }),
    state: Type.String(),
    data: AnyObject,
    version: Type.Integer({ minimum: 1, description: 'grows by one with every change' }),
    createdAt: Time,
    updatedAt: Time,
    channel: Type.String(),
    externalRef: Nullable(Type.String()),
  }),
);

/** A warning rule that did not hold. */
export const OrderWarning = component(
  'OrderWarning',
  Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() }),
);

/** The answer of a create or change: the order, with the warnings of warning rules. */
export const OrderAnswer = component(
  'OrderAnswer',
  Type.Composite([Order, Type.Object({ warnings: Type.Optional(Type.Array(OrderWarning)) })]),
);

export const OrderPage = component('OrderPage', PageOf(Order));

/** `GET /api/orders/counts`. */
export const OrderCounts = component(
  'OrderCounts',
  Type.Object({
    flow: Type.String(),
    total: Type.Integer(),
    states: Type.Record(Type.String(), Type.Integer(), { description: 'state → orders' }),
  }),
);

/** One order's result in a bulk event: its new state, or the problem that refused it alone. */
export const BulkEventResult = component(
  'BulkEventResult',
  Type.Object({
    fired: Type.Integer(),
    refused: Type.Integer(),
    results: Type.Array(
      Type.Union([
        Type.Object({
          id: Type.String(),
          ok: Type.Literal(true),
          state: Type.String(),
          version: Type.Integer(),
        }),
        Type.Object({
          id: Type.String(),
          ok: Type.Literal(false),
          status: Type.Integer(),
          code: Type.String(),
          detail: Type.String(),
        }),
      ]),
    ),
  }),
);

/** A transition out of the current state; a blocked one says why. */
export const AvailableTransition = component(
  'AvailableTransition',
  Type.Object({
    id: Type.String(),
    event: Type.Optional(Type.String()),
    auto: Type.Boolean(),
    to: Type.String(),
    enabled: Type.Boolean(),
    reason: Type.Optional(Type.String()),
    explanation: Type.Optional(AnyObject),
  }),
);

export const OrderTransitions = component(
  'OrderTransitions',
  Type.Object({
    state: Type.String(),
    version: Type.Integer(),
    items: Type.Array(AvailableTransition),
  }),
);

/** One entry of an order's history. */
export const HistoryEntry = component(
  'HistoryEntry',
  Type.Object({
    kind: Type.String({ description: 'created, transition, update, timer, migrated, imported…' }),
    version: Type.Integer(),
    at: Time,
    actor: ActorRef,
    from: Nullable(Type.String()),
    to: Type.String(),
    transition: Type.Optional(Type.String()),
    event: Type.Optional(Type.String()),
    payload: Type.Optional(Type.Unknown()),
    dataSets: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    source: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('email'), Type.Literal('file'), Type.Literal('pull')]),
          id: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
          page: Type.Optional(Type.Integer()),
          from: Type.Optional(Type.String()),
          subject: Type.Optional(Type.String()),
          lines: Type.Optional(Type.Array(Type.Integer())),
        },
        { description: 'where the order came from (on its creation)' },
      ),
    ),
  }),
);

export const OrderHistory = component('OrderHistory', ListOf(HistoryEntry));

/** An effect an order's change put in the outbox, with its delivery status. */
export const OrderEffect = component(
  'OrderEffect',
  Type.Object({
    idempotencyKey: Type.String(),
    type: Type.String(),
    status: Type.String(),
    attempts: Type.Integer(),
    effect: AnyObject,
    result: Type.Unknown({ description: "a connector's output, or why it was dropped; or null" }),
  }),
);

export const OrderEffects = component('OrderEffects', ListOf(OrderEffect));

/** A timer running for an order (SLA due time, next poll, blocked-auto watch). */
export const OrderTimer = component(
  'OrderTimer',
  Type.Object({
    timer: Type.String(),
    kind: Type.Optional(Type.String()),
    state: Type.String(),
    at: Time,
    since: Type.Optional(Time),
  }),
);

export const OrderTimers = component('OrderTimers', ListOf(OrderTimer));
