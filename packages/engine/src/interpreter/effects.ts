import type { EngineContext, Effect } from '../order';
import type { CompiledEffectAction, CompiledSet, LineTarget } from './compiled-model';
import { getPath, setPath } from '../json/safe-path';
import { DATA_SETS } from '../rules/data-sets';
import { copyTop } from './rule-scope';
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
    const values = set.assignments.map(([path, value, line]) =>
      line
        ? ([path, lineValues(line, value, scope), line] as const)
        : ([path, value(scope)] as const),
    );
    for (const [path, value, line] of values) {
      if (!line) out = setPath(out, path, value);
      else
        (value as unknown[]).forEach((v, i) => {
          // Nothing to write for this line (a lookup without a row): it is left as it was.
          if (v !== null && v !== undefined)
            out = setPath(out, `${line.array}.${i}.${line.inner}`, v);
        });
    }
  }
  return out;
}

/**
 * A per-line target's value for each element of its array (none when it is not an array):
 * computed with the element's fields in scope, beside the `$` context and the data sets. A
 * null value leaves that element as it is.
 */
function lineValues(
  line: LineTarget,
  value: (scope: unknown) => unknown,
  scope: unknown,
): unknown[] {
  const root = scope as Record<string | symbol, unknown>;
  const elements = getPath(root, line.array);
  if (!Array.isArray(elements)) return [];
  return elements.map((element) => {
    const inner: Record<string | symbol, unknown> =
      element !== null && typeof element === 'object' && !Array.isArray(element)
        ? copyTop(element as Record<string, unknown>)
        : {};
    for (const key of ['$order', '$event', '$actor', '$now']) inner[key] = root[key];
    inner[DATA_SETS] = root[DATA_SETS];
    return value(inner);
  });
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
