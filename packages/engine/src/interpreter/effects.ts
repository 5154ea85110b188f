import type { EngineContext, Effect } from '../order';
import type { CompiledEffectAction, CompiledSet } from './compiled-model';
import { setPath } from '../json/safe-path';
import { dueAfter } from '../calendar/due-time';
import { fillTemplate } from './templates';

/** Evaluates `set` actions on the scope before the change and writes the values into data. */
export function applySets(
  sets: readonly CompiledSet[],
  data: Record<string, unknown>,
  scope: unknown,
): Record<string, unknown> {
  let out = data;
  for (const set of sets) {
    // Every value of one `set` is computed before any is written (they see the same scope).
    const values = set.assignments.map(([path, value]) => [path, value(scope)] as const);
    for (const [path, value] of values) out = setPath(out, path, value);
  }
  return out;
}

function build(
  entries: readonly [string, (scope: unknown) => unknown][],
  scope: unknown,
): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const [path, value] of entries) out = setPath(out, path, value(scope));
  return out;
}

/** A task's due time, and the calendar it was counted in when it was. */
function taskDue(ctx: EngineContext, due: string, calendar: string | undefined) {
  const { at, calendar: counted } = dueAfter(ctx, ctx.now, due, calendar);
  return { due: at, ...(counted && { calendar: counted }) };
}

/** Turns effect-producing actions into effects, as data, for the history entry at `version`. */
export function actionEffects(
  actions: readonly CompiledEffectAction[],
  scope: unknown,
  ctx: EngineContext,
  version: number,
): Effect[] {
  return actions.map((action): Effect => {
    switch (action.kind) {
      case 'call':
        return {
          type: 'connector.call',
          version,
          connector: action.connector,
          action: action.action,
          input: build(action.input, scope),
          ...(action.resultPath !== undefined && { resultPath: action.resultPath }),
          ...(action.onSuccess !== undefined && { onSuccess: action.onSuccess }),
          ...(action.onFailure !== undefined && { onFailure: action.onFailure }),
        };
      case 'notify':
        return {
          type: 'notify',
          version,
          to: action.to,
          message: fillTemplate(action.message, scope),
          ...(action.channels && { channels: action.channels }),
        };
      case 'emit':
        return {
          type: 'emit',
          version,
          event: action.event,
          payload: build(action.payload, scope),
        };
      case 'task':
        return {
          type: 'task.open',
          version,
          queue: action.queue,
          title: fillTemplate(action.title, scope),
          priority: action.priority,
          ...(action.due !== undefined && taskDue(ctx, action.due, action.calendar)),
          ...(action.assignee !== undefined && { assignee: action.assignee }),
          ...(action.escalate !== undefined && { escalate: action.escalate }),
        };
      default: {
        const unknownAction: never = action;
        throw new Error(`Unknown action ${JSON.stringify(unknownAction)}`);
      }
    }
  });
}
