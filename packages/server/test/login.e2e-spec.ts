import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { loadConfig } from '../src/config/ordo-config';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';

/**
 * Finding 5: login as a denial of service, and account enumeration. Hashing runs off the event
 * loop (scrypt in libuv's pool, bounded), unknown accounts cost the same as known ones, long
 * passwords are refused rather than cut at 72 bytes, and sign-in, setup and inbound webhooks
 * are rate-limited per client address and per account, with 429 problems and Retry-After.
 */
type Answer = Awaited<ReturnType<TestApp['call']>>;

const OWNER = { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' };
const login = (app: TestApp, email: string, password: string, headers?: Record<string, string>) =>
  app.call('POST', '/api/auth/login', { email, password }, { as: '', headers });

function expectProblem(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function timed(run: () => Promise<Answer>): Promise<number> {
  const started = performance.now();
  expect((await run()).status).toBe(401);
  return performance.now() - started;
}

describe.each(databaseKinds())('sign-in on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db });
    expect((await app.call('POST', '/api/auth/setup', OWNER, { as: '' })).status).toBe(201);
  });
  afterAll(() => app.close());

  it('keeps the event loop and /health answering through 200 parallel wrong logins', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let settled = false;
    const flood = Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        login(app, i % 2 ? OWNER.email : `nobody-${i}@example.com`, `wrong password ${i}`),
      ),
    ).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const health = await app.call('GET', '/api/health', undefined, { as: '' });
    const healthMs = performance.now() - started;
    const floodDoneBeforeHealth = settled;
    const answers = await flood;
    delay.disable();

    expect(health.status).toBe(200);
    // The server answered health while the flood was still being worked through.
    expect(healthMs).toBeLessThan(1000);
    expect(floodDoneBeforeHealth).toBe(false);
    // Every login is refused as a problem: 401, or 503 (Retry-After) beyond the hashing queue.
    for (const answer of answers) {
      expect([401, 503]).toContain(answer.status);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (answer.status === 503)
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThan(50);
    // Generous: bcryptjs on the event loop stalled it for seconds.
    expect(delay.percentile(99) / 1e6).toBeLessThan(200);
    expect((await login(app, OWNER.email, OWNER.password)).status).toBe(200);
  });

  it('answers an unknown account in about the time of a known one', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 9; i++) {
      known.push(await timed(() => login(app, OWNER.email, `wrong password ${i}`)));
      unknown.push(await timed(() => login(app, `ghost-${i}@example.com`, `wrong password ${i}`)));
    }
    const ratio = median(known) / median(unknown);
    // Generous: before, an unknown email answered about 40 times faster.
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  it('tells passwords apart after byte 72 and refuses ones over 1024 bytes', async () => {
    const password = 'p'.repeat(72) + 'first-ending';
    const email = `long-${db}@example.com`;
    const created = await app.call('POST', '/api/users', {
      email,
      password,
      name: 'Long',
      roles: ['viewer'],
    });
    expect(created.status).toBe(201);
    // bcrypt read the first 72 bytes only: this one signed in.
    expect((await login(app, email, 'p'.repeat(72) + 'other-ending')).status).toBe(401);
    expect((await login(app, email, password)).status).toBe(200);

    const huge = 'é'.repeat(600); // 600 characters, 1200 bytes
    for (const answer of [
      await login(app, email, huge),
      await app.call('POST', '/api/users', {
        email: 'h@example.com',
        password: huge,
        name: 'H',
        roles: ['viewer'],
      }),
    ]) {
      expectProblem(answer, 422);
      expect(answer.body.errors).toContainEqual(
        expect.objectContaining({ path: '/password', code: 'too_long' }),
      );
    }
    expect(
      (await app.call('GET', '/api/users')).body.items.map((u: { email: string }) => u.email),
    ).not.toContain('h@example.com');
  });

  it('signs in a person with a bcrypt hash from before, and stores an scrypt hash instead', async () => {
    const email = `legacy-${db}@example.com`;
    const created = await app.call('POST', '/api/users', {
      email,
      password: 'placeholder-password',
      name: 'Legacy',
      roles: ['viewer'],
    });
    await app.server.db.run('UPDATE principals SET password_hash = ? WHERE id = ?', [
      bcrypt.hashSync('old and trusted', 10),
      created.body.id,
    ]);
    expect((await login(app, email, 'not it at all')).status).toBe(401);
    expect((await login(app, email, 'old and trusted')).status).toBe(200);
    const [row] = await app.server.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM principals WHERE id = ?',
      [created.body.id],
    );
    expect(row.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect((await login(app, email, 'old and trusted')).status).toBe(200);
  });
});

describe.each(databaseKinds())('rate limits on %s', (db) => {
  const limits = { windowMs: 60_000, loginPerIp: 6, loginPerAccount: 3, hooksPerIp: 5 };
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db, config: { rateLimit: limits } });
  });
  afterAll(() => app.close());

  it('limits sign-in per account and per address; a spoofed X-Forwarded-For resets nothing', async () => {
    // First-run setup counts against the address's sign-in budget too.
    expect((await app.call('POST', '/api/auth/setup', OWNER, { as: '' })).status).toBe(201);
    for (let i = 0; i < 3; i++)
      expect((await login(app, OWNER.email, `guess ${i}`)).status).toBe(401);
    const perAccount = await login(app, OWNER.email, OWNER.password);
    expectProblem(perAccount, 429);
    expect(perAccount.body.code).toBe('rate_limited');
    expect(Number(perAccount.headers.get('retry-after'))).toBeGreaterThan(0);

    // Five attempts so far from this address; the sixth is the last one it may make.
    expect((await login(app, 'someone@example.com', 'a guess')).status).toBe(401);
    for (let i = 0; i < 5; i++) {
      const spoofed = await login(app, `other-${i}@example.com`, 'a guess', {
        'x-forwarded-for': `203.0.113.${i + 1}`,
      });
      expectProblem(spoofed, 429);
      expect(Number(spoofed.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('limits inbound webhooks per address by default', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'ordo-config-'));
    expect(loadConfig({ ORDO_JWT_SECRET: 'x'.repeat(32) }, cwd).rateLimit).toMatchObject({
      hooksPerIp: 1200,
      loginPerIp: 30,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await app.call(
            'POST',
            '/api/hooks/nowhere/none',
            { n: i },
            { as: '', headers: { 'x-forwarded-for': `198.51.100.${i}` } },
          )
        ).status,
      );
    expect(statuses.slice(0, 5)).not.toContain(429);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect((await app.call('GET', '/api/health', undefined, { as: '' })).status).toBe(200);
  });

  it('limits chat callbacks per address, as the hooks (WeCom and DingTalk routes alike)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await app.call(
            i % 2 ? 'GET' : 'POST',
            `/api/intake/${i % 2 ? 'wecom' : 'dingtalk'}/nowhere`,
            i % 2 ? undefined : { n: i },
            { as: '' },
          )
        ).status,
      );
    expect(statuses.slice(0, 5)).not.toContain(429);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('believes X-Forwarded-For only from the proxies ORDO_TRUST_PROXY names', async () => {
    const behind = await startTestApp({
      db,
      config: { rateLimit: limits, trustProxy: ['127.0.0.1'] },
    });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 6; i++)
        expect(
          (await login(behind, `p${i}@example.com`, 'a guess', from('192.0.2.10'))).status,
        ).toBe(401);
      expectProblem(await login(behind, 'p9@example.com', 'a guess', from('192.0.2.10')), 429);
      // Another client behind the same proxy has its own budget.
      expect((await login(behind, 'p9@example.com', 'a guess', from('192.0.2.11'))).status).toBe(
        401,
      );
    } finally {
      await behind.close();
    }
  });
});

const cluster =
  databaseKinds().includes('postgres') && process.env.REDIS_URL ? describe : describe.skip;
cluster('rate limits in cluster mode (PostgreSQL + Redis)', () => {
  it('count against one budget in Redis across processes', async () => {
    const fresh = await freshDatabase('postgres');
    const config = {
      redisUrl: process.env.REDIS_URL,
      rateLimit: { windowMs: 60_000, loginPerIp: 1e9, loginPerAccount: 4, hooksPerIp: 1e9 },
    };
    const a = await startTestApp({ db: 'postgres', database: fresh.database, config });
    const b = await startTestApp({ db: 'postgres', database: fresh.database, config });
    try {
      const email = `victim-${randomBytes(6).toString('hex')}@example.com`;
      for (const app of [a, b, a, b]) expect((await login(app, email, 'a guess')).status).toBe(401);
      expectProblem(await login(a, email, 'a guess'), 429);
      expectProblem(await login(b, email, 'a guess'), 429);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
