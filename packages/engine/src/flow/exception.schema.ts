import { Type, type Static } from '@sinclair/typebox';
import { Assignments, TaskAction } from './action.schema';
import { Duration, Logic } from './common.schema';

/** The kinds of exception the runtime raises. */
export const ExceptionKind = Type.Union([
  Type.Literal('connector_failed'),
  Type.Literal('auto_blocked'),
  Type.Literal('sla_breached'),
  Type.Literal('rule_warning'),
  Type.Literal('unmatched_delivery'),
  Type.Literal('refused_delivery'),
  Type.Literal('drift_refused'),
]);
export type ExceptionKind = Static<typeof ExceptionKind>;

/**
 * A routing rule: exceptions of `kind` (narrowed by the optional filters and `when`) are settled
 * automatically — retry later, fire an alternative event, patch data — or become a task.
 * The first rule that applies wins.
 */
export const ExceptionRule = Type.Object(
  {
    kind: ExceptionKind,
    /** connector_failed, drift_refused: only calls of this connector instance. */
    connector: Type.Optional(Type.String()),
    /** auto_blocked, sla_breached, drift_refused: only in this state. */
    state: Type.Optional(Type.String()),
    /** rule_warning: only this rule. */
    rule: Type.Optional(Type.String()),
    /** unmatched_delivery, refused_delivery: only deliveries of this trigger. */
    trigger: Type.Optional(Type.String()),
    /** auto_blocked: how long auto transitions may stay blocked before it is an exception. */
    after: Type.Optional(Duration),
    /** Json-logic over the order data plus `$exception` ({ kind, error, … }). */
    when: Type.Optional(Logic),
    /** connector_failed: run the call again later, up to `times` times. */
    retry: Type.Optional(
      Type.Object(
        { after: Duration, times: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
        { additionalProperties: false },
      ),
    ),
    /** Fire this event on the order instead. */
    event: Type.Optional(Type.String()),
    /** Write these values into the order data. */
    patch: Type.Optional(Assignments),
    /** Open a task for a person. */
    task: Type.Optional(TaskAction.properties.task),
  },
  { additionalProperties: false },
);
export type ExceptionRule = Static<typeof ExceptionRule>;

/** A work queue of human tasks, and the business roles that work it. */
export const Queue = Type.Object(
  { roles: Type.Array(Type.String(), { minItems: 1 }) },
  { additionalProperties: false },
);
export type Queue = Static<typeof Queue>;
