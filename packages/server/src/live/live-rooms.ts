/** What a live client may subscribe to. Each becomes one socket.io room. */
export interface LiveSubscription {
  /** Every change of the orders of one flow, and its publications. */
  flow?: string;
  /** Every change of one order. */
  order?: string;
  /** Tasks of one human queue. */
  queue?: string;
  /** Publications of every flow (the designer's flow list). */
  flows?: boolean;
}

export const room = {
  flow: (key: string) => `flow:${key}`,
  order: (id: string) => `order:${id}`,
  queue: (name: string) => `queue:${name}`,
  flows: 'flows',
  /** Joined at connection: notifications for the person, and for each of their roles. */
  user: (id: string) => `user:${id}`,
  role: (name: string) => `role:${name}`,
  /**
   * The part of a queue or order room that hears the tasks one role may see: a task reaches
   * `queue:<q>@<role>` and `order:<id>@<role>` for each role of its queue (and admin), and a
   * subscriber joins these for each of its roles — the task list's rule, per task.
   */
  tasksOf: (base: string, role: string) => `${base}@${role}`,
};

const NAME = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * The rooms a `subscribe` message asks for, or the reason it is refused: a message with no
 * known kind, an unknown kind, or a name that is not an identifier.
 */
export function roomsFor(message: unknown): { rooms: string[] } | { error: string } {
  if (message === null || typeof message !== 'object' || Array.isArray(message))
    return {
      error: 'subscribe takes an object such as { "flow": "fmcg-order" } or { "order": "<id>" }',
    };
  const rooms: string[] = [];
  for (const [kind, value] of Object.entries(message)) {
    if (kind === 'flows') {
      if (value !== true) return { error: '"flows" must be true' };
      rooms.push(room.flows);
    } else if (kind === 'flow' || kind === 'order' || kind === 'queue') {
      if (typeof value !== 'string' || !NAME.test(value))
        return { error: `"${kind}" must be an id (letters, digits, _ . : -)` };
      rooms.push(room[kind](value));
    } else return { error: `unknown subscription "${kind}": use flow, order, queue or flows` };
  }
  return rooms.length
    ? { rooms }
    : { error: 'subscribe to at least one of flow, order, queue, flows' };
}
