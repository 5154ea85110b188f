import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from '../src/config/ordo-config';
import { logLeaseLost } from '../src/database/lease';
import { connectorLog } from '../src/logging/connector-log';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** A stream that keeps every log line the server writes, parsed. */
function captureLog() {
  const text: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text.push(String(chunk));
      done();
    },
  });
  const lines = () =>
    text
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, any>);
  return { stream, text: () => text.join(''), lines };
}

describe.each(databaseKinds())('structured logs on %s', (db) => {
  let app: TestApp;
  const log = captureLog();

  beforeAll(async () => {
    app = await startTestApp({ db, config: { logLevel: 'info' }, logStream: log.stream });
  });
  afterAll(() => app.close());

  it('logs each request once with its id, route pattern, status and latency, secrets redacted', async () => {
    const signature = 'v1,c2lnbmF0dXJlLW5ldmVyLWxvZ2dlZA==';
    const answer = await app.call(
      'GET',
      '/api/orders/no-such-order?token=hook-secret-123',
      undefined,
      {
        headers: {
          'x-request-id': 'trace-42',
          'webhook-signature': signature,
          cookie: 'session=cookie-never-logged',
        },
      },
    );
    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-request-id')).toBe('trace-42');
    await waitFor(async () => log.lines().some((l) => l.reqId === 'trace-42'));
    const lines = log.lines().filter((l) => l.reqId === 'trace-42' && l.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      route: '/api/orders/:id',
      status: 404,
      ms: expect.any(Number),
      request: {
        method: 'GET',
        url: '/api/orders/no-such-order?token=redacted',
        headers: {
          authorization: '[redacted]',
          'webhook-signature': '[redacted]',
          cookie: '[redacted]',
        },
      },
    });
    const all = log.text();
    for (const secret of [app.adminKey, signature, 'cookie-never-logged', 'hook-secret-123'])
      expect(all).not.toContain(secret);
  });

  it('gives a request without a usable id a fresh one', async () => {
    const answer = await app.call('GET', '/api/flows', undefined, {
      headers: { 'x-request-id': 'not a token; '.repeat(20) },
    });
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the runtime and connector lines to the same stream', async () => {
    logLeaseLost('timer t1 of order o1');
    connectorLog('acme-wms', 'reserve', 'o1:2:0').info('reserved', { reservation: 'r-9' });
    await waitFor(async () => log.lines().some((l) => l.component === 'connector'));
    expect(log.lines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ component: 'lease', level: 'warn' }),
        expect.objectContaining({
          component: 'connector',
          connector: 'acme-wms',
          action: 'reserve',
          ran: 'o1:2:0',
          fields: { reservation: 'r-9' },
          msg: 'reserved',
        }),
      ]),
    );
  });
});

describe('ORDO_LOG_LEVEL', () => {
  const load = (level: string) =>
    loadConfig({ ORDO_LOG_LEVEL: level, ORDO_JWT_SECRET: 'x'.repeat(32) }, tmpdir());

  it('takes a pino level, in any case; info by default', () => {
    expect(load('DEBUG').logLevel).toBe('debug');
    expect(loadConfig({ ORDO_JWT_SECRET: 'x'.repeat(32) }, tmpdir()).logLevel).toBe('info');
  });

  it('refuses anything else at start, naming the setting and the levels', () => {
    expect(() => load('loud')).toThrow(ConfigError);
    expect(() => load('loud')).toThrow(
      /ORDO_LOG_LEVEL=loud: must be one of trace, debug, info, warn, error, fatal, silent/,
    );
  });
});
