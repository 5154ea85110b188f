import { ConnectorError, httpConnector, runAction, SafeHttpClient } from '../src';
import { runTestAction, startTestServer } from '../src/testing';

describe('SafeHttpClient', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let target: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    target = await startTestServer(() => ({ json: { reached: true } }));
    server = await startTestServer((req) => {
      if (req.url === '/big') return { body: 'x'.repeat(5000) };
      if (req.url === '/slow') return new Promise((r) => setTimeout(() => r({ json: {} }), 500));
      if (req.url === '/to-v6-loopback')
        return { status: 302, headers: { location: `http://[::1]:${new URL(target.url).port}/` } };
      if (req.url === '/to-metadata')
        return { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } };
      if (req.url === '/see-other') return { status: 303, headers: { location: '/echo' } };
      return { json: { method: req.method, url: req.url, body: req.json ?? null } };
    });
  });
  afterAll(async () => {
    await server.close();
    await target.close();
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: ConnectorError) => error,
    );

  it('refuses loopback unless allow-listed, by name and by address', async () => {
    const client = new SafeHttpClient();
    const port = new URL(server.url).port;
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
      const error = await refusal(client.request({ url }));
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: 'blocked_address', retryable: false });
    }
    expect(server.requests).toHaveLength(0);
    await client.close();
  });

  it('refuses the cloud metadata address', async () => {
    const client = new SafeHttpClient();
    const error = await refusal(
      client.request({ url: 'http://169.254.169.254/latest/meta-data/' }),
    );
    expect(error.code).toBe('blocked_address');
    await client.close();
  });

  it('checks every redirect: a hop to a private address is refused', async () => {
    const client = new SafeHttpClient({ allow: ['127.0.0.1:*'] });
    for (const path of ['/to-v6-loopback', '/to-metadata']) {
      const error = await refusal(client.request({ url: `${server.url}${path}` }));
      expect(error.code).toBe('blocked_address');
    }
    expect(target.requests).toHaveLength(0);
    await client.close();
  });

  it('follows a 303 as a GET, sends JSON and query, reads JSON', async () => {
    const client = new SafeHttpClient({ allow: ['127.0.0.1:*'] });
    const res = await client.request({
      method: 'POST',
      url: `${server.url}/echo`,
      query: { a: 1, b: 'x y', skip: undefined },
      json: { hello: 'world' },
    });
    expect(res.json()).toEqual({
      method: 'POST',
      url: '/echo?a=1&b=x+y',
      body: { hello: 'world' },
    });
    const redirected = await client.request({ method: 'POST', url: `${server.url}/see-other` });
    expect(redirected.json()).toMatchObject({ method: 'GET', url: '/echo' });
    await client.close();
  });

  it('caps the answer size and the time', async () => {
    const client = new SafeHttpClient({ allow: ['*:*'], maxResponseBytes: 1000 });
    expect(await refusal(client.request({ url: `${server.url}/big` }))).toMatchObject({
      code: 'response_too_large',
      retryable: false,
    });
    expect(
      await refusal(client.request({ url: `${server.url}/slow`, timeoutMs: 50 })),
    ).toMatchObject({ code: 'timeout', retryable: true });
    await client.close();
  });

  it('refuses other protocols and says a refused connection is worth a retry', async () => {
    const client = new SafeHttpClient({ allow: ['*:*'] });
    expect(await refusal(client.request({ url: 'file:///etc/passwd' }))).toMatchObject({
      code: 'invalid_url',
    });
    expect(await refusal(client.request({ url: 'http://127.0.0.1:1/' }))).toMatchObject({
      code: 'network',
      retryable: true,
    });
    await client.close();
  });
});

describe('SafeHttpClient: ports, credential hosts and redirects (two real servers)', () => {
  let a: Awaited<ReturnType<typeof startTestServer>>;
  let b: Awaited<ReturnType<typeof startTestServer>>;
  const portOf = (server: { url: string }) => Number(new URL(server.url).port);
  beforeAll(async () => {
    b = await startTestServer((req) => ({ json: { reached: 'b', url: req.url } }));
    a = await startTestServer((req) => {
      if (req.url === '/to-b') return { status: 302, headers: { location: `${b.url}/landed` } };
      if (req.url === '/to-b-307') return { status: 307, headers: { location: `${b.url}/landed` } };
      if (req.url === '/to-b-by-name')
        return { status: 302, headers: { location: `http://localhost:${portOf(b)}/landed` } };
      if (req.url === '/same-origin') return { status: 302, headers: { location: '/landed' } };
      return { json: { reached: 'a', url: req.url } };
    });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => {
    a.requests.length = 0;
    b.requests.length = 0;
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: ConnectorError) => error,
    );

  it('an allow-list entry opens its port only, by address and by name', async () => {
    const client = new SafeHttpClient({
      allow: [`127.0.0.1:${portOf(a)}`, `localhost:${portOf(a)}`],
    });
    expect((await client.request({ url: `${a.url}/x` })).json()).toMatchObject({ reached: 'a' });
    expect((await client.request({ url: `http://localhost:${portOf(a)}/x` })).json()).toMatchObject(
      { reached: 'a' },
    );
    for (const url of [`${b.url}/x`, `http://localhost:${portOf(b)}/x`]) {
      const error = await refusal(client.request({ url }));
      expect(error).toMatchObject({ code: 'blocked_address', retryable: false });
      expect(error.message).toContain(`:${portOf(b)}`);
    }
    // A redirect to the other port is checked like the first request.
    expect(await refusal(client.request({ url: `${a.url}/to-b` }))).toMatchObject({
      code: 'blocked_address',
    });
    expect(b.requests).toHaveLength(0);
    await client.close();
  });

  it('refuses to send a credential outside its hosts: no request arrives', async () => {
    const error = await refusal(
      runTestAction(httpConnector, 'request', {
        settings: { baseUrl: a.url, auth: 'bearer' },
        credentials: { token: 'exfiltrated-secret' },
        credentialHosts: ['api.bank.example:443'],
        input: { path: '/steal' },
      }),
    );
    expect(error).toMatchObject({ code: 'credential_host', retryable: false });
    expect(error.message).toMatch(
      /may be sent only to api\.bank\.example:443, not to 127\.0\.0\.1:/,
    );
    expect(a.requests).toHaveLength(0);
    // Sent nowhere: `[]`.
    expect(
      await refusal(
        runTestAction(httpConnector, 'request', {
          settings: { baseUrl: a.url, auth: 'bearer' },
          credentials: { token: 'exfiltrated-secret' },
          credentialHosts: [],
          input: { path: '/steal' },
        }),
      ),
    ).toMatchObject({ code: 'credential_host' });
    expect(a.requests).toHaveLength(0);
    // And a credential without any hosts at all is refused before anything runs.
    const client = new SafeHttpClient({ allow: ['*:*'] });
    expect(
      await refusal(
        runAction(httpConnector, 'request', {
          settings: { baseUrl: a.url, auth: 'bearer' },
          credentials: { token: 'exfiltrated-secret' },
          input: { path: '/steal' },
          http: client,
          idempotencyKey: 'k',
        }) as Promise<unknown>,
      ),
    ).toMatchObject({ code: 'credential_host' });
    await client.close();
    expect(a.requests).toHaveLength(0);
  });

  it('drops authorization, cookies and the credential header on a cross-origin redirect', async () => {
    for (const path of ['/to-b', '/to-b-307']) {
      b.requests.length = 0;
      const output = await runTestAction(httpConnector, 'request', {
        settings: {
          baseUrl: a.url,
          auth: 'apiKey',
          apiKeyHeader: 'X-Secret-Key',
          headers: {
            cookie: 'session=abc',
            'proxy-authorization': 'Basic cHJveHk=',
            'x-trace': 't1',
          },
        },
        credentials: { apiKey: 'key-that-must-stay-home' },
        credentialHosts: ['127.0.0.1:*'],
        input: { method: 'POST', path, headers: { authorization: 'Bearer tok-1' }, body: { n: 1 } },
      });
      expect(output).toMatchObject({ body: { reached: 'b', url: '/landed' } });
      const first = a.requests.at(-1)!;
      expect(first.headers).toMatchObject({
        'x-secret-key': 'key-that-must-stay-home',
        authorization: 'Bearer tok-1',
        cookie: 'session=abc',
      });
      const [hop] = b.requests;
      for (const header of ['x-secret-key', 'authorization', 'cookie', 'proxy-authorization'])
        expect(hop.headers[header]).toBeUndefined();
      expect(JSON.stringify(hop.headers)).not.toContain('key-that-must-stay-home');
      expect(hop.headers['x-trace']).toBe('t1');
      expect(hop.headers['idempotency-key']).toBe('test-key');
    }
  });

  it('drops a secret-carrying header the client was not told about, keeps them on the same origin', async () => {
    const client = new SafeHttpClient({ allow: ['127.0.0.1:*'] });
    const headers = { authorization: 'Bearer tok-2', 'x-custom-auth': 'v=tok-secret-42' };
    const credential = { hosts: ['127.0.0.1:*'], secrets: ['tok-secret-42'] };
    await client.request({ url: `${a.url}/to-b`, headers, credential });
    expect(b.requests[0].headers['x-custom-auth']).toBeUndefined();
    expect(b.requests[0].headers.authorization).toBeUndefined();
    a.requests.length = 0;
    await client.request({ url: `${a.url}/same-origin`, headers, credential });
    expect(a.requests.map((r) => r.url)).toEqual(['/same-origin', '/landed']);
    expect(a.requests[1].headers).toMatchObject(headers);
    await client.close();
  });

  it("checks the credential's hosts on every hop: a redirect elsewhere is refused unsent", async () => {
    for (const path of ['/to-b', '/to-b-by-name']) {
      const error = await refusal(
        runTestAction(httpConnector, 'request', {
          settings: { baseUrl: a.url, auth: 'bearer' },
          credentials: { token: 'tok-3' },
          credentialHosts: [`127.0.0.1:${portOf(a)}`],
          input: { path },
        }),
      );
      expect(error).toMatchObject({ code: 'credential_host', retryable: false });
    }
    expect(b.requests).toHaveLength(0);
  });
});
