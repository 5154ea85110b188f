import { canonicalJson, type Flow } from '@ordo/engine';

/** What changed in one section of the document, by id. */
export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** The sections a reviewer reads, each keyed by its elements' ids. */
export const DIFF_SECTIONS = ['states', 'transitions', 'fields', 'rules', 'connectors'] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export interface FlowDiff {
  sections: Record<DiffSection, SectionDiff>;
  /** Top-level properties (name, description…) whose value differs. */
  properties: string[];
  /** True when nothing that runs differs (canvas positions are not compared). */
  same: boolean;
}

function byId(flow: Partial<Flow>, section: DiffSection): Map<string, unknown> {
  if (section === 'connectors') return new Map(Object.entries(flow.connectors ?? {}));
  const items = (flow[section] ?? []) as { id?: string; key?: string }[];
  return new Map(items.map((item, i) => [item.id ?? item.key ?? `#${i}`, item]));
}

/**
 * What a new version changes against an old one: per section the elements added, removed and
 * changed (by id; fields by key, top level), and the top-level properties that differ. Layout
 * and the version number are left out — they do not change what the flow does.
 */
export function diffFlows(before: Partial<Flow>, after: Partial<Flow>): FlowDiff {
  const sections = {} as Record<DiffSection, SectionDiff>;
  for (const section of DIFF_SECTIONS) {
    const [a, b] = [byId(before, section), byId(after, section)];
    sections[section] = {
      added: [...b.keys()].filter((id) => !a.has(id)),
      removed: [...a.keys()].filter((id) => !b.has(id)),
      changed: [...b.keys()].filter(
        (id) => a.has(id) && canonicalJson(a.get(id)) !== canonicalJson(b.get(id)),
      ),
    };
  }
  const ignored = new Set<string>([...DIFF_SECTIONS, 'layout', 'version', '$schema']);
  const keys = new Set(
    [...Object.keys(before), ...Object.keys(after)].filter((k) => !ignored.has(k)),
  );
  const properties = [...keys].filter(
    (k) =>
      canonicalJson((before as Record<string, unknown>)[k]) !==
      canonicalJson((after as Record<string, unknown>)[k]),
  );
  const same =
    properties.length === 0 &&
    DIFF_SECTIONS.every(
      (s) =>
        !sections[s].added.length && !sections[s].removed.length && !sections[s].changed.length,
    );
  return { sections, properties, same };
}
