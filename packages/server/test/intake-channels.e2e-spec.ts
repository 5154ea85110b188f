/**
 * The channel list (`GET /api/intake/channels`): derived from the published flows' documents
 * and the server's settings — e-mail to the SMTP receiver, a polled mailbox, WeCom and
 * DingTalk callbacks, the file import, an ERP pull — with each channel's last message and its
 * counts by outcome, after real messages (nodemailer over SMTP, a signed DingTalk callback).
 * A draft is not listed; a bad filter is a 400 problem naming it.
 */
import {
  createDingTalkSession,
  dingTalkHeaders,
  dingTalkText,
  FAKE_DINGTALK_APP,
} from '@ordo/fake-systems';
import { standardOrderFlow } from '@ordo/engine/testing';
import { ErpPullService } from '../src/intake/erp-pull.service';
import { SmtpReceiver } from '../src/intake/smtp-receiver';
import { publishFlow } from './support/flows';
import { sendMail } from './support/mail';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const message = {
  header: { Store: 'customer.id', 'Order no': 'externalRef' },
  line: '{sku} x {qty}',
};

describe.each(databaseKinds())('intake channels on %s', (db) => {
  let app: TestApp;
  const session = createDingTalkSession();
  let sessionUrl: string;
  let smtpPort: number;
  const channels = async (query = '') => {
    const answer = await app.call('GET', `/api/intake/channels${query}`);
    expect(answer.status).toBe(200);
    return answer.body.items as Record<string, any>[];
  };
  const settled = () =>
    waitFor(async () => {
      const { items } = (await app.call('GET', '/api/intake/messages')).body;
      return items.length === 3 && items.every((m: any) => m.outcome !== 'pending') && items;
    });

  beforeAll(async () => {
    sessionUrl = await session.start();
    app = await startTestApp({
      db,
      config: {
        outboundAllow: ['127.0.0.1:*'],
        mail: {
          smtp: { port: 0, host: '127.0.0.1', allow: ['stores.example'], maxBytes: 1_000_000 },
        },
      },
    });
    smtpPort = app.server.app.get(SmtpReceiver).port()!;
    await app.call('POST', '/api/credentials', {
      name: 'dingtalk-robot',
      secret: FAKE_DINGTALK_APP,
      hosts: ['127.0.0.1:*'],
    });
    await publishFlow(app, {
      ...standardOrderFlow,
      key: 'shop-mail',
      intake: {
        message,
        email: {
          to: ['orders@shop.example', 'po@shop.example'],
          channel: 'mail',
          imap: {
            host: '127.0.0.1',
            port: 1,
            tls: false,
            plaintext: true,
            user: 'orders',
            credential: 'no-such-mailbox',
            every: 'PT1H',
          },
        },
        wecom: { corpId: 'ww-acme', agentId: 1000002, credential: 'wecom-later' },
        dingtalk: { credential: 'dingtalk-robot', replyHosts: [new URL(sessionUrl).host] },
      },
    });
    await publishFlow(app, {
      ...standardOrderFlow,
      key: 'erp-orders',
      connectors: { erp: { type: 'http', settings: { baseUrl: 'http://127.0.0.1:9/api/' } } },
      triggers: [
        {
          id: 'erp-new',
          pull: {
            connector: 'erp',
            path: '/orders',
            every: 'PT1H',
            mapping: { number: 'externalRef', 'lines[].code': 'lines[].sku' },
          },
        },
      ],
    });
    // A draft never published takes no orders: it has no channel.
    expect(
      (await app.call('POST', '/api/flows', { ...standardOrderFlow, key: 'draft-only' })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await session.close();
  });

  it('lists every channel the published documents enable, before any message', async () => {
    const items = await channels();
    expect(items.map((c) => `${c.flow}/${c.kind}`)).toEqual([
      'erp-orders/file',
      'erp-orders/pull',
      'shop-mail/email',
      'shop-mail/imap',
      'shop-mail/wecom',
      'shop-mail/dingtalk',
      'shop-mail/file',
    ]);
    const by = (kind: string) => items.find((c) => c.kind === kind && c.flow === 'shop-mail')!;
    expect(by('email')).toMatchObject({
      messages: 'email',
      address: 'orders@shop.example, po@shop.example',
      addresses: ['orders@shop.example', 'po@shop.example'],
      receiver: { host: '127.0.0.1', port: smtpPort },
      orderChannel: 'mail',
      lastAt: null,
      counts: {},
    });
    expect(by('imap')).toMatchObject({
      address: 'orders@127.0.0.1:1/INBOX',
      mailbox: { flow: 'shop-mail', mailbox: 'orders@127.0.0.1:1/INBOX' },
    });
    expect(JSON.stringify(by('imap'))).not.toContain('password');
    expect(by('wecom')).toMatchObject({
      address: '/api/intake/wecom/shop-mail',
      corpId: 'ww-acme',
      agentId: 1000002,
      orderChannel: 'wecom',
    });
    expect(by('dingtalk')).toMatchObject({
      address: '/api/intake/dingtalk/shop-mail',
      replyHosts: [new URL(sessionUrl).host],
    });
    expect(by('file')).toMatchObject({ address: '/api/flows/shop-mail/imports', messages: null });
    expect(items.find((c) => c.kind === 'pull')).toMatchObject({
      flow: 'erp-orders',
      address: 'http://127.0.0.1:9/api/orders',
      trigger: 'erp-new',
      connector: 'erp',
      every: 'PT1H',
      orderChannel: 'erp',
    });
    // The background puller may have run it already (its first run is due at once).
    const pull = items.find((c) => c.kind === 'pull')!;
    expect(pull.pull === null || pull.pull.trigger === 'erp-new').toBe(true);
  });

  it('counts messages by outcome per channel after real e-mail and a DingTalk callback', async () => {
    await sendMail(smtpPort, {
      from: 'buyer@stores.example',
      to: 'orders@shop.example',
      subject: 'PO 1',
      text: 'Store: S-1\nOrder no: CH-1\nSKU-1 x 2',
    });
    await sendMail(smtpPort, {
      from: 'buyer@stores.example',
      to: 'po@shop.example',
      subject: 'PO 2',
      text: 'Store: S-1\nOrder no: CH-2\nthree boxes of SKU-1 please 3',
    });
    const posted = await app.call(
      'POST',
      '/api/intake/dingtalk/shop-mail',
      dingTalkText({
        content: 'Store: S-2\nOrder no: CH-3\nSKU-2 x 1',
        msgId: 'ch-dt-1',
        sessionWebhook: `${sessionUrl}/robot/sendBySession?session=s1`,
      }),
      { as: '', headers: dingTalkHeaders(FAKE_DINGTALK_APP.appSecret) },
    );
    expect(posted.status).toBe(200);
    const messages = await settled();
    const items = await channels('?flow=shop-mail');
    const email = items.find((c) => c.kind === 'email')!;
    expect(email.counts).toEqual({ created: 1, refused: 1 });
    const newestMail = messages
      .filter((m: any) => m.channel === 'email')
      .map((m: any) => m.receivedAt)
      .sort()
      .pop();
    expect(email.lastAt).toBe(newestMail);
    // The polled mailbox records e-mail too: it shows the same counts.
    expect(items.find((c) => c.kind === 'imap')!.counts).toEqual({ created: 1, refused: 1 });
    expect(items.find((c) => c.kind === 'dingtalk')).toMatchObject({
      counts: { created: 1 },
      lastAt: messages.find((m: any) => m.channel === 'dingtalk').receivedAt,
    });
    expect(items.find((c) => c.kind === 'wecom')!.counts).toEqual({});
  });

  it("shows a message's answer as the sender is answered: an e-mail's with its subject, a chat's short", async () => {
    const messages = await settled();
    const refused = messages.find((m: any) => m.outcome === 'refused');
    const detail = (await app.call('GET', `/api/intake/messages/${refused.id}`)).body;
    expect(detail.reply.subject).toContain('PO 2');
    expect(detail.reply.text).toContain('three boxes of SKU-1 please 3');
    expect(detail.reply.text).toContain(refused.id);
    const chat = messages.find((m: any) => m.channel === 'dingtalk');
    const chatReply = (await app.call('GET', `/api/intake/messages/${chat.id}`)).body.reply;
    expect(chatReply.text).toContain('CH-3');
    expect(chatReply.text).not.toContain('po@shop.example');
    // The list leaves the answer out, as it leaves out what was read.
    expect(messages[0].reply).toBeUndefined();
  });

  it('shows the mailbox as its last poll left it', async () => {
    const polled = await waitFor(async () => {
      const answer = await app.call('POST', '/api/intake/mailboxes/shop-mail/poll');
      return answer.status === 200 && answer.body;
    });
    expect(polled.state).toBe('failed');
    const [imap] = await channels('?flow=shop-mail&kind=imap');
    expect(imap.mailbox).toMatchObject({ state: 'failed', polledAt: polled.polledAt });
    expect(imap.mailbox.message).toBeTruthy();
  });

  it("shows a pull's last run: when, how it went, and it is the channel's last time", async () => {
    // Nothing listens on the discard port: the run fails, and says why.
    const run = await waitFor(() =>
      app.server.app.get(ErpPullService).runNow('erp-orders', 'erp-new'),
    );
    expect(run.outcome).toBe('failed');
    const [pull] = await channels('?kind=pull');
    expect(pull.pull).toMatchObject({ trigger: 'erp-new', outcome: 'failed', cursor: null });
    expect(pull.pull.message).toBeTruthy();
    expect(pull.lastAt).toBe(pull.pull.runAt);
    expect(pull.counts).toEqual({});
  });

  it('filters by flow and kind', async () => {
    expect((await channels('?kind=pull')).map((c) => c.flow)).toEqual(['erp-orders']);
    expect((await channels('?flow=erp-orders')).map((c) => c.kind)).toEqual(['file', 'pull']);
    expect(await channels('?flow=draft-only')).toEqual([]);
    expect(await channels('?flow=nobody')).toEqual([]);
  });

  it.each([
    ['?kind=fax', '/kind'],
    ['?flow=Not%20a%20key', '/flow'],
    ['?flow=a&flow=b', '/flow'],
    ['?channel=email', '/channel'],
  ])('refuses %s with a 400 problem naming %s', async (query, path) => {
    const answer = await app.call('GET', `/api/intake/channels${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ code: 'invalid_query', errors: [{ path }] });
  });

  it('is for signed-in operators only', async () => {
    expect((await app.call('GET', '/api/intake/channels', undefined, { as: '' })).status).toBe(401);
    const viewer = (await app.call('POST', '/api/keys', { name: 'wall', roles: ['viewer'] })).body;
    const refused = await app.call('GET', '/api/intake/channels', undefined, { as: viewer.key });
    expect(refused.status).toBe(403);
    const operator = (await app.call('POST', '/api/keys', { name: 'desk', roles: ['operator'] }))
      .body;
    expect(
      (await app.call('GET', '/api/intake/channels', undefined, { as: operator.key })).status,
    ).toBe(200);
  });
});
