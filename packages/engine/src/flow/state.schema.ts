import { Type, type Static } from '@sinclair/typebox';
import { Action } from './action.schema';
import { Duration, Id, Label, TimeBasis } from './common.schema';

/** What happens when an order stays in a state longer than its SLA allows. */
export const SlaBreach = Type.Object(
  {
    /** Event fired on the order at the breach. */
    event: Type.Optional(Type.String()),
    /** A task opened at the breach. */
    task: Type.Optional(
      Type.Object(
        { queue: Type.String(), title: Type.Optional(Label) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SlaBreach = Static<typeof SlaBreach>;

/**
 * A service-level agreement: leave the state `within` the duration, or `onBreach` happens;
 * `in: "business"` counts it in the flow's calendar.
 */
export const Sla = Type.Object(
  { within: Duration, in: Type.Optional(TimeBasis), onBreach: SlaBreach },
  { additionalProperties: false },
);
export type Sla = Static<typeof Sla>;

/** A state an order can be in. Exactly one state is `initial`; `final` states have no way out. */
export const State = Type.Object(
  {
    id: Id,
    label: Type.Optional(Label),
    description: Type.Optional(Label),
    initial: Type.Optional(Type.Boolean()),
    final: Type.Optional(Type.Boolean()),
    sla: Type.Optional(Sla),
    /**
     * An exception the flow routes by design (stock short, credit hold, overdue): analytics
     * count each entry as an exception, settled by the system when the order leaves the state
     * without a person's action.
     */
    exception: Type.Optional(Type.Boolean()),
    /** Actions run each time an order enters the state. */
    entry: Type.Optional(Type.Array(Action)),
  },
  { additionalProperties: false },
);
export type State = Static<typeof State>;
