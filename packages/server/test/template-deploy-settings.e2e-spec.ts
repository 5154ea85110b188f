import { FAKE_DINGTALK, FAKE_WECOM_KEY } from '@ordo/fake-systems';
import { CredentialsService } from '../src/credentials/credentials.service';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

/**
 * The gallery's deploy form: each connector's settings and credential given in the deploy
 * request, checked against the connector's schemas (422 at the body's path, nothing written);
 * the defaults (the fake systems, placeholder secrets) only when nothing is given.
 */
describe.each(databaseKinds())('template deploy with settings and credentials on %s', (db) => {
  let app: TestApp;
  const deploy = (connectors: unknown) =>
    app.call('POST', '/api/templates/pharma-distribution/deploy', { connectors });
  const credential = async (name: string) =>
    (await app.call('GET', '/api/credentials')).body.items.find(
      (c: { name: string }) => c.name === name,
    );
  const secret = (name: string) => app.server.app.get(CredentialsService).open(name);
  const latest = async () => (await app.call('GET', '/api/flows/pharma-distribution')).body;

  beforeAll(async () => {
    app = await startTestApp({ db });
  });
  afterAll(() => app.close());

  it('serves each connector with its settings and credential schemas', async () => {
    const { body } = await app.call('GET', '/api/connectors');
    const http = body.items.find((c: { id: string }) => c.id === 'http');
    expect(http.settings.properties.baseUrl).toMatchObject({ type: 'string', format: 'uri' });
    expect(Object.keys(http.auth.properties)).toEqual(['apiKey', 'token', 'username', 'password']);
  });

  it('refuses a bad value at its path in the deploy body, writing nothing', async () => {
    const cases: [unknown, string, string][] = [
      [
        { bank: { settings: { baseUrl: 'ftp://bank.example' } } },
        '/connectors/bank/settings/baseUrl',
        'invalid_settings',
      ],
      [
        { bank: { settings: { auth: 'kerberos' } } },
        '/connectors/bank/settings/auth',
        'invalid_settings',
      ],
      [{ bank: { settings: { colour: 'red' } } }, '/connectors/bank/settings', 'invalid_settings'],
      [
        { bank: { credential: { pin: '1234' } } },
        '/connectors/bank/credential/pin',
        'unknown_credential_field',
      ],
      [{ bank: { credential: { token: '' } } }, '/connectors/bank/credential/token', ''],
      [{ bank: { credential: { 'x-y': 'v' } } }, '/connectors/bank/credential/x-y', ''],
      [{ ftp: { settings: {} } }, '/connectors/ftp', 'unknown_connector'],
    ];
    for (const [connectors, path, code] of cases) {
      const bad = await deploy(connectors);
      expect(bad.status).toBe(422);
      expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      if (code)
        expect(bad.body.errors.find((e: { path: string }) => e.path === path).code).toBe(code);
    }
    expect((await app.call('GET', '/api/flows/pharma-distribution')).status).toBe(404);
    expect(await credential('bank-api')).toBeUndefined();
    expect((await app.call('GET', '/api/datasets')).body.items).toEqual([]);
  });

  it('keeps the fake systems and a placeholder secret when nothing is given', async () => {
    const done = await deploy(undefined);
    expect(done.status).toBe(200);
    expect(done.body.credentials).toMatchObject({
      placeholders: ['bank-api', 'bank-hook'],
      given: [],
    });
    const flow = (await latest()).latest;
    expect(flow.connectors.bank.settings.baseUrl).toBe('http://127.0.0.1:4105');
    expect(flow.connectors.carrier.settings.baseUrl).toBe('http://127.0.0.1:4104');
    expect((await credential('bank-api')).hosts).toEqual(['127.0.0.1:4105']);
  });

  it('refuses to send a kept secret to a new address (attack): 422 at the setting', async () => {
    const before = await secret('bank-api');
    const moved = await deploy({ bank: { settings: { baseUrl: 'https://collector.example' } } });
    expect(moved.status).toBe(422);
    expect(moved.body.errors).toEqual([
      expect.objectContaining({
        path: '/connectors/bank/settings/baseUrl',
        code: 'credential_host',
      }),
    ]);
    expect((await latest()).latestVersion).toBe(1);
    expect((await credential('bank-api')).hosts).toEqual(['127.0.0.1:4105']);
    expect(await secret('bank-api')).toEqual(before);
  });

  it('stores the given settings and credentials, with the hosts those settings name', async () => {
    const done = await deploy({
      bank: {
        settings: { baseUrl: 'https://api.bank.example' },
        credential: { token: 'the-real-bank-token' },
      },
      carrier: {
        settings: { baseUrl: 'https://quotes.carrier.example:8443', auth: 'apiKey' },
        credential: { apiKey: 'carrier-key' },
      },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      version: 2,
      published: true,
      credentials: { placeholders: [], given: ['bank-api', 'pharma-distribution-carrier'] },
    });
    const flow = (await latest()).latest;
    expect(flow.connectors.bank).toMatchObject({
      settings: { baseUrl: 'https://api.bank.example', auth: 'bearer' },
      credential: 'bank-api',
    });
    expect(flow.connectors.carrier).toMatchObject({
      settings: { baseUrl: 'https://quotes.carrier.example:8443', auth: 'apiKey' },
      credential: 'pharma-distribution-carrier',
    });
    expect(await secret('bank-api')).toEqual({ token: 'the-real-bank-token' });
    expect((await credential('bank-api')).hosts).toEqual(['api.bank.example:443']);
    expect(await secret('pharma-distribution-carrier')).toEqual({ apiKey: 'carrier-key' });
    expect((await credential('pharma-distribution-carrier')).hosts).toEqual([
      'quotes.carrier.example:8443',
    ]);
    // The audit names the credentials given, never their values.
    const audit = JSON.stringify((await app.call('GET', '/api/audit?entity=template')).body);
    expect(audit).toContain('pharma-distribution-carrier');
    expect(audit).not.toContain('the-real-bank-token');
  });

  it("stores the fake robots' own keys when the robot connectors keep their defaults", async () => {
    const kept = await app.call('POST', '/api/templates/fmcg-distribution/deploy', {});
    expect(kept.body.credentials).toMatchObject({ demo: ['wecom-store-group'] });
    expect(kept.body.credentials.placeholders).not.toContain('wecom-store-group');
    expect(await secret('wecom-store-group')).toEqual({ key: FAKE_WECOM_KEY });
    // A robot pointed elsewhere never gets the demo key: a placeholder until the admin sets it.
    const moved = await app.call('POST', '/api/templates/b2b-custom-manufacturing/deploy', {
      connectors: {
        'shop-floor-group': { settings: { url: 'https://oapi.dingtalk.com/robot/send' } },
      },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.credentials).toMatchObject({
      demo: [],
      placeholders: ['dingtalk-shop-floor'],
    });
    const placeholder = await secret('dingtalk-shop-floor');
    expect(placeholder).not.toEqual(FAKE_DINGTALK);
    expect(placeholder.secret).not.toBe(FAKE_DINGTALK.secret);
  });
});
