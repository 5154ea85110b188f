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
  const scope = copyTop(order.data);
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

/**
 * A shallow copy of `data`. Object.assign is an order of magnitude faster than a spread on
 * V8 (it dominated `fire`), but runs the `__proto__` setter: data with its own `__proto__`
 * key (JSON.parse makes one) takes the spread, which defines it as a plain property.
 */
export function copyTop(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.hasOwn(data, '__proto__') ? { ...data } : Object.assign({}, data);
}

/** The order with `changes` applied: a new object (Object.assign, for the reason above). */
export function changed(order: Order, changes: Partial<Order>): Order {
  return Object.assign({}, order, changes);
}

/** The text of a label for messages: the string itself, or its English (else first) text. */
export function labelText(label: Label): string {
  return typeof label === 'string' ? label : (label.en ?? Object.values(label)[0] ?? '');
}
