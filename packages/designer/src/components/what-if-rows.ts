/** What a simulation job's result holds that What-if compares (docs/simulation.md). */
export interface SimResult {
  table: {
    id: string;
    label: string;
    unit: string;
    before: number;
    after: number | null;
    /** The label and unit in other languages, from the scenario. */
    translations?: Translations;
  }[];
  measures: { id: string; count: number; p50Hours: number | null }[];
  counters: { id: string; count: number }[];
  people: Record<string, { utilisationPercent: number | null }>;
  orders: { created: number; shipped: number };
}

export type Translations = Record<string, { label: string; unit?: string }>;

/** One compared figure: the published version's value, the draft's, and the difference. */
export interface WhatIfRow {
  key: string;
  group: 'table' | 'orders' | 'measure' | 'counter' | 'utilisation';
  label: string;
  unit: string;
  translations?: Translations;
  before?: number;
  published: number | null;
  draft: number | null;
  difference: number | null;
}

const diff = (draft: number | null, published: number | null) =>
  draft === null || published === null ? null : Number((draft - published).toFixed(2));

/** The rows of the comparison, each figure of either result once. */
export function whatIfRows(draft: SimResult, published: SimResult): WhatIfRow[] {
  const rows: WhatIfRow[] = [];
  const add = (
    group: WhatIfRow['group'],
    key: string,
    label: string,
    unit: string,
    d: number | null | undefined,
    p: number | null | undefined,
    before?: number,
    translations?: Translations,
  ) =>
    rows.push({
      key: `${group}:${key}`,
      group,
      label,
      unit,
      ...(translations && { translations }),
      before,
      draft: d ?? null,
      published: p ?? null,
      difference: diff(d ?? null, p ?? null),
    });
  for (const row of draft.table) {
    const other = published.table.find((r) => r.id === row.id);
    add(
      'table',
      row.id,
      row.label,
      row.unit,
      row.after,
      other?.after,
      row.before,
      row.translations,
    );
  }
  add('orders', 'created', 'created', '', draft.orders.created, published.orders.created);
  add('orders', 'shipped', 'shipped', '', draft.orders.shipped, published.orders.shipped);
  const ids = <T extends { id: string }>(a: T[], b: T[]) => [
    ...new Set([...a.map((x) => x.id), ...b.map((x) => x.id)]),
  ];
  for (const id of ids(draft.measures, published.measures))
    add(
      'measure',
      id,
      id,
      'h',
      draft.measures.find((m) => m.id === id)?.p50Hours,
      published.measures.find((m) => m.id === id)?.p50Hours,
    );
  for (const id of ids(draft.counters, published.counters))
    add(
      'counter',
      id,
      id,
      '',
      draft.counters.find((c) => c.id === id)?.count,
      published.counters.find((c) => c.id === id)?.count,
    );
  for (const role of [...new Set([...Object.keys(draft.people), ...Object.keys(published.people)])])
    add(
      'utilisation',
      role,
      role,
      '%',
      draft.people[role]?.utilisationPercent,
      published.people[role]?.utilisationPercent,
    );
  return rows;
}
