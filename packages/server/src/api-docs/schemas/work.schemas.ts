import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { AnyObject, Nullable, PageOf, Time } from './shared';

/** A human task in a queue. */
export const Task = component(
  'Task',
  Type.Object({
    id: Type.Integer(),
    key: Type.String({ description: "what opened it: an effect's key, or exception:<id>" }),
    orderId: Nullable(Type.String()),
    flow: Type.String(),
    queue: Type.String(),
    roles: Type.Array(Type.String(), { description: 'the roles that work the queue' }),
    title: Type.Unknown({ description: 'a string or { language: text }' }),
    priority: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('closed')]),
    assignee: Nullable(Type.String()),
    dueAt: Nullable(Time),
    exceptionId: Nullable(Type.Integer()),
    state: Nullable(Type.String()),
    escalate: Nullable(
      Type.Object({ queue: Type.Optional(Type.String()), event: Type.Optional(Type.String()) }),
    ),
    escalatedAt: Nullable(Time),
    resolution: Type.Unknown(),
    createdAt: Time,
    updatedAt: Time,
    closedAt: Nullable(Time),
    closedBy: Nullable(Type.String()),
  }),
);

export const TaskPage = component('TaskPage', PageOf(Task));

/** A comment on a task. */
export const TaskComment = component(
  'TaskComment',
  Type.Object({
    id: Type.Integer(),
    author: Type.String(),
    body: Type.String(),
    createdAt: Time,
  }),
);

/** A task with its comments. */
export const TaskDetail = component(
  'TaskDetail',
  Type.Composite([Task, Type.Object({ comments: Type.Array(TaskComment) })]),
);

/** A recorded exception (a failed effect, an unmatched or refused delivery, …). */
export const ExceptionRecord = component(
  'ExceptionRecord',
  Type.Object({
    id: Type.Integer(),
    flow: Type.String(),
    orderId: Nullable(Type.String()),
    kind: Type.String(),
    detail: AnyObject,
    rule: Nullable(Type.Integer({ description: 'the routing rule that applied' })),
    resolution: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('settled')]),
    settledBy: Nullable(Type.Union([Type.Literal('system'), Type.Literal('person')])),
    note: Nullable(Type.String()),
    createdAt: Time,
    settledAt: Nullable(Time),
  }),
);

export const ExceptionPage = component('ExceptionPage', PageOf(ExceptionRecord));

const Counts = {
  total: Type.Integer(),
  open: Type.Integer(),
};

/** Exception totals, and the share settled without a person. */
export const ExceptionStats = component(
  'ExceptionStats',
  Type.Object({
    ...Counts,
    settledAutomatically: Type.Integer(),
    settledByPerson: Type.Integer(),
    automaticShare: Type.Number({ minimum: 0, maximum: 1 }),
    byKind: Type.Record(
      Type.String(),
      Type.Object({ ...Counts, automatic: Type.Integer(), byPerson: Type.Integer() }),
    ),
  }),
);
