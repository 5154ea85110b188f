import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config/ordo-config';
import { orderData, publishFlow } from './support/flows';
import { startOrdoProcess } from './support/ordo-process';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';

/**
 * Finding 10 (tokens, CORS, media types, the SQLite file) and the shared keys of cluster mode.
 */
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An HS256 token signed with the server's own secret, with exactly these claims. */
function token(secret: string, claims: object): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
const mode = (file: string) => statSync(file).mode & 0o777;

describe.each(databaseKinds())('tokens, CORS and media types on %s', (db) => {
  let app: TestApp;
  let ownerId: string;
  beforeAll(async () => {
    app = await startTestApp({ db, config: { corsOrigins: ['https://ordo.example.com'] } });
    const setup = await app.call(
      'POST',
      '/api/auth/setup',
      { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' },
      { as: '' },
    );
    ownerId = setup.body.user.id;
    await publishFlow(app);
  });
  afterAll(() => app.close());

  const me = (bearer: string) => app.call('GET', '/api/auth/me', undefined, { as: bearer });

  it('refuses a validly signed token without exp, or living longer than the server issues', async () => {
    const secret = app.server.config.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: ownerId, roles: ['admin'], iat: now };
    expect((await me(token(secret, { ...claims, exp: now + 3600 }))).status).toBe(200);
    const forever = await me(token(secret, claims));
    expect(forever.status).toBe(401);
    expect(forever.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await me(token(secret, { ...claims, exp: now + 10 * 365 * 86400 }))).status).toBe(401);
    expect(
      (await me(token(secret, { sub: ownerId, roles: ['admin'], exp: now + 60 }))).status,
    ).toBe(401);
    // API keys are not tokens: they keep working, and so does a login token.
    const key = await app.call('POST', '/api/keys', { name: 'ci', roles: ['viewer'] });
    expect((await me(key.body.key)).status).toBe(200);
    const login = await app.call(
      'POST',
      '/api/auth/login',
      { email: 'owner@example.com', password: 'correct horse battery' },
      { as: '' },
    );
    expect((await me(login.body.token)).status).toBe(200);
  });

  it('answers CORS only for the origins ORDO_CORS_ORIGINS lists', async () => {
    const ask = (origin: string) =>
      fetch(`${app.url}/api/orders`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const foreign = await ask('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${app.url}/api/health`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('access-control-allow-credentials')).toBeNull();
    const listed = await ask('https://ordo.example.com');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://ordo.example.com');
  });

  it('answers CORS for nobody by default', async () => {
    const plain = await startTestApp({ db });
    try {
      const answer = await fetch(`${plain.url}/api/health`, {
        headers: { origin: 'https://evil.example' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });

  it('answers a text/plain or form body with 415 and writes nothing; JSON uploads still work', async () => {
    const body = JSON.stringify({ flow: 'standard-order', data: orderData() });
    for (const [route, type, raw] of [
      ['/api/orders', 'text/plain', body],
      ['/api/orders', 'text/plain;charset=utf-8', body],
      ['/api/orders', 'application/x-www-form-urlencoded', 'flow=standard-order'],
      ['/api/auth/login', 'text/plain', '{"email":"owner@example.com","password":"x"}'],
      ['/api/hooks/standard-order/none', 'text/plain', '{}'],
    ]) {
      const answer = await app.call('POST', route, undefined, {
        raw,
        headers: { 'content-type': type },
      });
      expect(answer.status).toBe(415);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(answer.body.code).toBe('unsupported_media_type');
    }
    expect((await app.call('GET', '/api/orders')).body.items).toHaveLength(0);
    const imported = await app.call('POST', '/api/flows/standard-order/imports', {
      format: 'jsonl',
      content: JSON.stringify(orderData()),
    });
    expect(imported.status).toBeLessThan(300);
    expect((await app.call('GET', '/api/orders')).body.items).toHaveLength(1);
  });
});

describe('edge settings', () => {
  const load = (env: Record<string, string>) =>
    loadConfig(
      { ORDO_JWT_SECRET: 'x'.repeat(32), ...env },
      mkdtempSync(path.join(tmpdir(), 'ordo-config-')),
    );

  it('trust no proxy and allow no foreign origin unless told, and refuse vague values', () => {
    expect(load({})).toMatchObject({ corsOrigins: [], trustProxy: false });
    expect(
      load({ ORDO_CORS_ORIGINS: 'https://ordo.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://ordo.example.com', 'http://localhost:5173']);
    expect(load({ ORDO_TRUST_PROXY: '10.0.0.0/8,::1' }).trustProxy).toEqual(['10.0.0.0/8', '::1']);
    expect(load({ ORDO_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(() => load({ ORDO_TRUST_PROXY: 'true' })).toThrow(
      /ORDO_TRUST_PROXY=true: name the proxies/,
    );
    expect(() => load({ ORDO_CORS_ORIGINS: '*' })).toThrow(
      /ORDO_CORS_ORIGINS: "\*" is not an origin/,
    );
    expect(() => load({ ORDO_CORS_ORIGINS: 'https://ordo.example.com/app' })).toThrow(
      /is not an origin/,
    );
    expect(() => load({ ORDO_RATE_LOGIN_IP: '0' })).toThrow(/ORDO_RATE_LOGIN_IP=0/);
  });
});

describe('the SQLite file', () => {
  it('is created 0600 with its -wal and -shm, and an existing 0644 one is tightened', async () => {
    const fresh = await freshDatabase('sqlite');
    const file = (fresh.database as { file: string }).file;
    let app = await startTestApp({ db: 'sqlite', database: fresh.database });
    try {
      await publishFlow(app);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f).toString(8)).toBe('600');
      await app.close();
      chmodSync(file, 0o644);
      app = await startTestApp({ db: 'sqlite', database: fresh.database });
      expect(mode(file).toString(8)).toBe('600');
    } finally {
      await app.close();
      await fresh.drop();
    }
  });
});

const cluster =
  databaseKinds().includes('postgres') && process.env.REDIS_URL ? describe : describe.skip;
cluster('shared keys in cluster mode (PostgreSQL + Redis)', () => {
  it('refuses to start a process whose signing or sealing key differs, naming the setting', async () => {
    const fresh = await freshDatabase('postgres');
    const keys = { jwtSecret: 'cluster-jwt-secret-0123456789', secretKey: 'c'.repeat(40) };
    const config = { redisUrl: process.env.REDIS_URL, ...keys };
    const first = await startTestApp({ db: 'postgres', database: fresh.database, config });
    try {
      const second = await startTestApp({ db: 'postgres', database: fresh.database, config });
      await second.close();
      await expect(
        startTestApp({
          db: 'postgres',
          database: fresh.database,
          config: { ...config, jwtSecret: 'another-jwt-secret-0123456789' },
        }),
      ).rejects.toThrow(
        /ORDO_JWT_SECRET: .*every process must be started with the same ORDO_JWT_SECRET/,
      );
      const sealing = startTestApp({
        db: 'postgres',
        database: fresh.database,
        config: { ...config, secretKey: 'd'.repeat(40) },
      });
      await expect(sealing).rejects.toBeInstanceOf(ConfigError);
      await expect(sealing).rejects.toThrow(/ORDO_SECRET_KEY/);
      // What the database holds identifies the keys, never reveals them.
      const rows = await first.server.db.query<{ name: string; fingerprint: string }>(
        'SELECT name, fingerprint FROM key_fingerprints ORDER BY name',
      );
      expect(rows.map((r) => r.name)).toEqual(['jwt', 'secret']);
      for (const row of rows) {
        expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(row.fingerprint).not.toContain(keys.jwtSecret);
      }

      // `ordo start` with a key of its own (generated into its data dir) stops and says why.
      const started = startOrdoProcess(
        {
          DATABASE_URL: (fresh.database as { url: string }).url,
          REDIS_URL: process.env.REDIS_URL!,
          ORDO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ordo-keys-')),
          ORDO_SECRET_KEY: keys.secretKey,
        },
        `admin-${randomBytes(12).toString('hex')}`,
      );
      await expect(started).rejects.toThrow(/exited \(1\).*ORDO_JWT_SECRET/s);
    } finally {
      await first.close();
      await fresh.drop();
    }
  });
});
