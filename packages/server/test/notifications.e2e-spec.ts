import { startTestServer } from '@ordo/connectors/testing';
import { io, type Socket } from 'socket.io-client';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const connect = (url: string, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => (socket.close(), reject(error)));
  });

const placedFlow = (robot: string) => ({
  schemaVersion: 1,
  key: 'placed',
  name: 'Placed',
  connectors: {
    'ops-robot': {
      type: 'wecom',
      settings: { url: `${robot}/wecom` },
      credential: 'wecom-key',
      retry: { attempts: 3, backoff: 'PT0.02S' },
    },
    'finance-robot': {
      type: 'dingtalk',
      settings: { url: `${robot}/ding` },
      credential: 'ding-token',
      retry: { attempts: 3, backoff: 'PT0.02S' },
    },
  },
  fields: [{ key: 'customer', type: 'string', required: true }],
  states: [
    {
      id: 'placed',
      initial: true,
      entry: [
        {
          notify: {
            to: { role: 'warehouse' },
            message: { en: 'Order for {{customer}} placed', 'zh-CN': '{{customer}} 的订单已下' },
            channels: ['ops-robot', 'finance-robot'],
          },
        },
      ],
    },
    { id: 'done', final: true },
  ],
  transitions: [{ id: 'finish', from: 'placed', to: 'done', event: 'finish' }],
});

describe.each(databaseKinds())('notifications on %s', (db) => {
  let app: TestApp;
  let robot: Awaited<ReturnType<typeof startTestServer>>;
  let dingFailures = 0;
  beforeAll(async () => {
    robot = await startTestServer((req) => {
      if (req.url.startsWith('/ding') && dingFailures > 0) {
        dingFailures--;
        return { status: 503 };
      }
      return { json: { errcode: 0, errmsg: 'ok' } };
    });
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/credentials', {
      name: 'wecom-key',
      secret: { key: 'wk' },
      hosts: ['127.0.0.1:*'],
    });
    await app.call('POST', '/api/credentials', {
      name: 'ding-token',
      secret: { accessToken: 'at', secret: 'SEC' },
      hosts: ['127.0.0.1:*'],
    });
    await publishFlow(app, placedFlow(robot.url));
  });
  afterAll(async () => {
    await app.close();
    await robot.close();
  });

  it('lists the notification, sends it live to the role, and out through every channel once', async () => {
    const key = await app.call('POST', '/api/keys', {
      name: 'warehouse screen',
      roles: ['viewer', 'warehouse'],
    });
    const socket = await connect(app.url, key.body.key);
    try {
      const live = new Promise<any>((resolve) => socket.once('notification', resolve));
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'placed',
        data: { customer: 'ACME' },
      });
      const event = await live;
      expect(event.notification).toMatchObject({
        orderId: order.id,
        flow: 'placed',
        to: { role: 'warehouse' },
        message: { en: 'Order for ACME placed', 'zh-CN': 'ACME 的订单已下' },
      });
      const mine = await app.call('GET', '/api/notifications', undefined, { as: key.body.key });
      expect(mine.body.items.map((n: { orderId: string }) => n.orderId)).toContain(order.id);
      const byRole = await app.call('GET', '/api/notifications?role=warehouse');
      expect(byRole.body.items[0].orderId).toBe(order.id);
      const [effect] = await waitFor(async () => {
        const items = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
        return items[0]?.status === 'done' && items;
      });
      expect(effect.result.delivered).toEqual(['ops-robot', 'finance-robot']);
      const sent = robot.requests.filter((r) =>
        String(r.headers['idempotency-key']).startsWith(effect.idempotencyKey),
      );
      expect(sent.map((r) => [r.url.split('?')[0], r.headers['idempotency-key']])).toEqual([
        ['/wecom', `${effect.idempotencyKey}:ops-robot`],
        ['/ding', `${effect.idempotencyKey}:finance-robot`],
      ]);
      expect(sent[0].json).toEqual({ msgtype: 'text', text: { content: 'Order for ACME placed' } });
    } finally {
      socket.close();
    }
  });

  it('retries only the channel that failed', async () => {
    dingFailures = 2;
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'placed',
      data: { customer: 'Retry Co' },
    });
    const [effect] = await waitFor(async () => {
      const items = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
      return items[0]?.status === 'done' && items;
    });
    expect(effect.attempts).toBe(3);
    const sent = robot.requests.filter((r) =>
      String(r.headers['idempotency-key']).startsWith(effect.idempotencyKey),
    );
    expect(sent.filter((r) => r.url.startsWith('/wecom'))).toHaveLength(1);
    expect(sent.filter((r) => r.url.startsWith('/ding'))).toHaveLength(3);
    const notes = await app.call('GET', `/api/notifications?orderId=${order.id}`);
    expect(notes.body.items).toHaveLength(1);
  });

  it('keeps a credential out of the effect, the API and every log line when a channel fails', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      }),
    );
    try {
      const secret = 'wecom-key-never-shown-0042';
      await app.call('POST', '/api/credentials', {
        name: 'closed-key',
        secret: { key: secret },
        hosts: ['127.0.0.1:*'],
      });
      const doc = placedFlow(robot.url);
      doc.key = 'closed-channel';
      doc.connectors['ops-robot'] = {
        type: 'wecom',
        settings: { url: 'http://127.0.0.1:1/cgi-bin/webhook/send' },
        credential: 'closed-key',
        retry: { attempts: 1, backoff: 'PT0.02S' },
      };
      doc.states[0].entry![0].notify.channels = ['ops-robot'];
      await publishFlow(app, doc);
      const { body: order } = await app.call('POST', '/api/orders', {
        flow: 'closed-channel',
        data: { customer: 'Nobody' },
      });
      const [effect] = await waitFor(async () => {
        const items = (await app.call('GET', `/api/effects?orderId=${order.id}`)).body.items;
        return items[0]?.status === 'dead' && items;
      });
      expect(effect.lastError).toContain('key=***');
      const answers = await Promise.all(
        [
          '/api/effects?limit=500',
          '/api/credentials',
          `/api/notifications?orderId=${order.id}`,
        ].map((route) => app.call('GET', route)),
      );
      for (const answer of answers) expect(JSON.stringify(answer.body)).not.toContain(secret);
      expect(logged.join('\n')).not.toContain(secret);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('refuses a channel that is not a notification connector, and a bad list query', async () => {
    const doc = placedFlow(robot.url);
    (doc.connectors as Record<string, unknown>)['ops-robot'] = {
      type: 'http',
      settings: { baseUrl: 'https://x.example.com' },
    };
    doc.key = 'bad-channel';
    await app.call('POST', '/api/flows', doc);
    const published = await app.call('POST', '/api/flows/bad-channel/publish', {});
    expect(published.status).toBe(422);
    expect(published.body.errors).toEqual([
      expect.objectContaining({
        path: '/states/0/entry/0/notify/channels/0',
        code: 'not_a_channel',
      }),
    ]);
    const bad = await app.call('GET', '/api/notifications?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/limit');
  });
});
