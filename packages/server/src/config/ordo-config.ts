import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { hostPatternProblem } from '@ordo/connectors';
import { isLogLevel, LOG_LEVELS, type OrdoLogLevel } from '../logging/logger';

/** Where orders are stored: an SQLite file (embedded) or PostgreSQL (cluster). */
export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** The server's configuration, validated. Sources: environment, then `ordo.config.json`. */
export interface OrdoConfig {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  /** An admin API key for automation (`ORDO_ADMIN_KEY`). */
  adminKey?: string;
  /** Redis for cluster mode (live events between processes: the socket.io adapter). */
  redisUrl?: string;
  /** Key for encrypting connector credentials (runtime issue). */
  secretKey?: string;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /** Secret that signs login tokens; generated into the data dir when not given. */
  jwtSecret: string;
  /** Built designer assets served at `/`, when present. */
  designerDir?: string;
  /** Where the industry templates are (one folder each); default the repository's templates/. */
  templatesDir?: string;
  /** Modules of installed connectors (compiled JavaScript exporting `defineConnector` results). */
  connectors: string[];
  /**
   * host:port patterns outbound calls may reach although private: `wms.internal:443`,
   * `10.0.0.7:8080`, `10.1.0.0/16:443`, `[fd00::/8]:*`, `127.0.0.1:*`, `*:*` (every port is
   * always written: a bare host is refused, it would open every port of the host).
   */
  outboundAllow: string[];
  /** How long a claimed effect stays leased without renewal (ms). */
  effectLeaseMs: number;
  /**
   * Longest sleep of the effect dispatcher and the timer poller between looks for work no wake
   * told them of (ms; default 1000). In cluster mode the processes wake each other through
   * Redis, so the poll only catches what a lost wake missed.
   */
  pollMs?: number;
  /** First back-off of a failed outbound webhook delivery (doubled each attempt, up to 1 h). */
  webhookRetryMs: number;
  /** How long an `Idempotency-Key` in-progress mark holds without renewal (ms; default 30 s). */
  idempotencyLeaseMs?: number;
  /**
   * Up to how many durations of a kind (cycle times, stays, measures) a whole-day analytics
   * window reads exact percentiles from the journey rows; above, from the day roll-up's buckets
   * (within 1%). Default 20,000.
   */
  analyticsExactUpTo?: number;
  /** Origins (`https://host[:port]`) browsers may call the API from; none: same origin only. */
  corsOrigins: string[];
  /**
   * Whose `X-Forwarded-For` to believe for the client address: false (nobody: the socket's
   * peer is the client), a number of proxy hops, or the proxies' addresses / CIDR blocks.
   */
  trustProxy: false | number | string[];
  /** Requests per client address (and per account, for sign-in) per window. */
  rateLimit: RateLimitConfig;
  /** Least severe log level written (`ORDO_LOG_LEVEL`; default `info`). */
  logLevel?: OrdoLogLevel;
  /** Bearer token a Prometheus scraper presents at `/api/metrics` (`ORDO_METRICS_TOKEN`). */
  metricsToken?: string;
  /** Orders by e-mail: the SMTP receiver (off unless `ORDO_SMTP_PORT`) and where answers go out. */
  mail?: MailConfig;
}

/** The SMTP receiver of orders by e-mail and the mail server its answers are sent through. */
export interface MailConfig {
  /**
   * Sender domains accepted (`ORDO_SMTP_ALLOW`), at the SMTP receiver and in polled IMAP
   * mailboxes alike; `smtp.allow` is the same list.
   */
  allow?: string[];
  /** Listens when given (`ORDO_SMTP_PORT`); off by default. */
  smtp?: {
    port: number;
    host: string;
    /** Sender domains accepted (`acme.example`, `*.acme.example`); every other is refused 550. */
    allow: string[];
    /** Largest message accepted, bytes (default 10 MB). */
    maxBytes: number;
  };
  /** The answers' mail server (`ORDO_MAIL_HOST`); without it messages are recorded unanswered. */
  outbound?: {
    host: string;
    port: number;
    secure: boolean;
    from: string;
    username?: string;
    password?: string;
  };
}

/** The public endpoints' rate limits: how many requests each key may make per window. */
export interface RateLimitConfig {
  windowMs: number;
  /** Sign-in and first-run setup attempts per client address. */
  loginPerIp: number;
  /** Sign-in attempts per account (email), from any address. */
  loginPerAccount: number;
  /** Inbound webhook deliveries (`/api/hooks/*`) per client address. */
  hooksPerIp: number;
}

/** `analyticsExactUpTo` when none is configured. */
export const ANALYTICS_EXACT_UP_TO = 20_000;

/** The rate limits when none are configured (the public endpoints are always limited). */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  windowMs: 60_000,
  loginPerIp: 30,
  loginPerAccount: 10,
  hooksPerIp: 1200,
};

/** A configuration that cannot start the server; lists every bad value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const KEYS = {
  PORT: 'port',
  HOST: 'host',
  ORDO_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  ORDO_ADMIN_KEY: 'adminKey',
  REDIS_URL: 'redisUrl',
  ORDO_SECRET_KEY: 'secretKey',
  ORDO_BODY_LIMIT: 'bodyLimit',
  ORDO_JWT_SECRET: 'jwtSecret',
  ORDO_DESIGNER_DIR: 'designerDir',
  ORDO_TEMPLATES_DIR: 'templatesDir',
  ORDO_CONNECTORS: 'connectors',
  ORDO_OUTBOUND_ALLOW: 'outboundAllow',
  ORDO_EFFECT_LEASE_MS: 'effectLeaseMs',
  ORDO_POLL_MS: 'pollMs',
  ORDO_WEBHOOK_RETRY_MS: 'webhookRetryMs',
  ORDO_IDEMPOTENCY_LEASE_MS: 'idempotencyLeaseMs',
  ORDO_ANALYTICS_EXACT_UP_TO: 'analyticsExactUpTo',
  ORDO_CORS_ORIGINS: 'corsOrigins',
  ORDO_TRUST_PROXY: 'trustProxy',
  ORDO_RATE_WINDOW_MS: 'rateWindowMs',
  ORDO_RATE_LOGIN_IP: 'rateLoginIp',
  ORDO_RATE_LOGIN_USER: 'rateLoginUser',
  ORDO_RATE_HOOKS_IP: 'rateHooksIp',
  ORDO_LOG_LEVEL: 'logLevel',
  ORDO_METRICS_TOKEN: 'metricsToken',
  ORDO_SMTP_PORT: 'smtpPort',
  ORDO_SMTP_HOST: 'smtpHost',
  ORDO_SMTP_ALLOW: 'smtpAllow',
  ORDO_SMTP_MAX_BYTES: 'smtpMaxBytes',
  ORDO_MAIL_HOST: 'mailHost',
  ORDO_MAIL_PORT: 'mailPort',
  ORDO_MAIL_SECURE: 'mailSecure',
  ORDO_MAIL_FROM: 'mailFrom',
  ORDO_MAIL_USER: 'mailUser',
  ORDO_MAIL_PASSWORD: 'mailPassword',
} as const;

type Raw = Partial<Record<(typeof KEYS)[keyof typeof KEYS], string | number | string[]>>;

/** A list setting: an array in the file, comma-separated in the environment. */
const list = (value: Raw[keyof Raw]): string[] =>
  value === undefined
    ? []
    : (Array.isArray(value) ? value : String(value).split(','))
        .map((v) => String(v).trim())
        .filter(Boolean);

function readFileConfig(file: string, problems: string[]): Raw {
  if (!existsSync(file)) return {};
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${file}: must be a JSON object`);
      return {};
    }
    const known = new Set(Object.values(KEYS) as string[]);
    for (const key of Object.keys(value))
      if (!known.has(key))
        problems.push(`${file}: unknown setting "${key}" (known: ${[...known].join(', ')})`);
    return value as Raw;
  } catch (error) {
    problems.push(`${file}: invalid JSON (${(error as Error).message})`);
    return {};
  }
}

function jwtSecretIn(dataDir: string): string {
  const file = path.join(dataDir, 'jwt.secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * Loads and validates the configuration: environment variables win over `ordo.config.json`
 * (in `cwd`, or the file `ORDO_CONFIG` names). Throws ConfigError naming every bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): OrdoConfig {
  const problems: string[] = [];
  const fromFile = readFileConfig(
    path.resolve(cwd, env.ORDO_CONFIG ?? 'ordo.config.json'),
    problems,
  );
  const raw: Raw = { ...fromFile };
  for (const [name, key] of Object.entries(KEYS))
    if (env[name] !== undefined && env[name] !== '') raw[key] = env[name];

  const int = (
    key: keyof Raw,
    name: string,
    fallback: number,
    min: number,
    max: number,
  ): number => {
    const value = raw[key];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${String(value)}: must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const port = int('port', 'PORT', 3000, 0, 65535);
  const bodyLimit = int('bodyLimit', 'ORDO_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024);
  const effectLeaseMs = int('effectLeaseMs', 'ORDO_EFFECT_LEASE_MS', 30_000, 1000, 3_600_000);
  const pollMs = int('pollMs', 'ORDO_POLL_MS', 1000, 10, 600_000);
  const webhookRetryMs = int('webhookRetryMs', 'ORDO_WEBHOOK_RETRY_MS', 10_000, 10, 3_600_000);
  const idempotencyLeaseMs = int(
    'idempotencyLeaseMs',
    'ORDO_IDEMPOTENCY_LEASE_MS',
    30_000,
    1000,
    3_600_000,
  );
  const analyticsExactUpTo = int(
    'analyticsExactUpTo',
    'ORDO_ANALYTICS_EXACT_UP_TO',
    ANALYTICS_EXACT_UP_TO,
    0,
    1e9,
  );
  const dataDir = path.resolve(cwd, String(raw.dataDir ?? './data'));
  const rateLimit: RateLimitConfig = {
    windowMs: int(
      'rateWindowMs',
      'ORDO_RATE_WINDOW_MS',
      DEFAULT_RATE_LIMIT.windowMs,
      1000,
      86_400_000,
    ),
    loginPerIp: int('rateLoginIp', 'ORDO_RATE_LOGIN_IP', DEFAULT_RATE_LIMIT.loginPerIp, 1, 1e9),
    loginPerAccount: int(
      'rateLoginUser',
      'ORDO_RATE_LOGIN_USER',
      DEFAULT_RATE_LIMIT.loginPerAccount,
      1,
      1e9,
    ),
    hooksPerIp: int('rateHooksIp', 'ORDO_RATE_HOOKS_IP', DEFAULT_RATE_LIMIT.hooksPerIp, 1, 1e9),
  };
  const corsOrigins = list(raw.corsOrigins);
  for (const origin of corsOrigins) {
    let normal: string | undefined;
    try {
      normal = new URL(origin).origin;
    } catch {
      normal = undefined;
    }
    if (normal !== origin || !/^https?:/.test(origin))
      problems.push(
        `ORDO_CORS_ORIGINS: "${origin}" is not an origin; write scheme://host[:port], e.g. https://ordo.example.com (no path, no *)`,
      );
  }
  const trustProxy = readTrustProxy(raw.trustProxy, problems);

  let database: DatabaseConfig = { kind: 'sqlite', file: path.join(dataDir, 'ordo.db') };
  const url = raw.databaseUrl === undefined ? undefined : String(raw.databaseUrl);
  if (url?.startsWith('postgres://') || url?.startsWith('postgresql://'))
    database = { kind: 'postgres', url };
  else if (url?.startsWith('sqlite:'))
    database = {
      kind: 'sqlite',
      file: path.resolve(cwd, url.slice('sqlite:'.length).replace(/^\/\//, '')),
    };
  else if (url !== undefined)
    problems.push(
      `DATABASE_URL=${url}: use postgres://user@host:5432/db, or sqlite:<file> (default: an SQLite file in the data dir)`,
    );

  const redisUrl = raw.redisUrl === undefined ? undefined : String(raw.redisUrl);
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL=${redisUrl}: must start with redis:// or rediss://`);
  if (redisUrl !== undefined && database.kind !== 'postgres')
    problems.push(
      'REDIS_URL is set (cluster mode) but DATABASE_URL is not PostgreSQL: cluster mode shares one PostgreSQL database',
    );

  const adminKey = raw.adminKey === undefined ? undefined : String(raw.adminKey);
  if (adminKey !== undefined && adminKey.length < 16)
    problems.push('ORDO_ADMIN_KEY: must be at least 16 characters');
  const metricsToken = raw.metricsToken === undefined ? undefined : String(raw.metricsToken);
  if (metricsToken !== undefined && metricsToken.length < 16)
    problems.push('ORDO_METRICS_TOKEN: must be at least 16 characters');
  const secretKey = raw.secretKey === undefined ? undefined : String(raw.secretKey);
  if (secretKey !== undefined && secretKey.length < 32)
    problems.push('ORDO_SECRET_KEY: must be at least 32 characters');

  const outboundAllow = list(raw.outboundAllow);
  for (const entry of outboundAllow) {
    const problem = hostPatternProblem(entry, 'allow');
    if (problem) problems.push(`ORDO_OUTBOUND_ALLOW: ${problem}`);
  }

  const logLevel = String(raw.logLevel ?? 'info').toLowerCase();
  if (!isLogLevel(logLevel))
    problems.push(
      `ORDO_LOG_LEVEL=${String(raw.logLevel)}: must be one of ${LOG_LEVELS.join(', ')}`,
    );

  const mail = readMail(raw, int, list, problems);

  if (problems.length) throw new ConfigError(problems);
  const designerDir =
    raw.designerDir !== undefined
      ? path.resolve(cwd, String(raw.designerDir))
      : defaultDesignerDir();
  return {
    port,
    host: String(raw.host ?? '0.0.0.0'),
    dataDir,
    database,
    adminKey,
    redisUrl,
    secretKey,
    bodyLimit,
    jwtSecret: raw.jwtSecret !== undefined ? String(raw.jwtSecret) : jwtSecretIn(dataDir),
    designerDir:
      designerDir && existsSync(path.join(designerDir, 'index.html')) ? designerDir : undefined,
    ...(raw.templatesDir !== undefined && {
      templatesDir: path.resolve(cwd, String(raw.templatesDir)),
    }),
    connectors: list(raw.connectors).map((file) => path.resolve(cwd, file)),
    outboundAllow,
    effectLeaseMs,
    pollMs,
    webhookRetryMs,
    idempotencyLeaseMs,
    analyticsExactUpTo,
    corsOrigins,
    trustProxy,
    rateLimit,
    logLevel: logLevel as OrdoLogLevel,
    ...(metricsToken !== undefined && { metricsToken }),
    ...(mail && { mail }),
  };
}

const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const ADDRESS = /^[^@\s<>]+@[^@\s<>]+$/;

/** The e-mail settings: the receiver only with a port, the answers' server only with a host. */
function readMail(
  raw: Raw,
  int: (key: keyof Raw, name: string, fallback: number, min: number, max: number) => number,
  list: (value: Raw[keyof Raw]) => string[],
  problems: string[],
): MailConfig | undefined {
  const mail: MailConfig = {};
  const allow = list(raw.smtpAllow).map((d) => d.toLowerCase());
  for (const domain of allow)
    if (!DOMAIN.test(domain))
      problems.push(
        `ORDO_SMTP_ALLOW: "${domain}" is not a domain (write acme.example or *.acme.example; "*" alone is not accepted)`,
      );
  // The same list for polled mailboxes (IMAP), with or without the receiver.
  if (allow.length) mail.allow = allow;
  if (raw.smtpPort !== undefined) {
    if (!allow.length)
      problems.push(
        'ORDO_SMTP_ALLOW: the SMTP receiver is on (ORDO_SMTP_PORT) but accepts no sender: name the sender domains, comma-separated (acme.example,*.stores.example)',
      );
    mail.smtp = {
      port: int('smtpPort', 'ORDO_SMTP_PORT', 2525, 0, 65535),
      host: String(raw.smtpHost ?? '0.0.0.0'),
      allow,
      maxBytes: int(
        'smtpMaxBytes',
        'ORDO_SMTP_MAX_BYTES',
        10 * 1024 * 1024,
        1024,
        100 * 1024 * 1024,
      ),
    };
  }
  if (raw.mailHost !== undefined) {
    const from = String(raw.mailFrom ?? '');
    if (!ADDRESS.test(from))
      problems.push(
        `ORDO_MAIL_FROM=${from}: the answers' sender address is required with ORDO_MAIL_HOST (orders@acme.example)`,
      );
    const secure = String(raw.mailSecure ?? 'false').toLowerCase();
    if (secure !== 'true' && secure !== 'false')
      problems.push(
        `ORDO_MAIL_SECURE=${secure}: must be true (TLS from the first byte, port 465) or false`,
      );
    mail.outbound = {
      host: String(raw.mailHost),
      port: int('mailPort', 'ORDO_MAIL_PORT', 587, 1, 65535),
      secure: secure === 'true',
      from,
      ...(raw.mailUser !== undefined && { username: String(raw.mailUser) }),
      ...(raw.mailPassword !== undefined && { password: String(raw.mailPassword) }),
    };
  }
  return mail.smtp || mail.outbound || mail.allow ? mail : undefined;
}

/** `ORDO_TRUST_PROXY`: unset/false/0, a number of hops, or proxy addresses and CIDR blocks. */
function readTrustProxy(value: Raw[keyof Raw], problems: string[]): false | number | string[] {
  if (value === undefined) return false;
  const text = String(value).trim();
  if (text === 'false' || text === '0') return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const proxies = list(value);
  for (const proxy of proxies) {
    const [address, bits, ...rest] = proxy.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (
      !family ||
      rest.length ||
      (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
    )
      problems.push(
        `ORDO_TRUST_PROXY=${text}: name the proxies in front of Ordo (addresses or CIDR blocks, comma-separated) or their number of hops; "${proxy}" is neither (true is not accepted: it would believe any client's X-Forwarded-For)`,
      );
  }
  return proxies.length ? proxies : false;
}

/** The designer's build output in this checkout (packages/designer/dist), if any. */
/** The repository's templates/ folder (beside packages/). */
export const DEFAULT_TEMPLATES_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'templates');

function defaultDesignerDir(): string | undefined {
  return path.resolve(__dirname, '..', '..', '..', 'designer', 'dist');
}
