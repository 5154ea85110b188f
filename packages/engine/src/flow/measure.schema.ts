import { Type, type Static } from '@sinclair/typebox';
import { Duration, Id, Label, Logic, TimeBasis } from './common.schema';

/** A point of an order's journey: the first entry into a state, or the first time an event fired. */
export const Milestone = Type.Union([
  Type.Object({ state: Id }, { additionalProperties: false }),
  Type.Object(
    { event: Type.String({ minLength: 1, maxLength: 100 }) },
    { additionalProperties: false },
  ),
]);
export type Milestone = Static<typeof Milestone>;

/**
 * A journey timing: from the first time an order reaches `from` to the first time it reaches
 * `to` after that (order → first response, stock lock → pick-up, order → production start).
 */
export const Measure = Type.Object(
  {
    id: Id,
    label: Type.Optional(Label),
    from: Milestone,
    to: Milestone,
    /** How long it should take; a measure over its target counts as late. */
    target: Type.Optional(Duration),
    /**
     * `business`: the time taken, and the target, count only the working hours of the flow's
     * calendar (order → production start over a weekend is Friday's and Monday's hours).
     */
    in: Type.Optional(TimeBasis),
  },
  { additionalProperties: false },
);
export type Measure = Static<typeof Measure>;

/**
 * A count of orders that, at some point of their life, took a transition, received an event,
 * entered a state, or had data matching `when` (all that are given must hold at one point).
 */
export const Counter = Type.Object(
  {
    id: Id,
    label: Type.Optional(Label),
    transition: Type.Optional(Id),
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    state: Type.Optional(Id),
    /** A json-logic condition on the order's data after a change. */
    when: Type.Optional(Logic),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type Counter = Static<typeof Counter>;

/**
 * A report sent on a schedule: on the first day of each month, the month before's report (a PDF
 * and a summary) goes to each channel — connector instances of type email (with the PDF
 * attached), wecom, dingtalk or slack (the summary).
 */
export const ScheduledReport = Type.Object(
  {
    id: Id,
    /** Which report: the customer fulfilment-health report (docs/analytics.md). */
    kind: Type.Literal('customer-health'),
    /** How many customers, by orders in the month. */
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh-CN')])),
    channels: Type.Array(Id, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type ScheduledReport = Static<typeof ScheduledReport>;
