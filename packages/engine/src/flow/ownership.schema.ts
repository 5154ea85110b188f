import { Type, type Static } from '@sinclair/typebox';

/**
 * The name of a role: the built-in ones (`admin`, `designer`, `operator`, `viewer`) or a
 * business role (`finance`, `warehouse`, `pharmacist`). The same pattern the server accepts
 * for people's roles.
 */
export const RoleName = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$' });
export type RoleName = Static<typeof RoleName>;

/** A non-empty list of distinct role names. */
export const RoleList = Type.Array(RoleName, { minItems: 1, uniqueItems: true });
export type RoleList = Static<typeof RoleList>;

/**
 * Who owns a fact or a move: `system` — only the system sets the field or fires the
 * transition (a connector's answer, an inbound webhook, a timer or schedule, reconciliation,
 * an import the system runs); no person may, admins included.
 */
export const OwnerSource = Type.Literal('system', {
  description:
    'Only the system (connector answers, webhooks, timers, reconciliation) sets this; no person may',
});
export type OwnerSource = Static<typeof OwnerSource>;
