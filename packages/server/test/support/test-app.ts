import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import { createApp, type OrdoApp } from '../../src/app.factory';
import type { DatabaseConfig, OrdoConfig } from '../../src/config/ordo-config';
import type { RuntimeClock } from '../../src/runtime/runtime-clock';

export type DatabaseKind = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too when DATABASE_URL names one (CI sets it). */
export function databaseKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL?.startsWith('postgres') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty database of the kind, and how to remove it. */
export async function freshDatabase(
  kind: DatabaseKind,
): Promise<{ database: DatabaseConfig; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'ordo-db-'));
    return {
      database: { kind: 'sqlite', file: path.join(dir, 'ordo.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.DATABASE_URL!;
  const name = `ordo_test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    async drop() {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A running server on a free port with a fresh database. */
export interface TestApp {
  server: OrdoApp;
  url: string;
  adminKey: string;
  /** fetch against the server as the admin key (or `as` another token); JSON in and out. */
  call(
    method: string,
    route: string,
    body?: unknown,
    options?: { as?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts the server for a test file. Close it in afterAll. */
export async function startTestApp(
  options: {
    db: DatabaseKind;
    config?: Partial<OrdoConfig>;
    database?: DatabaseConfig;
    clock?: RuntimeClock;
    runEffects?: boolean;
    /** Where the server's log lines go (a test that reads them); quiet but errors otherwise. */
    logStream?: DestinationStream;
  } = {
    db: 'sqlite',
  },
): Promise<TestApp> {
  const fresh = options.database
    ? { database: options.database, drop: async () => undefined }
    : await freshDatabase(options.db);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ordo-data-'));
  const adminKey = `test-admin-${randomBytes(12).toString('hex')}`;
  // Keys derived from the database: two apps on one database (cluster tests) share them, as
  // every process of a cluster must (config/shared-keys.ts); a test may pass others.
  const where = fresh.database.kind === 'sqlite' ? fresh.database.file : fresh.database.url;
  const keyFor = (label: string) =>
    createHash('sha256').update(`${label}:${where}`).digest('base64url');
  const config: OrdoConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    database: fresh.database,
    adminKey,
    bodyLimit: 1024 * 1024,
    jwtSecret: keyFor('jwt'),
    secretKey: keyFor('secret'),
    connectors: [],
    outboundAllow: [],
    effectLeaseMs: 30_000,
    webhookRetryMs: 50,
    corsOrigins: [],
    trustProxy: false,
    // Tests drive the public endpoints hard; the rate-limit tests set their own limits.
    rateLimit: { windowMs: 60_000, loginPerIp: 1e9, loginPerAccount: 1e9, hooksPerIp: 1e9 },
    ...options.config,
  };
  const server = await createApp(config, {
    logger: config.logLevel ? undefined : ['error'],
    logStream: options.logStream,
    clock: options.clock,
    runEffects: options.runEffects,
  });
  const url = await server.listen();
  return {
    server,
    url,
    adminKey,
    async call(method, route, body, opts = {}) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          ...(opts.as !== '' && { authorization: `Bearer ${opts.as ?? adminKey}` }),
          ...(body !== undefined || opts.raw !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...opts.headers,
        },
        body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await server.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
