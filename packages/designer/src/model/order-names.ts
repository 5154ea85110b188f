import type { Flow } from '@ordo/engine';

/** What names an order on a screen: its reference, else its customer with a short id. */
export function orderName(
  order: { id: string; externalRef?: string | null; data?: Record<string, unknown> },
  flow?: Pick<Flow, 'customer'>,
): string {
  if (order.externalRef) return order.externalRef;
  const customer = flow?.customer && valueAt(order.data, flow.customer);
  const short = `#${order.id.slice(0, 8)}`;
  return typeof customer === 'string' || typeof customer === 'number'
    ? `${customer} ${short}`
    : short;
}

/** The value at a dot path of the order data. */
export function valueAt(data: unknown, path: string): unknown {
  let at = data;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Someone in the directory (`GET /api/people`): a person or an API key. */
export interface Someone {
  id: string;
  kind: 'user' | 'key';
  name: string;
  roles: string[];
  active: boolean;
}

/**
 * The name to show for an actor id: a person's or key's name; the system's actors (timers,
 * webhooks, connector answers, whose ids are not people) as `system`; an unknown id as it is.
 */
export function actorName(
  people: ReadonlyMap<string, Someone>,
  actor: { id: string; kind?: string } | string,
  system: string,
): string {
  const id = typeof actor === 'string' ? actor : actor.id;
  const known = people.get(id);
  if (known) return known.name;
  return typeof actor !== 'string' && actor.kind === 'system' ? system : id;
}
