import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { AnyObject, ListOf, Nullable, PageOf, Time } from './shared';

/** An effect in the outbox: what it does, how its delivery went. */
export const Effect = component(
  'Effect',
  Type.Object({
    id: Type.Integer(),
    orderId: Type.String(),
    idempotencyKey: Type.String(),
    type: Type.String({ description: 'connector.call, notify, task.open, timer.start, emit, …' }),
    status: Type.Union(['pending', 'running', 'done', 'dead'].map((s) => Type.Literal(s))),
    attempts: Type.Integer(),
    nextAttemptAt: Time,
    lastError: Nullable(Type.String()),
    result: Type.Unknown({ description: "a connector's output, or null" }),
    settledAt: Nullable(Time),
    createdAt: Time,
    effect: AnyObject,
  }),
);

export const EffectPage = component('EffectPage', PageOf(Effect));

/** An installed connector: its settings, auth and actions with their schemas. */
export const Connector = component(
  'Connector',
  Type.Object({
    id: Type.String(),
    version: Type.String(),
    title: Type.String(),
    description: Type.Optional(Type.String()),
    settings: Type.Unknown({ description: 'JSON Schema of its settings, or null' }),
    auth: Type.Unknown({ description: 'what credential it takes, or null' }),
    actions: Type.Array(
      Type.Object({
        name: Type.String(),
        title: Type.String(),
        description: Type.Optional(Type.String()),
        input: Type.Unknown({ description: 'JSON Schema' }),
        output: Type.Unknown({ description: 'JSON Schema' }),
      }),
    ),
  }),
);

export const ConnectorList = component('ConnectorList', ListOf(Connector));

/** A notification sent to a role, a queue or a person. */
export const Notification = component(
  'Notification',
  Type.Object({
    id: Type.Integer(),
    orderId: Type.String(),
    flow: Type.String(),
    to: Type.Record(Type.String(), Type.String(), { description: '{ role | queue | user: name }' }),
    message: Type.Unknown({ description: 'a string or { language: text }' }),
    channels: Type.Array(Type.String()),
    createdAt: Time,
  }),
);

export const NotificationPage = component('NotificationPage', PageOf(Notification));

/** An entry of the audit log of administrative changes. */
export const AuditEntry = component(
  'AuditEntry',
  Type.Object({
    id: Type.Integer(),
    at: Time,
    actor: Type.String(),
    entity: Type.String(),
    entityId: Type.String(),
    action: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
  }),
);

export const AuditPage = component('AuditPage', PageOf(AuditEntry));
