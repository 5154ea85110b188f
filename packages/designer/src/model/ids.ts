import { Id } from '@ordo/engine';

/** What the flow schema accepts as a state (or transition) id. */
const ID = new RegExp(Id.pattern!);
export const ID_MAX = Id.maxLength!;

/**
 * An id suggested for a label a person typed ("Stock locked" → `stock_locked`), unique among
 * `taken`; `fallback` (numbered) when the label has no Latin letters or digits (`已锁库存`).
 */
export function idFromLabel(label: string, taken: ReadonlySet<string>, fallback = 'state'): string {
  let base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, ID_MAX - 3);
  if (/^[0-9]/.test(base)) base = `s_${base}`;
  if (!base || !ID.test(base)) base = fallback;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
  return id;
}

/** Why an id cannot be used (`required`, `pattern`, `taken`), or undefined when it can. */
export function idProblem(
  id: string,
  taken: ReadonlySet<string>,
): 'required' | 'pattern' | 'taken' | undefined {
  if (!id) return 'required';
  if (id.length > ID_MAX || !ID.test(id)) return 'pattern';
  return taken.has(id) ? 'taken' : undefined;
}
