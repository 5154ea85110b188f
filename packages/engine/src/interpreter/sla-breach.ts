import type { SlaBreach } from '../flow/state.schema';
import type { EngineContext, Effect } from '../order';
import { actionEffects } from './effects';

/**
 * Whether an SLA breach's task belongs to the state (closed when the order leaves it): a task
 * with no event beside it. A breach that also fires an event moves on, and its task stays.
 */
export const breachTaskStays = (breach?: SlaBreach): boolean =>
  !!breach?.task && breach.event === undefined;

/** The task an SLA breach in `state` opens (high priority), bound to the state if it stays. */
export function breachTaskEffects(
  breach: SlaBreach,
  state: string,
  scope: unknown,
  ctx: EngineContext,
  version: number,
): Effect[] {
  if (!breach.task) return [];
  const title = breach.task.title ?? { en: `SLA breached in ${state}`, 'zh-CN': `${state} 超时` };
  return actionEffects(
    [{ kind: 'task', queue: breach.task.queue, title, priority: 'high' }],
    scope,
    ctx,
    version,
  ).map((e) => (breachTaskStays(breach) ? { ...e, state } : e));
}
