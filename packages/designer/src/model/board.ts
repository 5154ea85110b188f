import type { Flow } from '@ordo/engine';
import { labelIn } from './flow-graph';

/** What `#/board/<flow>?states=a,b&lang=zh-CN` asks for. */
export interface BoardRoute {
  flow: string;
  /** The columns, in this order (none: every state of the flow, in its order). */
  states: string[];
  lang?: string;
}

/** The board's route from the hash path, or undefined when it is not a board. */
export function boardRoute(route: string): BoardRoute | undefined {
  const match = /^\/board\/([a-z0-9_-]+)\/?(?:\?(.*))?$/.exec(route);
  if (!match) return undefined;
  const query = new URLSearchParams(match[2] ?? '');
  const states = (query.get('states') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { flow: match[1], states, lang: query.get('lang') ?? undefined };
}

/** A board column: a state of the flow with its label in the chosen language. */
export interface BoardColumn {
  state: string;
  label: string;
  final: boolean;
}

/** The columns: the asked states the flow has (in the order asked), else all of its states. */
export function boardColumns(flow: Flow, asked: string[], locale: string): BoardColumn[] {
  const byId = new Map(flow.states.map((s) => [s.id, s]));
  const ids = asked.length ? asked.filter((id) => byId.has(id)) : flow.states.map((s) => s.id);
  return ids.map((id) => {
    const state = byId.get(id)!;
    return {
      state: id,
      label: labelIn(state.label, locale, id),
      final: state.final === true,
    };
  });
}

/** The value at a dot path of the order's data (`customer.name`), as text. */
export function dataText(data: Record<string, unknown>, path: string | undefined): string {
  if (!path) return '';
  const value = path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined,
      data,
    );
  return value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}
