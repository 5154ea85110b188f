import { ConnectorError, SafeHttpClient } from '../src';
import { startTestServer } from '../src/testing';

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
    const client = new SafeHttpClient({ allow: ['127.0.0.1'] });
    for (const path of ['/to-v6-loopback', '/to-metadata']) {
      const error = await refusal(client.request({ url: `${server.url}${path}` }));
      expect(error.code).toBe('blocked_address');
    }
    expect(target.requests).toHaveLength(0);
    await client.close();
  });

  it('follows a 303 as a GET, sends JSON and query, reads JSON', async () => {
    const client = new SafeHttpClient({ allow: ['127.0.0.1'] });
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
    const client = new SafeHttpClient({ allow: ['*'], maxResponseBytes: 1000 });
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
    const client = new SafeHttpClient({ allow: ['*'] });
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
