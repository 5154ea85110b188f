import type { Field, Flow } from '../flow';
import { fieldOwner } from '../interpreter/ownership';
import { at, type ProblemList } from './problem-list';

/** Roles every server knows; a flow's `roles` list names the business roles beside them. */
const BUILTIN_ROLES = new Set(['admin', 'designer', 'operator', 'viewer']);

/**
 * Field and transition ownership: `source: "system"` and `writableBy` (or `roles`) contradict
 * each other; `system` is not a role a person can hold; with a `roles` list, every role named
 * in `writableBy`, transition `roles` and queue `roles` should be on it.
 */
export function lintOwnership(flow: Flow, out: ProblemList): void {
  const known = flow.roles ? new Set([...BUILTIN_ROLES, ...flow.roles]) : undefined;
  const checkRoles = (roles: readonly string[] | undefined, path: string, what: string) => {
    (roles ?? []).forEach((role, i) => {
      if (role === 'system')
        out.error(
          at(...path.split('/').slice(1), i),
          'system_role',
          `${what} lists "system", which is no role a person holds — write "source": "system" instead`,
        );
      else if (known && !known.has(role))
        out.warning(
          at(...path.split('/').slice(1), i),
          'unknown_role',
          `${what} names the role "${role}", which the flow's "roles" do not list — add it there or fix the name`,
        );
    });
  };

  const fields = (list: readonly Field[], base: string, systemAbove: string | undefined) =>
    list.forEach((f, i) => {
      const path = `${base}/${i}`;
      if (f.source === 'system' && f.writableBy)
        out.error(
          `${path}/writableBy`,
          'ownership_conflict',
          `Field "${f.key}" is set only by the system ("source": "system") and also lists "writableBy" — remove one`,
        );
      else if (systemAbove && f.writableBy)
        out.error(
          `${path}/writableBy`,
          'ownership_conflict',
          `Field "${f.key}" lists "writableBy", but "${systemAbove}" around it is set only by the system — people cannot write inside it`,
        );
      if (f.writableBy?.includes('viewer'))
        out.warning(
          `${path}/writableBy`,
          'viewer_cannot_write',
          `Field "${f.key}": viewers cannot change orders, so "viewer" in "writableBy" gives nothing`,
        );
      checkRoles(f.writableBy, `${path}/writableBy`, `Field "${f.key}"`);
      const inner = systemAbove ?? (f.source === 'system' ? f.key : undefined);
      if (f.fields) fields(f.fields, `${path}/fields`, inner);
      if (f.items) fields(f.items, `${path}/items`, inner);
    });
  fields(flow.fields, '/fields', undefined);

  flow.transitions.forEach((t, i) => {
    const path = `/transitions/${i}`;
    if (t.source === 'system' && t.roles)
      out.error(
        `${path}/roles`,
        'ownership_conflict',
        `Transition "${t.id}" is fired only by the system ("source": "system") and also lists "roles" — remove one`,
      );
    if (t.source === 'system' && t.auto)
      out.warning(
        `${path}/source`,
        'source_on_auto',
        `Transition "${t.id}" is automatic: nobody fires it, so "source": "system" changes nothing`,
      );
    checkRoles(t.roles, `${path}/roles`, `Transition "${t.id}"`);
    if (t.auto || t.source === 'system') return;
    (t.actions ?? []).forEach((action, j) => {
      if (!('set' in action)) return;
      for (const key of Object.keys(action.set))
        if (fieldOwner(flow.fields, key.replace('[]', '')).system)
          out.warning(
            at('transitions', i, 'actions', j, 'set', key),
            'sets_system_field',
            `Transition "${t.id}" sets "${key}", which only the system sets: a person firing it is refused — add "source": "system" to the transition`,
          );
    });
  });
  for (const [name, queue] of Object.entries(flow.queues ?? {}))
    checkRoles(queue.roles, `/queues/${name}/roles`, `Queue "${name}"`);
}
