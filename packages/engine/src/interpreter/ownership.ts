import type { Field, Transition } from '../flow';
import { canonicalJson } from '../json/canonical-json';
import { ownValue } from '../json/safe-path';
import type { Actor, ActorKind } from '../order';
import type { Problem } from '../result';
import { pointer } from './json-pointer';

/** The role every system actor carries, so history rows without `kind` still read right. */
export const SYSTEM_ROLE = 'system';

/** An actor for the system: a connector's answer, a webhook, a timer, reconciliation. */
export function systemActor(id: string): Actor {
  return { id, roles: [SYSTEM_ROLE], kind: 'system' };
}

/** Whether the change comes from the system. Ownership is never checked for the system. */
export const isSystemActor = (actor: Actor): boolean => actor.kind === 'system';

/**
 * Where a recorded change came from: the actor's `kind`, or — for history written before
 * actors had one — the role `system`, which only system actors carry.
 */
export const actorKind = (actor: Actor): ActorKind =>
  actor.kind ?? (actor.roles.includes(SYSTEM_ROLE) ? 'system' : 'person');

/** Who may write a field: the system only, or people with one of `writableBy` (any when absent). */
export interface FieldOwner {
  system: boolean;
  writableBy?: string[];
}

const ANYONE: FieldOwner = { system: false };

const ownerWithin = (field: Field, outer: FieldOwner): FieldOwner => ({
  system: outer.system || field.source === 'system',
  writableBy: field.writableBy ?? outer.writableBy,
});

/**
 * The owner of a dot path into the order data (`finance.approved`, `lines.0.bin`): the nearest
 * `writableBy` on the way down, and `system` if any field on the way is `source: "system"`.
 * A path no field describes has the owner of the deepest field it passes through.
 */
export function fieldOwner(fields: readonly Field[], path: string): FieldOwner {
  let owner = ANYONE;
  let level: readonly Field[] | undefined = fields;
  for (const segment of path.split('.')) {
    if (!level) break;
    if (/^\d+$/.test(segment)) continue;
    const field: Field | undefined = level.find((f) => f.key === segment);
    if (!field) break;
    owner = ownerWithin(field, owner);
    level = field.type === 'array' ? field.items : field.fields;
  }
  return owner;
}

/** Whether the actor may write a field with this owner: the system always; admins unless `system`. */
export function mayWrite(owner: FieldOwner, actor: Actor): boolean {
  if (isSystemActor(actor)) return true;
  if (owner.system) return false;
  return (
    !owner.writableBy ||
    actor.roles.includes('admin') ||
    owner.writableBy.some((role) => actor.roles.includes(role))
  );
}

/** Who may write a field, in words: "is set only by the system …", "may be changed only by …". */
export function ownerText(owner: FieldOwner): string {
  if (owner.system)
    return 'is set only by the system (a connector answer, a webhook or a timer), no person';
  return `may be changed only by the role ${(owner.writableBy ?? []).join(' or ')} (or admin)`;
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

const same = (a: unknown, b: unknown) =>
  a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b));

/**
 * Compares the data before and after a person's change field by field and reports each
 * changed value the actor may not write. Returns how many described values changed.
 */
function walk(
  fields: readonly Field[],
  before: unknown,
  after: unknown,
  at: (string | number)[],
  outer: FieldOwner,
  actor: Actor,
  out: Problem[],
): number {
  let changed = 0;
  for (const field of fields) {
    const [b, a] = [ownValue(before, field.key), ownValue(after, field.key)];
    if (same(b, a)) continue;
    // A value appearing as the field's default is what the flow would give by itself.
    if (b === undefined && field.default !== undefined && same(a, field.default)) {
      changed++;
      continue;
    }
    const owner = ownerWithin(field, outer);
    const path = [...at, field.key];
    let inside = 0;
    if (field.type === 'object' && field.fields)
      inside = walk(field.fields, asObject(b), asObject(a), path, owner, actor, out);
    else if (field.type === 'array' && field.items) {
      const [bs, as] = [Array.isArray(b) ? b : [], Array.isArray(a) ? a : []];
      for (let i = 0; i < Math.max(bs.length, as.length); i++)
        inside += walk(
          field.items,
          asObject(bs[i]),
          asObject(as[i]),
          [...path, i],
          owner,
          actor,
          out,
        );
    }
    changed += Math.max(inside, 1);
    // The field changed, and no field inside it explains the change (a scalar, an empty
    // object appearing, a whole value replaced): its own owner decides.
    if (inside === 0 && !mayWrite(owner, actor)) {
      const dotted = path.join('.');
      out.push({
        path: pointer(path),
        code: 'not_writable',
        message: `${dotted} ${ownerText(owner)}; ${actor.id} has ${actor.roles.join(', ') || 'no roles'}`,
        severity: 'error',
      });
    }
  }
  return changed;
}

/**
 * The fields a change writes that its actor may not: `before` and `after` are the order data
 * around the actor's own change (a create's data against the defaults, a merge patch, a task's
 * patch, an imported row). Empty for the system, and when every changed value is the actor's
 * to write. Each problem's `path` is a JSON pointer into the order data.
 */
export function ownershipProblems(
  fields: readonly Field[],
  before: unknown,
  after: unknown,
  actor: Actor,
): Problem[] {
  if (isSystemActor(actor)) return [];
  const out: Problem[] = [];
  walk(fields, before, after, [], ANYONE, actor, out);
  return out;
}

/** Whether the flow says who owns anything (so a check can be skipped when it does not). */
export function hasOwnership(fields: readonly Field[]): boolean {
  return fields.some(
    (f) =>
      f.source !== undefined ||
      f.writableBy !== undefined ||
      hasOwnership(f.fields ?? []) ||
      hasOwnership(f.items ?? []),
  );
}

/**
 * Whether the actor may fire the transition: one reserved to the system (`source: "system"`)
 * only the system; one that lists `roles` only an actor with one of them (admins always may).
 */
export function mayFireTransition(t: Pick<Transition, 'roles' | 'source'>, actor: Actor): boolean {
  if (t.source === 'system') return isSystemActor(actor);
  return !t.roles || actor.roles.includes('admin') || t.roles.some((r) => actor.roles.includes(r));
}
