import { Type, type Static } from '@sinclair/typebox';
import { Action } from './action.schema';
import { Id, Label, Logic } from './common.schema';
import { OwnerSource } from './ownership.schema';

/**
 * A way from one or more states to another. Fired by `event`, or taken as soon as its guard
 * holds when `auto` is true. Of several transitions sharing a source and event, the first in
 * document order whose guard holds is taken.
 */
export const Transition = Type.Object(
  {
    id: Id,
    label: Type.Optional(Label),
    description: Type.Optional(Label),
    from: Type.Union([Id, Type.Array(Id, { minItems: 1 })]),
    to: Id,
    event: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.:-]*$', maxLength: 100 })),
    auto: Type.Optional(Type.Boolean()),
    /** json-logic that must be truthy for the transition to be taken. */
    guard: Type.Optional(Logic),
    /** Business roles allowed to fire it (any role when absent; admins always may). */
    roles: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    /**
     * `system`: only the system fires it (a connector's answer, a webhook, a timer or schedule,
     * reconciliation); no person, admins included. Auto transitions need no reservation.
     */
    source: Type.Optional(OwnerSource),
    actions: Type.Optional(Type.Array(Action)),
  },
  { additionalProperties: false },
);
export type Transition = Static<typeof Transition>;
