/** Builds a JSON pointer (RFC 6901) from path segments: `['lines', 0, 'qty']` → `/lines/0/qty`. */
export function pointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

/** Turns a dot path (`customer.tier`, as `set` actions and rules use) into a JSON pointer. */
export function dotPathToPointer(path: string): string {
  return path === '' ? '' : pointer(path.split('.'));
}
