import { pointer } from '../interpreter/json-pointer';
import type { Action } from './action.schema';
import type { Flow } from './flow.schema';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Every action of a flow document — state entries, transition actions, then the calls of
 * schedules and of external systems (as `call` actions) — with its JSON pointer. Tolerates a
 * partly malformed document (what an editor holds): missing lists and non-objects are skipped.
 */
export function* flowActions(flow: Partial<Flow>): Generator<[Action, string]> {
  const owners = [
    ...(flow.states ?? []).map((s, i) => ({ path: ['states', i, 'entry'], list: s?.entry })),
    ...(flow.transitions ?? []).map((t, i) => ({
      path: ['transitions', i, 'actions'],
      list: t?.actions,
    })),
  ];
  for (const { path, list } of owners)
    for (const [j, action] of (Array.isArray(list) ? list : []).entries())
      if (isObject(action)) yield [action as Action, pointer([...path, j])];
  for (const [i, trigger] of (Array.isArray(flow.triggers) ? flow.triggers : []).entries())
    if (isObject(trigger) && 'schedule' in trigger && isObject(trigger.schedule?.call))
      yield [{ call: trigger.schedule.call }, pointer(['triggers', i, 'schedule'])];
  for (const [name, system] of Object.entries(isObject(flow.systems) ? flow.systems : {})) {
    if (!isObject(system)) continue;
    if (isObject(system.push?.call)) yield [system.push, pointer(['systems', name, 'push'])];
    if (isObject(system.read?.call))
      yield [{ call: system.read.call }, pointer(['systems', name, 'read'])];
  }
}
