import type { Action, Flow } from '@ordo/engine';

/** The kinds of action a state's entry or a transition runs, in the order the editor offers. */
export const ACTION_KINDS = ['call', 'set', 'notify', 'task', 'emit'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Which kind an action is (its one key). */
export const kindOf = (action: Action): ActionKind =>
  ACTION_KINDS.find((k) => k in action) ?? 'set';

/** A new action of a kind, filled from the flow where it can be (its first connector, queue). */
export function blankAction(kind: ActionKind, flow: Flow): Action {
  const connector = Object.keys(flow.connectors ?? {})[0] ?? '';
  const queue = Object.keys(flow.queues ?? {})[0] ?? 'orders';
  switch (kind) {
    case 'call':
      return { call: { connector, action: '' } };
    case 'set':
      return { set: {} };
    case 'notify':
      return { notify: { to: { role: 'operator' }, message: '' } };
    case 'task':
      return { task: { queue, title: '' } };
    case 'emit':
      return { emit: { event: '' } };
  }
}

/** One `path: value` row of an assignment (set, call input, emit payload), as typed. */
export interface AssignmentRow {
  path: string;
  value: string;
}

/** The rows of an assignment: text as itself when it reads back as text, the rest as JSON. */
export const assignmentRows = (assignments: Record<string, unknown> | undefined): AssignmentRow[] =>
  Object.entries(assignments ?? {}).map(([path, value]) => ({
    path,
    value: typeof value === 'string' && rowValue(value) === value ? value : JSON.stringify(value),
  }));

/**
 * The value of a typed row: JSON when it is JSON (`12`, `true`, `{"var": "customer.id"}`),
 * otherwise the text itself — so `WO-2026` need not be written with quotes.
 */
export function rowValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The assignment the rows describe (rows without a path are left out; a later path wins). */
export const rowsToAssignments = (rows: readonly AssignmentRow[]): Record<string, unknown> =>
  Object.fromEntries(
    rows.filter((r) => r.path.trim()).map((r) => [r.path.trim(), rowValue(r.value)]),
  );

/** The list with item `i` moved by `delta` places (clamped to the ends). */
export function moveItem<T>(list: readonly T[], i: number, delta: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, i + delta));
  const next = [...list];
  const [item] = next.splice(i, 1);
  next.splice(to, 0, item);
  return next;
}

/** The events a flow knows (transitions' events), for the pickers of onSuccess and the like. */
export const flowEvents = (flow: Flow): string[] =>
  [...new Set(flow.transitions.flatMap((t) => (t.event ? [t.event] : [])))].sort();

/** A label with its text in one language replaced (a plain label is replaced whole). */
export const withLabel = (
  label: string | Record<string, string> | undefined,
  language: string,
  text: string,
): string | Record<string, string> =>
  label !== undefined && typeof label === 'object' ? { ...label, [language]: text } : text;
