import { Type, type Static } from '@sinclair/typebox';
import { DataPath, Duration, Label, Logic, SetTarget, TimeBasis } from './common.schema';

/** A map of data paths (dot notation, `customer.tier`) to json-logic values. */
export const Assignments = Type.Record(DataPath, Logic, { additionalProperties: false });
export type Assignments = Static<typeof Assignments>;

/**
 * `set`: write computed values into the order data (evaluated before the transition); a
 * per-line target `lines[].bin` writes each line's `bin`, computed with that line in scope.
 */
export const SetAction = Type.Object(
  { set: Type.Record(SetTarget, Logic, { additionalProperties: false }) },
  { additionalProperties: false },
);
export type SetAction = Static<typeof SetAction>;

/** `call`: call a connector action; its answer comes back as an event. */
export const CallAction = Type.Object(
  {
    call: Type.Object(
      {
        connector: Type.String(),
        action: Type.String(),
        input: Type.Optional(Assignments),
        /** Where the answer goes in the order data (dot path). */
        resultPath: Type.Optional(DataPath),
        onSuccess: Type.Optional(Type.String({ description: 'event fired with the answer' })),
        onFailure: Type.Optional(
          Type.String({ description: 'event fired after the last attempt failed' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type CallAction = Static<typeof CallAction>;

/** Who a notification or a task is for. */
export const Audience = Type.Object(
  {
    role: Type.Optional(Type.String()),
    queue: Type.Optional(Type.String()),
    user: Type.Optional(Type.String()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type Audience = Static<typeof Audience>;

/** `notify`: tell people something; `{{path}}` in the message is filled from the order. */
export const NotifyAction = Type.Object(
  {
    notify: Type.Object(
      {
        to: Audience,
        message: Label,
        channels: Type.Optional(Type.Array(Type.String())),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type NotifyAction = Static<typeof NotifyAction>;

/** `emit`: publish an outbound event to webhook subscribers. */
export const EmitAction = Type.Object(
  {
    emit: Type.Object(
      { event: Type.String(), payload: Type.Optional(Assignments) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type EmitAction = Static<typeof EmitAction>;

/**
 * What happens when a task is still open at its `due` time: it moves to another queue (made
 * urgent), and/or an event is fired on its order as the system — at least one of the two.
 */
export const TaskEscalation = Type.Union([
  Type.Object(
    { queue: Type.String({ minLength: 1 }), event: Type.Optional(Type.String({ minLength: 1 })) },
    { additionalProperties: false },
  ),
  Type.Object(
    { event: Type.String({ minLength: 1 }), queue: Type.Optional(Type.String({ minLength: 1 })) },
    { additionalProperties: false },
  ),
]);
export type TaskEscalation = Static<typeof TaskEscalation>;

/** `task`: open a human task in a queue. */
export const TaskAction = Type.Object(
  {
    task: Type.Object(
      {
        queue: Type.String(),
        title: Label,
        priority: Type.Optional(
          Type.Union([
            Type.Literal('low'),
            Type.Literal('normal'),
            Type.Literal('high'),
            Type.Literal('urgent'),
          ]),
        ),
        due: Type.Optional(Duration),
        /** How `due` is counted: `business` in the flow's calendar. */
        in: Type.Optional(TimeBasis),
        assignee: Type.Optional(Type.String()),
        escalate: Type.Optional(TaskEscalation),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type TaskAction = Static<typeof TaskAction>;

/** One action of a transition or of a state's entry. Exactly one key says which kind. */
export const Action = Type.Union([SetAction, CallAction, NotifyAction, EmitAction, TaskAction]);
export type Action = Static<typeof Action>;
