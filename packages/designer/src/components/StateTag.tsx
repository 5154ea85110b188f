import type { Flow } from '@ordo/engine';
import { Tag } from 'antd';
import { stateLabel } from '../model/data-changes';

/** Colours a person tells apart at a glance; a state keeps its colour on every page. */
const COLOURS = ['blue', 'cyan', 'geekblue', 'purple', 'magenta', 'gold', 'orange', 'volcano'];

/** The tag colour of a state: green once final, blue at the start, else one of the palette. */
export function stateColour(doc: Flow | undefined, state: string): string {
  const found = doc?.states.find((s) => s.id === state);
  if (found?.final) return 'green';
  if (found?.initial) return 'processing';
  let hash = 0;
  for (const c of state) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length];
}

/** An order's state as a coloured tag, named by its label in the chosen language. */
export function StateTag({
  doc,
  state,
  locale,
}: {
  doc: Flow | undefined;
  state: string;
  locale: string;
}) {
  return (
    <Tag className="badge" data-state={state} color={stateColour(doc, state)} variant="filled">
      {stateLabel(doc, state, locale)}
    </Tag>
  );
}
