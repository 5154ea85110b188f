/**
 * Framework-free helpers of the integration forms (triggers, systems, exception rules, queues).
 */

/**
 * A json-logic value as one line of text: a plain variable as its path (`$body.orderNo`), the
 * rest as JSON.
 */
export function logicText(logic: unknown): string {
  if (logic === undefined) return '';
  if (
    logic !== null &&
    typeof logic === 'object' &&
    !Array.isArray(logic) &&
    Object.keys(logic).length === 1 &&
    typeof (logic as { var?: unknown }).var === 'string'
  )
    return (logic as { var: string }).var;
  return JSON.stringify(logic);
}

/**
 * The json-logic a line of text means: JSON when it is an object, array or quoted text, a
 * variable otherwise (`$body.orderNo` → `{"var": "$body.orderNo"}`); empty → undefined.
 */
export function textLogic(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (/^[[{"]/.test(trimmed))
    try {
      return JSON.parse(trimmed);
    } catch {
      return { var: trimmed };
    }
  return { var: trimmed };
}

/** A record with one key renamed, in place (the order of the keys is kept). */
export const renameKey = <V>(record: Record<string, V>, from: string, to: string) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k === from ? to : k, v]));

/** A record without one key. */
export const withoutKey = <V>(record: Record<string, V>, key: string) =>
  Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

/** A name not yet in `taken`: `base`, else `base_2`, `base_3`, … */
export function freeName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** Comma-separated text as a list (empty entries dropped). */
export const listOf = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
