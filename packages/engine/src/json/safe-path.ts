/**
 * Dot paths (`customer.tier`, `lines.0.qty`) and object keys that come from people, files or
 * other systems. Three names reach an object's prototype instead of its data — `__proto__`,
 * `constructor` and `prototype` — so one write such as `data["__proto__"].x = 1` would change
 * every object of the process. Ordo refuses them as keys and path segments everywhere: reads
 * see own properties only, writes throw {@link UnsafePathError}, and the server refuses a
 * request carrying them (a 4xx naming the path).
 */

/** The keys that reach a prototype: refused as object keys and as path segments. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a key (or path segment) reaches a prototype. */
export const isUnsafeKey = (key: string): boolean => UNSAFE_KEYS.has(key);

/** A dot path or key that reaches a prototype; `segment` is the offending part. */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly segment: string,
  ) {
    super(unsafeMessage(path, segment));
    this.name = 'UnsafePathError';
  }
}

/** The message for a path with a hostile segment: what is wrong and what to do. */
export function unsafeMessage(path: string, segment: string): string {
  return path === segment
    ? `"${segment}" may not be used as a key: it reaches the object prototype, not the data — rename it`
    : `"${path}" goes through "${segment}", which may not be used as a key: it reaches the object prototype, not the data — rename it`;
}

/** The first segment of a dot path that reaches a prototype, if any. */
export function unsafeSegment(path: string): string | undefined {
  return path.split('.').find(isUnsafeKey);
}

/** A dot path's segments; throws {@link UnsafePathError} when one reaches a prototype. */
export function pathSegments(path: string): string[] {
  const segments = path.split('.');
  const bad = segments.find(isUnsafeKey);
  if (bad !== undefined) throw new UnsafePathError(path, bad);
  return segments;
}

/** A value's own property (strings and arrays included: `length`, indexes); else undefined. */
export function ownValue(node: unknown, key: string): unknown {
  if (node === null || node === undefined || isUnsafeKey(key)) return undefined;
  if (typeof node !== 'object' && typeof node !== 'string') return undefined;
  return Object.hasOwn(node as object, key) ? (node as Record<string, unknown>)[key] : undefined;
}

/**
 * Reads a dot path through own properties only; undefined when a step is absent or reaches a
 * prototype (a read never sees `toString`, `constructor` or a polluted `Object.prototype`).
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = ownValue(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * Returns a copy of `root` with `value` written at the dot path, copying only the objects on
 * the way (structural sharing); the input is never mutated. Missing objects are created.
 * Throws {@link UnsafePathError} for a path through `__proto__`, `constructor` or `prototype`.
 */
export function setPath(
  root: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const keys = pathSegments(path);
  const write = (node: unknown, i: number): unknown => {
    const key = keys[i];
    const isIndex = Array.isArray(node) && /^\d+$/.test(key);
    const copy: Record<string, unknown> | unknown[] = Array.isArray(node)
      ? node.slice()
      : node !== null && typeof node === 'object'
        ? { ...(node as Record<string, unknown>) }
        : {};
    const slot = isIndex ? Number(key) : key;
    const target = copy as Record<string | number, unknown>;
    target[slot] = i === keys.length - 1 ? value : write(ownValue(copy, key), i + 1);
    return copy;
  };
  return write(root, 0) as Record<string, unknown>;
}

/** `a.b` + value → `{ a: { b: value } }` (a merge patch writing the value at the path). */
export function patchAt(path: string, value: unknown): Record<string, unknown> {
  return pathSegments(path).reduceRight<unknown>(
    (inner, key) => ({ [key]: inner }),
    value,
  ) as Record<string, unknown>;
}

/**
 * The JSON pointer of a key anywhere in a JSON value that reaches a prototype, or
 * undefined. Iterative, so a deeply nested value cannot exhaust the stack.
 */
export function findUnsafeKey(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const entries = Array.isArray(node)
      ? node.map((v, i) => [String(i), v] as const)
      : Object.entries(node);
    for (const [key, child] of entries) {
      const here = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!Array.isArray(node) && isUnsafeKey(key)) return here;
      stack.push([child, here]);
    }
  }
  return undefined;
}
