import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  dingtalkConnector,
  emailConnector,
  runAction,
  SafeHttpClient,
  signDingTalk,
  slackConnector,
  wecomConnector,
} from '../src';
import { runTestAction, startTestServer } from '../src/testing';

describe('notification channels against local fake receivers', () => {
  let robot: Awaited<ReturnType<typeof startTestServer>>;
  let answer: { errcode: number; errmsg?: string } = { errcode: 0 };
  beforeAll(async () => {
    robot = await startTestServer((req) =>
      req.url.startsWith('/slack') ? { body: 'ok' } : { json: answer },
    );
  });
  afterAll(() => robot.close());
  beforeEach(() => {
    answer = { errcode: 0 };
  });

  it('WeCom: a text message to the robot, the key from the credential', async () => {
    const out = await runTestAction(wecomConnector, 'send', {
      settings: { url: `${robot.url}/cgi-bin/webhook/send` },
      credentials: { key: 'wk-1' },
      input: { text: 'Order o-1 is ready to book', title: 'Warehouse' },
    });
    expect(out).toEqual({ sent: true });
    const req = robot.requests.at(-1)!;
    expect(req.url).toBe('/cgi-bin/webhook/send?key=wk-1');
    expect(req.json).toEqual({
      msgtype: 'text',
      text: { content: 'Warehouse\nOrder o-1 is ready to book' },
    });
  });

  it('WeCom: an errcode is a refusal; flow control is worth a retry', async () => {
    const send = () =>
      runTestAction(wecomConnector, 'send', {
        settings: { url: robot.url },
        credentials: { key: 'k' },
        input: { text: 'x' },
      });
    answer = { errcode: 93000, errmsg: 'invalid webhook url' };
    await expect(send()).rejects.toMatchObject({ code: 'refused', retryable: false });
    answer = { errcode: 45009, errmsg: 'api freq out of limit' };
    await expect(send()).rejects.toMatchObject({ code: 'refused', retryable: true });
  });

  it('DingTalk: signed with the secret (timestamp and sign), markdown with a title', async () => {
    await runTestAction(dingtalkConnector, 'send', {
      settings: { url: `${robot.url}/robot/send` },
      credentials: { accessToken: 'at-1', secret: 'SEC123' },
      input: { text: 'Cold-chain order o-2 breached 8°C', title: 'Pharma alert' },
    });
    const req = robot.requests.at(-1)!;
    const query = new URL(req.url, 'http://x').searchParams;
    expect(query.get('access_token')).toBe('at-1');
    const timestamp = Number(query.get('timestamp'));
    expect(Math.abs(Date.now() - timestamp)).toBeLessThan(60_000);
    expect(query.get('sign')).toBe(signDingTalk('SEC123', timestamp));
    expect(req.json).toMatchObject({ msgtype: 'markdown', markdown: { title: 'Pharma alert' } });
  });

  it('DingTalk without a secret sends no signature', async () => {
    await runTestAction(dingtalkConnector, 'send', {
      settings: { url: robot.url },
      credentials: { accessToken: 'at-2' },
      input: { text: 'plain' },
    });
    expect(robot.requests.at(-1)!.url).toBe('/?access_token=at-2');
  });

  it('Slack-style webhook: the URL is the credential', async () => {
    await runTestAction(slackConnector, 'send', {
      credentials: { webhookUrl: `${robot.url}/slack/T1/B1/xyz` },
      input: { text: 'Order o-3 shipped', title: 'Logistics' },
    });
    expect(robot.requests.at(-1)).toMatchObject({
      url: '/slack/T1/B1/xyz',
      json: { text: '*Logistics*\nOrder o-3 shipped' },
    });
  });

  it('E-mail: over SMTP with login, to the configured list', async () => {
    const received: { from?: string; to: string[]; body: string; user?: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'ordo' && auth.password === 'pw')
          return callback(null, { user: 'ordo' });
        callback(new Error('bad login'));
      },
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (c: Buffer) => (body += c.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            body,
            user: session.user as string,
          });
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    try {
      await runTestAction(emailConnector, 'send', {
        settings: { host: '127.0.0.1', port, from: 'ordo@example.com', to: ['ops@example.com'] },
        credentials: { username: 'ordo', password: 'pw' },
        idempotencyKey: 'o-4:3:0',
        input: { text: 'Order o-4 waits for finance', title: 'Finance review' },
      });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        from: 'ordo@example.com',
        to: ['ops@example.com'],
        user: 'ordo',
      });
      expect(received[0].body).toContain('Subject: Finance review');
      expect(received[0].body).toContain('Idempotency-Key: o-4:3:0');
      await expect(
        runTestAction(emailConnector, 'send', {
          settings: { host: '127.0.0.1', port, from: 'ordo@example.com', to: ['ops@example.com'] },
          credentials: { username: 'ordo', password: 'wrong' },
          input: { text: 'x' },
        }),
      ).rejects.toMatchObject({ code: 'smtp', retryable: false });
      // The password goes only to the credential's hosts: another port gets nothing.
      await expect(
        runTestAction(emailConnector, 'send', {
          settings: { host: '127.0.0.1', port, from: 'ordo@example.com', to: ['ops@example.com'] },
          credentials: { username: 'ordo', password: 'pw' },
          credentialHosts: ['127.0.0.1:465'],
          input: { text: 'x' },
        }),
      ).rejects.toMatchObject({ code: 'credential_host', retryable: false });
      expect(received).toHaveLength(1);
    } finally {
      await new Promise((r) => smtp.close(() => r(undefined)));
    }
  });

  it('E-mail to a private address is refused without an allow-list', async () => {
    await expect(
      runAction(emailConnector, 'send', {
        settings: { host: '10.0.0.25', port: 25, from: 'a@b.co', to: ['c@d.co'] },
        input: { text: 'x' },
        http: new SafeHttpClient(),
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ code: 'blocked_address' });
  });
});

describe('credentials in errors', () => {
  it('blanks a secret that travels in the URL out of the error', async () => {
    const error = await runTestAction(wecomConnector, 'send', {
      settings: { url: 'http://127.0.0.1:1/cgi-bin/webhook/send' },
      credentials: { key: 'wk-very-secret-key' },
      input: { text: 'x' },
    }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect((error as Error).message).toContain('key=***');
    expect((error as Error).message).not.toContain('wk-very-secret-key');
  });
});
