import type { CallAction, Flow, StatusMapping } from '../flow';
import { setPath } from '../json/safe-path';
import { ruleScope } from '../interpreter/rule-scope';
import type { EngineContext, Order } from '../order';
import { compileRule } from '../rules';

/** What an external system's status code means here (its state and event), if it is mapped. */
export function inboundStatus(flow: Flow, system: string, code: string): StatusMapping | undefined {
  return flow.systems?.[system]?.statuses.find((s) => s.code === code);
}

/** The code an external system uses for one of our states: the first mapping of that state. */
export function statusCode(flow: Flow, system: string, state: string): string | undefined {
  return flow.systems?.[system]?.statuses.find((s) => s.state === state)?.code;
}

/** The input of a call (its assignments evaluated on the order), as an effect would carry it. */
export function callInput(
  call: { input?: Record<string, unknown> },
  order: Order,
  ctx: EngineContext,
  /** Values the input sees besides the order's scope (`$status`, `$system` of a push). */
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const scope = { ...ruleScope(order, undefined, ctx), ...extra };
  let input: Record<string, unknown> = {};
  for (const [path, logic] of Object.entries(call.input ?? {}))
    input = setPath(input, path, compileRule(logic)(scope));
  return input;
}

/**
 * The push that tells a system the order's current state again (a reconciliation repairing
 * drift): its call and input — as entering the state would build them, with `$status` and
 * `$system` — or undefined when the system has no `push` or no code for the state.
 */
export function repairPush(
  flow: Flow,
  system: string,
  order: Order,
  ctx: EngineContext,
): { call: CallAction['call']; code: string; input: Record<string, unknown> } | undefined {
  const push = flow.systems?.[system]?.push;
  const code = statusCode(flow, system, order.state);
  if (!push || code === undefined) return undefined;
  return {
    call: push.call,
    code,
    input: callInput(push.call, order, ctx, { $status: code, $system: system }),
  };
}
