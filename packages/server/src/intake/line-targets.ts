/**
 * Per-line mapping targets: `lines[].sku` means "the `sku` of this row's line in the array
 * `lines`". A sheet with such columns has one row per order line; its rows are grouped into
 * orders by their reference (see order-groups.ts).
 */

/** The marker of a per-line target: `<array>[].<path inside one line>`. */
export const PER_LINE = '[]';

/** A per-line target split into its array's dot path and the path inside one line. */
export interface LineTarget {
  array: string;
  inner: string;
}

/** The target's array and inner path when it is per-line (`lines[].sku`), else undefined. */
export function lineTarget(target: string): LineTarget | undefined {
  const at = target.indexOf(`${PER_LINE}.`);
  if (at < 0) return undefined;
  return { array: target.slice(0, at), inner: target.slice(at + PER_LINE.length + 1) };
}

/** Why a target with `[]` cannot be written, if it cannot: one `[]`, after an array path. */
export function lineTargetFault(target: string): string | undefined {
  if (!target.includes(PER_LINE)) return undefined;
  const split = lineTarget(target);
  if (!split || !split.array || !split.inner || split.inner.includes(PER_LINE))
    return `"${target}": a per-line target is <array>[].<path>, with one "[]" (e.g. lines[].sku)`;
  return undefined;
}

/** The per-line form of a data path: `lines.3.qty` → `lines[].qty` (each index → `[]`). */
export const perLinePath = (path: string): string => path.replace(/\.\d+(?=\.|$)/g, PER_LINE);
