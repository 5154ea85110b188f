import type { Flow } from '@ordo/engine';
import type { FlowLayout } from './elk-layout';

/** An edit of the flow document, as the canvas and the inspector make them. */
export type FlowEdit =
  | {
      kind: 'add-state';
      id: string;
      position: { x: number; y: number };
      /** What people see (the id until one is given). */
      label?: Flow['states'][number]['label'];
    }
  | { kind: 'move-state'; id: string; position: { x: number; y: number } }
  | { kind: 'remove-state'; id: string }
  | { kind: 'connect'; from: string; to: string; event: string }
  | { kind: 'remove-transition'; id: string }
  | { kind: 'layout'; layout: FlowLayout }
  | { kind: 'replace'; doc: Flow };

const uniqueId = (base: string, taken: Set<string>) => {
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
  return id;
};

type Layout = NonNullable<Flow['layout']>;

/** The stored routes without those `drop` says are stale (they would no longer meet their nodes). */
function keepRoutes(layout: Layout, drop: (edgeId: string) => boolean): Layout {
  if (!layout.edges) return layout;
  return {
    ...layout,
    edges: Object.fromEntries(Object.entries(layout.edges).filter(([id]) => !drop(id))),
  };
}

/** The ids of the canvas edges of a transition (one per source state): `<transition>:<from>`. */
const transitionOf = (edgeId: string) => edgeId.slice(0, edgeId.lastIndexOf(':'));

/** Applies an edit, returning a new document (the input is never changed). */
export function applyEdit(draft: Flow, edit: FlowEdit): Flow {
  const flow = withLists(draft);
  const layout = { ...flow.layout, states: { ...flow.layout?.states } };
  // Routes that start or end at a state: moving or removing it leaves them stale.
  const touches = (state: string) => (edgeId: string) => {
    const t = flow.transitions.find((x) => x.id === transitionOf(edgeId));
    return !t || t.to === state || edgeId.endsWith(`:${state}`);
  };
  switch (edit.kind) {
    case 'add-state': {
      const id = uniqueId(edit.id, new Set(flow.states.map((s) => s.id)));
      return {
        ...flow,
        states: [...flow.states, { id, label: edit.label ?? id }],
        layout: { ...layout, states: { ...layout.states, [id]: edit.position } },
      };
    }
    case 'move-state':
      return {
        ...flow,
        layout: {
          ...keepRoutes(layout, touches(edit.id)),
          states: { ...layout.states, [edit.id]: edit.position },
        },
      };
    case 'remove-state': {
      const states = { ...layout.states };
      delete states[edit.id];
      return {
        ...flow,
        states: flow.states.filter((s) => s.id !== edit.id),
        transitions: flow.transitions.filter(
          (t) => t.to !== edit.id && !(Array.isArray(t.from) ? t.from : [t.from]).includes(edit.id),
        ),
        layout: { ...keepRoutes(layout, touches(edit.id)), states },
      };
    }
    case 'connect': {
      const id = uniqueId(
        edit.event || `${edit.from}_to_${edit.to}`,
        new Set(flow.transitions.map((t) => t.id)),
      );
      return {
        ...flow,
        transitions: [
          ...flow.transitions,
          { id, from: edit.from, to: edit.to, event: edit.event || id },
        ],
      };
    }
    case 'remove-transition':
      return {
        ...flow,
        transitions: flow.transitions.filter((t) => t.id !== edit.id),
        layout: keepRoutes(layout, (edgeId) => transitionOf(edgeId) === edit.id),
      };
    case 'layout':
      return {
        ...flow,
        layout: {
          ...layout,
          states: { ...layout.states, ...edit.layout.states },
          edges: edit.layout.edges,
        },
      };
    case 'replace':
      return edit.doc;
    default: {
      const never: never = edit;
      throw new Error(`unknown edit ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The document with its lists (fields, states, transitions) present: a draft is kept even when
 * invalid, so one saved without them must still open. Nothing else changes.
 */
export function withLists(flow: Flow): Flow {
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  if (Array.isArray(flow.fields) && Array.isArray(flow.states) && Array.isArray(flow.transitions))
    return flow;
  return {
    ...flow,
    fields: list(flow.fields),
    states: list(flow.states),
    transitions: list(flow.transitions),
  };
}

/** Undo/redo over documents. */
export class EditHistory {
  private past: Flow[] = [];
  private future: Flow[] = [];

  constructor(public current: Flow) {}

  apply(edit: FlowEdit): Flow {
    this.past.push(this.current);
    this.future = [];
    this.current = applyEdit(this.current, edit);
    return this.current;
  }

  undo(): Flow {
    const previous = this.past.pop();
    if (previous) {
      this.future.push(this.current);
      this.current = previous;
    }
    return this.current;
  }

  redo(): Flow {
    const next = this.future.pop();
    if (next) {
      this.past.push(this.current);
      this.current = next;
    }
    return this.current;
  }
}

/** A new flow with one initial and one final state, named in both of the designer's languages. */
export function blankFlow(key: string, name: string): Flow {
  return {
    schemaVersion: 1,
    key,
    name,
    fields: [],
    states: [
      { id: 'new', label: { en: 'New', 'zh-CN': '新建' }, initial: true },
      { id: 'done', label: { en: 'Done', 'zh-CN': '完成' }, final: true },
    ],
    transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'finish' }],
  };
}

/** Which element a problem's JSON pointer is about: a state, a transition, or nothing on the canvas. */
export function elementOf(
  flow: Flow,
  pointer: string,
): { kind: 'state' | 'transition'; id: string } | undefined {
  const m = /^\/(states|transitions)\/(\d+)/.exec(pointer);
  if (!m) return undefined;
  const item = (m[1] === 'states' ? flow.states : flow.transitions)?.[Number(m[2])];
  return item ? { kind: m[1] === 'states' ? 'state' : 'transition', id: item.id } : undefined;
}
