import pino, { type DestinationStream, type Logger } from 'pino';

/** The levels `ORDO_LOG_LEVEL` accepts, most to least verbose, then `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type OrdoLogLevel = (typeof LOG_LEVELS)[number];

export const isLogLevel = (value: string): value is OrdoLogLevel =>
  (LOG_LEVELS as readonly string[]).includes(value);

const CENSOR = '[redacted]';

/**
 * Paths blanked in every log line, whatever logged it: request headers that carry a secret
 * (bearer tokens, API keys, cookies, webhook signatures) and any field named like a secret one
 * level deep (a connector's `fields`, an error's `details`).
 */
export const REDACTED_PATHS = [
  'request.headers.authorization',
  'request.headers.cookie',
  'request.headers["x-api-key"]',
  'request.headers["webhook-signature"]',
  'request.headers["x-hub-signature"]',
  'request.headers["x-hub-signature-256"]',
  'request.headers["x-signature"]',
  'request.headers["proxy-authorization"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.credentials',
  '*.authorization',
];

/** One JSON line per entry to `destination` (stdout by default), secrets redacted. */
export function createLogger(level: OrdoLogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ordo' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
