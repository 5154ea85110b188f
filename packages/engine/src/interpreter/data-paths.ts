/** Reads a dot path (`customer.tier`, `lines.0.sku`) from a value; undefined when absent. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Returns a copy of `root` with `value` written at the dot path, copying only the objects on
 * the way (structural sharing); the input is never mutated. Missing objects are created.
 */
export function setPath(
  root: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const keys = path.split('.');
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
    target[slot] = i === keys.length - 1 ? value : write(target[slot], i + 1);
    return copy;
  };
  return write(root, 0) as Record<string, unknown>;
}
