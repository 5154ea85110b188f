import type { Label } from '../flow';
import type { EngineContext, Order } from '../order';
import { DATA_SETS, type DataSets } from '../rules/data-sets';

/**
 * The data a guard, rule or action expression sees: the order's data plus `$order`,
 * `$event` (the payload of the event being fired), `$actor` and `$now`; and, under a symbol
 * that no path reaches, the data sets of `ctx` for `lookup`. Nothing else.
 * A shallow copy of the top level: cheap, and the order data itself is never touched.
 */
export function ruleScope(
  order: Order,
  eventPayload: unknown,
  ctx: EngineContext,
): Record<string, unknown> {
  // A spread defines own properties; Object.assign would run the `__proto__` setter.
  const scope: Record<string, unknown> = { ...order.data };
  scope.$order = {
    id: order.id,
    flow: order.flow,
    flowVersion: order.flowVersion,
    state: order.state,
    version: order.version,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
  scope.$event = eventPayload === undefined ? {} : eventPayload;
  scope.$actor = ctx.actor;
  scope.$now = ctx.now;
  if (ctx.dataSets) (scope as { [DATA_SETS]?: DataSets })[DATA_SETS] = ctx.dataSets;
  return scope;
}

/** The text of a label for messages: the string itself, or its English (else first) text. */
export function labelText(label: Label): string {
  return typeof label === 'string' ? label : (label.en ?? Object.values(label)[0] ?? '');
}
