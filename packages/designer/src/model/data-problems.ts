import type { Field } from '@ordo/engine';

/** A problem as the engine and the server's problem+json name it: a JSON pointer and a code. */
export interface DataProblem {
  path: string;
  code?: string;
  message: string;
}

/** `/lines/1/qty` (or the request body's `/data/lines/1/qty`) → `lines.1.qty`; `/` → ''. */
export const dotPath = (pointer: string): string =>
  pointer
    .replace(/^\/data(?=\/|$)/, '')
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');

/** The field a dot path names (list indexes skipped), if the flow has it. */
export function fieldAt(fields: readonly Field[], path: string): Field | undefined {
  let at: readonly Field[] | undefined = fields;
  let found: Field | undefined;
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment)) continue;
    found = at?.find((f) => f.key === segment);
    if (!found) return undefined;
    at = found.type === 'array' ? found.items : found.fields;
  }
  return found;
}

/** The codes with a message of their own in each language (`workbench.problem.<code>`). */
export const WORDED = [
  'required',
  'type',
  'enum',
  'min',
  'max',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
] as const;

/**
 * Problems by the dot path of the value they name (the first one for a path), in words of the
 * language: `say(code, field)` words the codes it knows, else the problem's own message. What
 * names no field of the form (`/externalRef`, a rule) is `rest`.
 */
export function problemsByPath(
  problems: readonly DataProblem[],
  fields: readonly Field[],
  say: (code: string, field: Field) => string | undefined,
): { byPath: Record<string, string>; rest: DataProblem[] } {
  const byPath: Record<string, string> = {};
  const rest: DataProblem[] = [];
  for (const p of problems) {
    const path = dotPath(p.path);
    const field = path ? fieldAt(fields, path) : undefined;
    if (!field) {
      rest.push(p);
      continue;
    }
    byPath[path] ??= (p.code && say(p.code, field)) || p.message;
  }
  return { byPath, rest };
}
