import type { ExceptionKind, ExceptionRule, Flow } from '../flow';
import { setPath } from '../json/safe-path';
import { dueAfter } from '../calendar/due-time';
import type { DataSets } from '../rules/data-sets';
import { holds } from '../interpreter/outcome';
import { fillTemplate } from '../interpreter/templates';
import { type CompiledRule, compileRule } from '../rules';

/** An exception as the runtime raises it, with what the rules may filter on. */
export interface RaisedException {
  kind: ExceptionKind;
  connector?: string;
  state?: string;
  rule?: string;
  trigger?: string;
  /** How many times a `retry` rule already ran the call again (connector_failed). */
  retries?: number;
  error?: string;
  /** refused_delivery: the refusal's problem code (`unknown_status`, `guard_failed`, …). */
  problem?: string;
  /** refused_delivery: the HTTP status the sender was answered. */
  status?: number;
  /** refused_delivery: the sending system (a `system` trigger's). */
  system?: string;
  /** refused_delivery: the body the sender signed, as received. */
  payload?: unknown;
}

/** How many times a `retry` rule runs a call again when it does not say. */
export const DEFAULT_RETRY_TIMES = 3;

/** Each routing rule's `when`, compiled once (a flow's rules live as long as the flow). */
const compiledWhen = new WeakMap<ExceptionRule, CompiledRule>();
const whenOf = (rule: ExceptionRule): CompiledRule => {
  let compiled = compiledWhen.get(rule);
  if (!compiled) compiledWhen.set(rule, (compiled = compileRule(rule.when)));
  return compiled;
};

/**
 * The first rule of the flow's `exceptions` that applies to the exception, with its index; a
 * `retry` rule no longer applies once its times are used up, so the next rule takes over.
 * `data` is the order data (absent for deliveries that found no order).
 */
export function routeException(
  flow: Flow,
  exception: RaisedException,
  data: Record<string, unknown> = {},
): { rule: ExceptionRule; index: number } | undefined {
  const rules = flow.exceptions ?? [];
  for (const [index, rule] of rules.entries()) {
    if (rule.kind !== exception.kind) continue;
    if (rule.connector !== undefined && rule.connector !== exception.connector) continue;
    if (rule.state !== undefined && rule.state !== exception.state) continue;
    if (rule.rule !== undefined && rule.rule !== exception.rule) continue;
    if (rule.trigger !== undefined && rule.trigger !== exception.trigger) continue;
    if (rule.retry && (exception.retries ?? 0) >= (rule.retry.times ?? DEFAULT_RETRY_TIMES))
      continue;
    if (rule.when !== undefined && !holds(whenOf(rule), { ...data, $exception: exception }))
      continue;
    return { rule, index };
  }
  return undefined;
}

/** How a rule settles an exception: automatically (retry, event, patch) or by a person (task). */
export function resolutionOf(rule: ExceptionRule): 'retry' | 'event' | 'patch' | 'task' {
  if (rule.retry) return 'retry';
  if (rule.event !== undefined) return 'event';
  if (rule.patch) return 'patch';
  return 'task';
}

/** The scope a rule's expressions see: the order data plus `$exception`. */
const exceptionScope = (data: Record<string, unknown>, exception: RaisedException) => ({
  ...data,
  $exception: exception,
});

/** The JSON merge patch a `patch` rule writes: its dot paths set to their computed values. */
export function exceptionPatch(
  rule: ExceptionRule,
  data: Record<string, unknown>,
  exception: RaisedException,
): Record<string, unknown> {
  const scope = exceptionScope(data, exception);
  let patch: Record<string, unknown> = {};
  for (const [path, logic] of Object.entries(rule.patch ?? {}))
    patch = setPath(patch, path, compileRule(logic)(scope));
  return patch;
}

/**
 * The task a `task` rule opens: its title filled from the order, its due time from `now` —
 * with `in: "business"`, in the flow's `calendar` read from `sets`.
 */
export function exceptionTask(
  rule: ExceptionRule,
  data: Record<string, unknown>,
  exception: RaisedException,
  now: string,
  calendar?: { name: string | undefined; sets: DataSets | undefined },
) {
  const task = rule.task!;
  const business = task.in === 'business' ? calendar?.name : undefined;
  const due =
    task.due === undefined
      ? undefined
      : dueAfter({ dataSets: calendar?.sets }, now, task.due, business);
  return {
    queue: task.queue,
    title: fillTemplate(task.title, exceptionScope(data, exception)),
    priority: task.priority ?? 'normal',
    ...(due && { due: due.at }),
    ...(due?.calendar && { calendar: due.calendar }),
    ...(task.assignee !== undefined && { assignee: task.assignee }),
  };
}
