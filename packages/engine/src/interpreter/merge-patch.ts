import { isUnsafeKey, UnsafePathError } from '../json/safe-path';

/**
 * Applies a JSON merge patch (RFC 7386) without mutating either argument: objects merge
 * key by key, `null` deletes a key, anything else (arrays included) replaces. Throws
 * {@link UnsafePathError} for a key that reaches a prototype (`__proto__`, `constructor`,
 * `prototype`); `CompiledFlow.update` refuses such a patch before it gets here.
 */
export function applyMergePatch(target: unknown, patch: unknown, at = ''): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const path = at ? `${at}.${key}` : key;
    if (isUnsafeKey(key)) throw new UnsafePathError(path, key);
    if (value === null) delete base[key];
    else base[key] = applyMergePatch(Object.hasOwn(base, key) ? base[key] : undefined, value, path);
  }
  return base;
}
