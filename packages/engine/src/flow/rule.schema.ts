import { Type, type Static } from '@sinclair/typebox';
import { Id, Label, Logic } from './common.schema';

/** When a rule is checked. */
export const RuleTrigger = Type.Union([
  Type.Literal('create'),
  Type.Literal('update'),
  Type.Literal('transition'),
]);
export type RuleTrigger = Static<typeof RuleTrigger>;

/**
 * A named validation rule: `logic` must be truthy for the order to pass. An `error` rule
 * refuses the change; a `warning` rule is recorded and never blocks.
 */
export const Rule = Type.Object(
  {
    id: Id,
    message: Label,
    severity: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('warning')])),
    /** When it applies; default `["create", "update"]`. */
    on: Type.Optional(Type.Array(RuleTrigger, { minItems: 1 })),
    /** With `on: ["transition"]`: only before these transitions (every transition when absent). */
    transitions: Type.Optional(Type.Array(Id, { minItems: 1 })),
    /** JSON pointer into the order data that the message is about (for forms), e.g. `/lines`. */
    path: Type.Optional(Type.String()),
    logic: Logic,
  },
  { additionalProperties: false },
);
export type Rule = Static<typeof Rule>;
