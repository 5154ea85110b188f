/**
 * Credentials go only to their hosts (issue 13, findings 3, 4 and 10): a credential names the
 * host:port patterns it may be sent to; publishing a flow that points it elsewhere is an error
 * at the setting's path; the HTTP client refuses such a call before anything is sent (a real
 * attacker server sees no request); a cross-origin redirect carries no secret; and the
 * outbound allow-list opens one port, not every port of a host.
 */
import { tmpdir } from 'node:os';
import { startTestServer } from '@ordo/connectors/testing';
import { ConfigError, loadConfig } from '../src/config/ordo-config';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const SECRET = 'tok-bank-9d41c7-must-stay-home';

/** A flow whose `bank` connector calls `baseUrl` with the credential `bank-api` on create. */
const bankFlow = (key: string, baseUrl: string, extra: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  key,
  name: 'Bank check',
  connectors: {
    bank: {
      type: 'http',
      settings: { baseUrl, auth: 'bearer', ...extra },
      credential: 'bank-api',
      retry: { attempts: 1 },
      timeout: 'PT2S',
    },
  },
  fields: [{ key: 'ref', type: 'string', required: true }],
  states: [
    {
      id: 'checking',
      initial: true,
      entry: [
        {
          call: {
            connector: 'bank',
            action: 'request',
            input: { path: '/payments/{ref}', 'params.ref': { var: 'ref' } },
            onSuccess: 'ok',
            onFailure: 'failed',
          },
        },
      ],
    },
    { id: 'done', final: true },
    { id: 'stuck' },
  ],
  transitions: [
    { id: 'ok', from: 'checking', to: 'done', event: 'ok' },
    { id: 'failed', from: 'checking', to: 'stuck', event: 'failed' },
  ],
});

describe.each(databaseKinds())('credentials go only to their hosts on %s', (db) => {
  let app: TestApp;
  let bank: Awaited<ReturnType<typeof startTestServer>>;
  let attacker: Awaited<ReturnType<typeof startTestServer>>;
  let redirector: Awaited<ReturnType<typeof startTestServer>>;
  const portOf = (server: { url: string }) => new URL(server.url).port;

  beforeAll(async () => {
    bank = await startTestServer(() => ({ json: { paid: true } }));
    attacker = await startTestServer(() => ({ json: { stolen: true } }));
    redirector = await startTestServer(() => ({
      status: 307,
      headers: { location: `${attacker.url}/landed` },
    }));
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([bank.close(), attacker.close(), redirector.close()]);
  });

  const credentials = async () => (await app.call('GET', '/api/credentials')).body.items;
  const effectOf = (orderId: string) =>
    waitFor(async () => {
      const [effect] = (await app.call('GET', `/api/effects?orderId=${orderId}`)).body.items;
      return effect && ['done', 'dead'].includes(effect.status) && effect;
    });

  it('requires hosts and refuses a malformed pattern at its path, storing nothing', async () => {
    const missing = await app.call('POST', '/api/credentials', {
      name: 'bank-api',
      secret: { token: SECRET },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: '/hosts' })]);
    const bad = await app.call('POST', '/api/credentials', {
      name: 'bank-api',
      secret: { token: SECRET },
      hosts: ['api.bank.example:443', 'api.bank.example', '*:443', 'https://x.example/'],
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/hosts/1',
      '/hosts/2',
      '/hosts/3',
    ]);
    expect(bad.body.errors[0].message).toMatch(/names no port/);
    expect(JSON.stringify(bad.body)).not.toContain(SECRET);
    expect(await credentials()).toEqual([]);
  });

  it('stores the hosts, shows them, changes them with PATCH, never echoes the secret', async () => {
    const saved = await app.call('POST', '/api/credentials', {
      name: 'bank-api',
      secret: { token: SECRET },
      hosts: ['API.Bank.Example:443', `127.0.0.1:${portOf(bank)}`],
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({
      name: 'bank-api',
      fields: ['token'],
      hosts: ['api.bank.example:443', `127.0.0.1:${portOf(bank)}`],
    });
    const bad = await app.call('PATCH', '/api/credentials/bank-api', { hosts: ['bank:99999'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/hosts/0');
    expect((await credentials())[0].hosts).toEqual([
      'api.bank.example:443',
      `127.0.0.1:${portOf(bank)}`,
    ]);
    const patched = await app.call('PATCH', '/api/credentials/bank-api', {
      hosts: [`127.0.0.1:${portOf(bank)}`],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.hosts).toEqual([`127.0.0.1:${portOf(bank)}`]);
    expect((await app.call('PATCH', '/api/credentials/nope', { hosts: [] })).status).toBe(404);
    for (const answer of [saved, patched, { body: await credentials() }])
      expect(JSON.stringify(answer.body)).not.toContain(SECRET);
  });

  it('refuses to publish (and validate) a connector that sends the credential elsewhere', async () => {
    const doc = bankFlow('exfil', `${attacker.url}/api`);
    const saved = await app.call('POST', '/api/flows', doc);
    expect(saved.status).toBe(201);
    expect(saved.body.valid).toBe(false);
    const published = await app.call('POST', '/api/flows/exfil/publish', {});
    expect(published.status).toBe(422);
    const [error] = published.body.errors;
    expect(error).toMatchObject({
      path: '/connectors/bank/settings/baseUrl',
      code: 'credential_host',
      severity: 'error',
    });
    expect(error.message).toContain('"bank-api"');
    expect(error.message).toContain(`127.0.0.1:${portOf(attacker)}`);
    expect((await app.call('GET', '/api/flows/exfil')).body.latestVersion).toBeNull();
    const validated = await app.call('POST', '/api/flows/validate', doc);
    expect(validated.body.ok).toBe(false);
    expect(validated.body.problems.map((p: { path: string }) => p.path)).toContain(
      '/connectors/bank/settings/baseUrl',
    );
    // An unknown credential is a warning: the first call would fail.
    const unknown = { ...bankFlow('unknown-cred', bank.url) };
    unknown.connectors.bank.credential = 'never-stored';
    const checked = await app.call('POST', '/api/flows/validate', unknown);
    expect(checked.body.ok).toBe(true);
    expect(checked.body.problems).toContainEqual(
      expect.objectContaining({
        path: '/connectors/bank/credential',
        code: 'unknown_credential',
        severity: 'warning',
      }),
    );
    expect(attacker.requests).toHaveLength(0);
  });

  it('calls the credential’s own host with it', async () => {
    await publishFlow(app, bankFlow('pay', bank.url));
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'pay',
      data: { ref: 'P-1' },
    });
    expect(await effectOf(order.id)).toMatchObject({ status: 'done' });
    expect(bank.requests.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('refuses at call time too: a published flow whose credential no longer allows its host sends nothing', async () => {
    await app.call('PATCH', '/api/credentials/bank-api', { hosts: ['127.0.0.1:*'] });
    await publishFlow(app, bankFlow('later', `${attacker.url}/api`));
    await app.call('PATCH', '/api/credentials/bank-api', {
      hosts: [`127.0.0.1:${portOf(bank)}`],
    });
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'later',
      data: { ref: 'P-2' },
    });
    const effect = await effectOf(order.id);
    expect(effect.status).toBe('dead');
    expect(effect.result.error.code).toBe('credential_host');
    expect(effect.result.error.message).toContain('"bank-api"');
    expect(attacker.requests).toHaveLength(0);
  });

  it('a redirect to another origin carries no secret, and is refused outside the hosts', async () => {
    await app.call('PATCH', '/api/credentials/bank-api', { hosts: ['127.0.0.1:*'] });
    await publishFlow(app, bankFlow('hop', redirector.url));
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'hop',
      data: { ref: 'P-3' },
    });
    expect(await effectOf(order.id)).toMatchObject({ status: 'done' });
    expect(redirector.requests.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
    const [hop] = attacker.requests;
    expect(hop.url).toBe('/landed');
    expect(hop.headers.authorization).toBeUndefined();
    expect(JSON.stringify(hop.headers)).not.toContain(SECRET);
    attacker.requests.length = 0;

    // The credential allows only the redirector: the hop to the attacker is never made.
    await app.call('PATCH', '/api/credentials/bank-api', {
      hosts: [`127.0.0.1:${portOf(redirector)}`],
    });
    const { body: second } = await app.call('POST', '/api/orders', {
      flow: 'hop',
      data: { ref: 'P-4' },
    });
    const refused = await effectOf(second.id);
    expect(refused.status).toBe('dead');
    expect(refused.result.error.code).toBe('credential_host');
    expect(attacker.requests).toHaveLength(0);
  });
});

describe('ORDO_OUTBOUND_ALLOW names host:port', () => {
  it('refuses an entry without a port, naming it; takes host:port, CIDR and * ports', () => {
    const load = (allow: string) =>
      loadConfig({ ORDO_OUTBOUND_ALLOW: allow, ORDO_JWT_SECRET: 'x' }, tmpdir());
    expect(() => load('127.0.0.1')).toThrow(ConfigError);
    expect(() => load('wms.internal:443,127.0.0.1')).toThrow(
      /ORDO_OUTBOUND_ALLOW: "127\.0\.0\.1" is not a host:port pattern: it names no port/,
    );
    expect(
      load('wms.internal:443, 10.0.0.0/8:8080,[fd00::/8]:*,127.0.0.1:*').outboundAllow,
    ).toEqual(['wms.internal:443', '10.0.0.0/8:8080', '[fd00::/8]:*', '127.0.0.1:*']);
  });

  it('an allowed port does not open the other ports of the host', async () => {
    const allowed = await startTestServer(() => ({ json: { ok: true } }));
    const other = await startTestServer(() => ({ json: { ok: true } }));
    const app = await startTestApp({
      db: 'sqlite',
      config: { outboundAllow: [`127.0.0.1:${new URL(allowed.url).port}`] },
    });
    try {
      await app.call('POST', '/api/credentials', {
        name: 'bank-api',
        secret: { token: SECRET },
        hosts: ['127.0.0.1:*'],
      });
      await publishFlow(app, bankFlow('allowed', allowed.url));
      await publishFlow(app, bankFlow('other', other.url));
      const run = async (flow: string) => {
        const { body: order } = await app.call('POST', '/api/orders', {
          flow,
          data: { ref: 'A-1' },
        });
        return waitFor(async () => {
          const [e] = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
          return e && ['done', 'dead'].includes(e.status) && e;
        });
      };
      expect((await run('allowed')).status).toBe('done');
      const refused = await run('other');
      expect(refused.result.error.code).toBe('blocked_address');
      expect(other.requests).toHaveLength(0);
    } finally {
      await app.close();
      await Promise.all([allowed.close(), other.close()]);
    }
  });
});
