/** Keys whose values are secrets, hashes or tokens: an audit entry shows that they changed, never what. */
const SECRET_KEYS =
  /^(secret|secrets|password|passwordhash|password_hash|keyhash|key_hash|key|token|ciphertext|iv|tag|apikey|api_key|authorization)$/i;

/** The marker that replaces a secret in an audit entry. */
export const REDACTED = '[redacted]';

/**
 * A copy of `value` fit for the audit log: every value under a secret-like key (a secret, a
 * password or its hash, a key or token) is replaced by {@link REDACTED}, at any depth.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = SECRET_KEYS.test(k) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
