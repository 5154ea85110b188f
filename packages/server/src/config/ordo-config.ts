import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { hostPatternProblem } from '@ordo/connectors';

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
  /** First back-off of a failed outbound webhook delivery (doubled each attempt, up to 1 h). */
  webhookRetryMs: number;
  /** How long an `Idempotency-Key` in-progress mark holds without renewal (ms; default 30 s). */
  idempotencyLeaseMs?: number;
}

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
  ORDO_WEBHOOK_RETRY_MS: 'webhookRetryMs',
  ORDO_IDEMPOTENCY_LEASE_MS: 'idempotencyLeaseMs',
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
  const webhookRetryMs = int('webhookRetryMs', 'ORDO_WEBHOOK_RETRY_MS', 10_000, 10, 3_600_000);
  const idempotencyLeaseMs = int(
    'idempotencyLeaseMs',
    'ORDO_IDEMPOTENCY_LEASE_MS',
    30_000,
    1000,
    3_600_000,
  );
  const dataDir = path.resolve(cwd, String(raw.dataDir ?? './data'));

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
  const secretKey = raw.secretKey === undefined ? undefined : String(raw.secretKey);
  if (secretKey !== undefined && secretKey.length < 32)
    problems.push('ORDO_SECRET_KEY: must be at least 32 characters');

  const outboundAllow = list(raw.outboundAllow);
  for (const entry of outboundAllow) {
    const problem = hostPatternProblem(entry, 'allow');
    if (problem) problems.push(`ORDO_OUTBOUND_ALLOW: ${problem}`);
  }

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
    webhookRetryMs,
    idempotencyLeaseMs,
  };
}

/** The designer's build output in this checkout (packages/designer/dist), if any. */
/** The repository's templates/ folder (beside packages/). */
export const DEFAULT_TEMPLATES_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'templates');

function defaultDesignerDir(): string | undefined {
  return path.resolve(__dirname, '..', '..', '..', 'designer', 'dist');
}
