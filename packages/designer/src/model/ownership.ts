import { type Field, fieldOwner, mayWrite, type Transition } from '@ordo/engine';

/** Who may write a field, as the inspector offers it. */
export type Ownership = 'anyone' | 'roles' | 'system';

/** A field's ownership: `system` (`source: "system"`), `roles` (`writableBy`) or `anyone`. */
export const ownershipOf = (field: Pick<Field, 'source' | 'writableBy'>): Ownership =>
  field.source === 'system' ? 'system' : field.writableBy ? 'roles' : 'anyone';

/** Roles typed as text (`finance, warehouse`): trimmed, lower-case, distinct, none empty. */
export const parseRoles = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((r) => r.trim().toLowerCase())
      .filter(Boolean),
  ),
];

/**
 * The field patch (for `updateField`) that gives it an ownership: `system` drops any
 * `writableBy` (the two contradict), `roles` keeps the roles given (or those it had), `anyone`
 * removes both.
 */
export function ownershipPatch(
  field: Pick<Field, 'writableBy'>,
  to: Ownership,
  roles: string[] = field.writableBy ?? [],
): Partial<Field> {
  if (to === 'system') return { source: 'system', writableBy: undefined };
  if (to === 'roles')
    return { source: undefined, writableBy: roles.length ? roles : (['operator'] as string[]) };
  return { source: undefined, writableBy: undefined };
}

/** The transition patch that reserves it to the system (its roles go: they would contradict). */
export const systemOnlyPatch = (on: boolean): Partial<Transition> =>
  on ? { source: 'system', roles: undefined } : { source: undefined };

/** Whether the signed-in person may write a value of the order form, and if not who may. */
export interface FieldAccess {
  writable: boolean;
  /** The tooltip of a field they may not write: who may. */
  who?: { system: true } | { roles: string[] };
}

/**
 * The order form's access check for a person: `access('lines.0.bin')` says whether they may
 * write it, as the engine decides (`fieldOwner`, `mayWrite`) — the form disables what the
 * server would refuse.
 */
export function formAccess(
  fields: readonly Field[],
  person: { id: string; roles: string[] },
): (path: string) => FieldAccess {
  const actor = { ...person, kind: 'person' as const };
  return (path) => {
    const owner = fieldOwner(fields, path);
    if (mayWrite(owner, actor)) return { writable: true };
    return owner.system
      ? { writable: false, who: { system: true } }
      : { writable: false, who: { roles: owner.writableBy ?? [] } };
  };
}
