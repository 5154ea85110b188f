import type { Field, Flow } from '../flow';
import type { Problem } from '../result';

/** Where orders in one state of the old version go under the new version. */
export interface StateMove {
  from: string;
  to: string;
  /** `same-id`: the state exists in both; `mapped`: given by `options.stateMap`. */
  how: 'same-id' | 'mapped';
}

/** What moving running orders from one flow version to another will do. */
export interface MigrationPlan {
  /** True when every state of the old version has a destination. */
  ok: boolean;
  moves: StateMove[];
  /**
   * Errors: old states with no destination (`/states/<i>` of the old document), mapped
   * destinations that do not exist. Warnings: new required fields without a default (running
   * orders lack them: their next data update must supply them).
   */
  problems: Problem[];
}

/** Options of {@link planMigration}. */
export interface MigrationOptions {
  /** Old state id → new state id, for states renamed or removed in the new version. */
  stateMap?: Record<string, string>;
}

function requiredWithoutDefault(
  fields: readonly Field[],
  before: readonly Field[],
  base: string,
): { path: string; key: string }[] {
  const old = new Map(before.map((f) => [f.key, f]));
  return fields.flatMap((field, i) => {
    const path = `${base}/${i}`;
    const previous = old.get(field.key);
    if (!previous)
      return field.required && field.default === undefined ? [{ path, key: field.key }] : [];
    if (field.type === 'object' && previous.type === 'object' && field.fields)
      return requiredWithoutDefault(field.fields, previous.fields ?? [], `${path}/fields`);
    return [];
  });
}

/**
 * Plans moving running orders from `from` (the old version's document) to `to` (the new
 * one): each old state maps to the state of the same id, or to `options.stateMap[old]`;
 * a state that is neither is a problem, and no order should be moved until it is solved.
 * Pure: it reads the two documents only; the server applies the plan to its orders.
 */
export function planMigration(from: Flow, to: Flow, options: MigrationOptions = {}): MigrationPlan {
  const target = new Set(to.states.map((s) => s.id));
  const moves: StateMove[] = [];
  const problems: Problem[] = [];
  from.states.forEach((state, i) => {
    const mapped = options.stateMap?.[state.id];
    if (mapped !== undefined) {
      if (target.has(mapped)) moves.push({ from: state.id, to: mapped, how: 'mapped' });
      else
        problems.push({
          path: `/states/${i}`,
          code: 'unknown_target_state',
          message: `State "${state.id}" is mapped to "${mapped}", which the new version does not have — map it to one of ${[...target].join(', ')}`,
          severity: 'error',
        });
    } else if (target.has(state.id)) moves.push({ from: state.id, to: state.id, how: 'same-id' });
    else
      problems.push({
        path: `/states/${i}`,
        code: 'unmapped_state',
        message: `State "${state.id}" is not in the new version — map it to a new state (stateMap) or keep the state`,
        severity: 'error',
      });
  });
  for (const { path, key } of requiredWithoutDefault(to.fields, from.fields, '/fields'))
    problems.push({
      path,
      code: 'new_required_field',
      message: `Field "${key}" is new and required with no default: running orders lack it until an update supplies it — give it a default`,
      severity: 'warning',
    });
  return { ok: !problems.some((p) => p.severity === 'error'), moves, problems };
}
