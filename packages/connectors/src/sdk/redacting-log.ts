import type { ConnectorLog } from './define-connector';

/** The credential's values worth blanking (shorter ones would blank ordinary text). */
export const secretValues = (credentials: Record<string, string> = {}): string[] =>
  Object.values(credentials).filter((v) => typeof v === 'string' && v.length >= 4);

/** The text with every secret, raw or URL-encoded, replaced by `***`. */
export function blankSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets)
    out = out.split(secret).join('***').split(encodeURIComponent(secret)).join('***');
  return out;
}

/**
 * The action's log with the credential's values blanked out of every message and field: an
 * action that logs a URL or a request it built must not write its token into the server log.
 */
export function redactingLog(
  log: ConnectorLog,
  credentials?: Record<string, string>,
): ConnectorLog {
  const secrets = secretValues(credentials);
  if (!secrets.length) return log;
  const fieldsOf = (fields?: Record<string, unknown>) =>
    fields === undefined
      ? undefined
      : (JSON.parse(blankSecrets(JSON.stringify(fields), secrets)) as Record<string, unknown>);
  return {
    info: (message, fields) => log.info(blankSecrets(message, secrets), fieldsOf(fields)),
    warn: (message, fields) => log.warn(blankSecrets(message, secrets), fieldsOf(fields)),
  };
}
