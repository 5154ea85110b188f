import { pointer } from '../interpreter/json-pointer';
import type { Action } from './action.schema';
import type { Flow } from './flow.schema';

/**
 * Every action of a flow document — state entries, then transition actions — with its JSON
 * pointer. Tolerates a partly malformed document (what an editor holds): missing lists and
 * non-object actions are skipped.
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
      if (action !== null && typeof action === 'object')
        yield [action as Action, pointer([...path, j])];
}
