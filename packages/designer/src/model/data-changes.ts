import type { Field, Flow } from '@ordo/engine';
import { labelIn } from './flow-graph';
import { majorText, minorDigits, type Money } from './money';

/** One value that changed: its dot path (`lines.1.qty`), before and after (absent: none). */
export interface DataChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isMoney = (v: unknown) => isObject(v) && 'amount' in v && 'currency' in v;

/**
 * The values that differ between two versions of order data, leaf by leaf (objects and lists
 * walked to their values; a money value is one value), in the order of `after` then `before`.
 */
export function dataChanges(before: unknown, after: unknown, path = ''): DataChange[] {
  const walkable = (v: unknown) => (isObject(v) && !isMoney(v)) || Array.isArray(v);
  if (walkable(before) || walkable(after)) {
    const b = (walkable(before) ? before : {}) as Record<string, unknown>;
    const a = (walkable(after) ? after : {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    const inner = keys.flatMap((k) => dataChanges(b[k], a[k], path ? `${path}.${k}` : k));
    // A scalar that became an object (or back) is a change of its own too.
    if (!walkable(before) && before !== undefined) inner.unshift({ path, from: before });
    if (!walkable(after) && after !== undefined) inner.unshift({ path, to: after });
    return inner;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path,
      ...(before !== undefined && { from: before }),
      ...(after !== undefined && { to: after }),
    },
  ];
}

/**
 * A dot path named by the labels of the fields it goes through, in a language:
 * `lines.1.qty` → `Order lines 2 › Quantity`; an unknown key is shown as it is.
 */
export function pathLabel(fields: readonly Field[], path: string, locale: string): string {
  const parts: string[] = [];
  let at: readonly Field[] | undefined = fields;
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment)) {
      parts[parts.length - 1] += ` ${Number(segment) + 1}`;
      continue;
    }
    const field: Field | undefined = at?.find((f) => f.key === segment);
    parts.push(field ? labelIn(field.label, locale, segment) : segment);
    at = field?.type === 'array' ? field.items : field?.fields;
  }
  return parts.join(' › ');
}

/** A value as a person reads it: money with its currency, lists and objects compact. */
export function valueText(value: unknown, locale: string): string {
  if (value === undefined || value === null) return '—';
  if (isMoney(value)) {
    const money = value as Money;
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
        money.amount / 10 ** minorDigits(money.currency),
      );
    } catch {
      return `${majorText(money)} ${money.currency}`;
    }
  }
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A state's label in a language (its id when it has none or the flow does not know it). */
export const stateLabel = (flow: Flow | undefined, id: string, locale: string): string =>
  labelIn(flow?.states.find((s) => s.id === id)?.label, locale, id);
