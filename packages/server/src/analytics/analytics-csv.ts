import type { Analytics } from '@ordo/engine';

/** The tables of the analytics answer that export as CSV. */
export const ANALYTICS_TABLES = [
  'states',
  'transitions',
  'measures',
  'counters',
  'sla',
  'exceptions',
  'channels',
] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

const flatten = (value: unknown, prefix: string, out: Record<string, unknown>) => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = value;
  return out;
};

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. */
export const csvCell = (value: unknown): string => {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A CSV of objects; nested objects become dotted columns (`time.p50Ms`). */
export function toCsv(rows: readonly unknown[]): string {
  const flat = rows.map((r) => flatten(r, '', {}));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  return [columns, ...flat.map((r) => columns.map((c) => r[c]))]
    .map((line) => line.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** One table of the analytics as CSV. */
export function analyticsCsv(a: Analytics, table: AnalyticsTable): string {
  return toCsv(table === 'exceptions' ? a.exceptions.byKind : a[table]);
}
