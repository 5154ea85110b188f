import { perLinePath } from './line-targets';
import { type ColumnMapping, resolveMapping } from './table-rows';

/** The column a data path (or `externalRef`) came from, if the file was a table. */
export type ColumnOf = (path: string) => string | undefined;

/**
 * The column a data path came from, given the table's mapping: the column mapped to it, to a
 * path inside it or around it; a line's path (`lines.3.qty`) also matches its per-line target
 * (`lines[].qty`).
 */
export function columnFinder(table?: { columns: string[]; mapping?: ColumnMapping }): ColumnOf {
  if (!table) return () => undefined;
  const targets = resolveMapping(table.columns, table.mapping);
  const find = (path: string) => {
    const exact = targets.findIndex((t) => t === path);
    if (exact >= 0) return table.columns[exact];
    const inside = targets.findIndex(
      (t) =>
        t !== null &&
        (t.startsWith(`${path}.`) || t.startsWith(`${path}[]`) || path.startsWith(`${t}.`)),
    );
    return inside >= 0 ? table.columns[inside] : undefined;
  };
  return (path) => find(path) ?? (/\.\d+(\.|$)/.test(path) ? find(perLinePath(path)) : undefined);
}
