import type { Flow, StatusMapping } from '../flow';
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
): Record<string, unknown> {
  const scope = ruleScope(order, undefined, ctx);
  let input: Record<string, unknown> = {};
  for (const [path, logic] of Object.entries(call.input ?? {}))
    input = setPath(input, path, compileRule(logic)(scope));
  return input;
}
