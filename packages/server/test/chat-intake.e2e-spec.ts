/**
 * Orders by chat end to end: WeCom application callbacks (URL verification, encrypted
 * messages) and DingTalk outgoing-robot callbacks, sent exactly as the platforms send them
 * (the fake systems' helpers), read by the flow's message format into orders, recorded once
 * per message id, and answered in the chat — through the fake WeCom application API and the
 * fake DingTalk session webhook. Every forged, stale, altered, misaddressed, oversized or
 * misdirected callback is a 4xx problem that writes nothing.
 */
import {
  createDingTalkSession,
  createWecomApp,
  dingTalkHeaders,
  dingTalkText,
  FAKE_DINGTALK_APP,
  FAKE_WECOM_APP,
  wecomCallback,
  wecomQuery,
  wecomTextXml,
  wecomVerification,
} from '@ordo/fake-systems';
import { standardOrderFlow } from '@ordo/engine/testing';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const keys = {
  corpId: FAKE_WECOM_APP.corpId,
  token: FAKE_WECOM_APP.token,
  encodingAESKey: FAKE_WECOM_APP.encodingAESKey,
};
const message = {
  header: {
    Store: 'customer.id',
    门店: 'customer.id',
    'Order no': 'externalRef',
    单号: 'externalRef',
  },
  line: '{sku} x {qty}',
};

interface Reply {
  to: string;
  text: string;
}

describe.each(databaseKinds())('orders by chat on %s', (db) => {
  let app: TestApp;
  const wecom = createWecomApp();
  const session = createDingTalkSession();
  let wecomUrl: string;
  let sessionUrl: string;
  const qs = (query: Record<string, string>) => new URLSearchParams(query).toString();
  const postWecom = (flow: string, callback: { query: Record<string, string>; body: string }) =>
    app.call('POST', `/api/intake/wecom/${flow}?${qs(callback.query)}`, undefined, {
      as: '',
      raw: callback.body,
      headers: { 'content-type': 'text/xml' },
    });
  const postDingTalk = (
    flow: string,
    body: object,
    headers = dingTalkHeaders(FAKE_DINGTALK_APP.appSecret),
  ) => app.call('POST', `/api/intake/dingtalk/${flow}`, body, { as: '', headers });
  const text = (content: string, msgId: string, from = 'li.wei') =>
    wecomTextXml({ corpId: keys.corpId, from, content, msgId, agentId: FAKE_WECOM_APP.agentId });
  const count = async () =>
    Number((await app.server.db.query('SELECT COUNT(*) AS n FROM intake_messages'))[0].n);
  const orderCount = async () =>
    Number((await app.server.db.query('SELECT COUNT(*) AS n FROM orders'))[0].n);
  const record = (id: string) =>
    waitFor(async () => {
      const got = await app.call('GET', `/api/intake/messages/${id}`);
      return got.body.outcome !== 'pending' && got.body.answeredAt && got.body;
    });
  const replies = async (url: string) =>
    ((await (await fetch(`${url}/_test/messages`)).json()) as { messages: Reply[] }).messages;
  const replyFor = (url: string, id: string) =>
    waitFor(async () => (await replies(url)).find((m) => m.text.includes(id)));
  const webhook = (sessionId: string) => `${sessionUrl}/robot/sendBySession?session=${sessionId}`;

  beforeAll(async () => {
    wecomUrl = await wecom.start();
    sessionUrl = await session.start();
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    const store = (name: string, secret: Record<string, string>) =>
      app.call('POST', '/api/credentials', { name, secret, hosts: ['127.0.0.1:*'] });
    expect(
      (await store('wecom-app', { ...keys, corpSecret: FAKE_WECOM_APP.corpSecret })).status,
    ).toBe(201);
    expect((await store('dingtalk-robot', FAKE_DINGTALK_APP)).status).toBe(201);
    await publishFlow(app, {
      ...standardOrderFlow,
      key: 'chat-orders',
      intake: {
        message,
        wecom: {
          corpId: keys.corpId,
          agentId: FAKE_WECOM_APP.agentId,
          credential: 'wecom-app',
          apiUrl: wecomUrl,
        },
        dingtalk: { credential: 'dingtalk-robot', replyHosts: [new URL(sessionUrl).host] },
      },
    });
    await publishFlow(app, { ...standardOrderFlow, key: 'no-chat' });
  });
  afterAll(async () => {
    await app.close();
    await wecom.close();
    await session.close();
  });

  it('WeCom URL verification answers the decrypted echostr; a forged one is refused', async () => {
    const { query, echo } = wecomVerification(keys);
    const ok = await fetch(`${app.url}/api/intake/wecom/chat-orders?${qs(query)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(await ok.text()).toBe(echo);
    const forged = await app.call(
      'GET',
      `/api/intake/wecom/chat-orders?${qs({ ...query, msg_signature: 'f'.repeat(40) })}`,
      undefined,
      { as: '' },
    );
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect(forged.body.code).toBe('bad_signature');
    const missing = await app.call('GET', '/api/intake/wecom/chat-orders?timestamp=1', undefined, {
      as: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('/msg_signature');
  });

  it('WeCom: a text order creates the order, is recorded once, and the member gets the answer by the app API', async () => {
    const callback = wecomCallback(
      keys,
      text('Store: S-1\nOrder no: WC-100\nSKU-COLA-330 x 120', 'wc-msg-1'),
      {
        agentId: FAKE_WECOM_APP.agentId,
      },
    );
    const taken = await postWecom('chat-orders', callback);
    expect(taken.status).toBe(200);
    const id = taken.headers.get('x-ordo-message')!;
    const done = await record(id);
    expect(done).toMatchObject({
      channel: 'wecom',
      messageId: 'wc-msg-1',
      from: 'li.wei',
      outcome: 'created',
      orders: [{ externalRef: 'WC-100' }],
      language: 'en',
      auth: { channel: 'wecom', corpId: keys.corpId },
    });
    const [order] = (await app.call('GET', '/api/orders?flow=chat-orders&externalRef=WC-100')).body
      .items;
    expect(order).toMatchObject({
      channel: 'wecom',
      data: { customer: { id: 'S-1' }, lines: [{ sku: 'SKU-COLA-330', qty: 120 }] },
    });
    const history = (await app.call('GET', `/api/orders/${order.id}/history`)).body.items;
    expect(history[0].source).toEqual({
      kind: 'chat',
      channel: 'wecom',
      id,
      messageId: 'wc-msg-1',
      from: 'li.wei',
      lines: [1, 2, 3],
    });
    const reply = await replyFor(wecomUrl, id);
    expect(reply).toMatchObject({ to: 'li.wei', agentId: FAKE_WECOM_APP.agentId });
    expect(reply.text).toMatch(/^Your order message: 1 order\(s\) created\./);
    expect(reply.text).toContain('WC-100');

    // WeCom redelivers when it saw no answer in time: taken once, answered once.
    const again = await postWecom('chat-orders', callback);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ordo-replayed')).toBe('true');
    expect((await app.call('GET', `/api/intake/messages/${id}`)).body.duplicates).toBe(1);
    expect(
      (await app.call('GET', '/api/orders?flow=chat-orders&externalRef=WC-100')).body.items,
    ).toHaveLength(1);
    expect((await replies(wecomUrl)).filter((m) => m.text.includes(id))).toHaveLength(1);
    const raw = await fetch(`${app.url}/api/intake/messages/${id}/raw`, {
      headers: { authorization: `Bearer ${app.adminKey}` },
    });
    expect(raw.headers.get('content-type')).toContain('application/xml');
    expect(await raw.text()).toContain('<MsgId>wc-msg-1</MsgId>');
  });

  it('WeCom: Chinese text is answered in Chinese, naming the line not understood', async () => {
    const taken = await postWecom(
      'chat-orders',
      wecomCallback(keys, text('门店：S-2\nSKU-COLA-330 x 12\n可乐 2 箱', 'wc-msg-2', 'wang.fang')),
    );
    const done = await record(taken.headers.get('x-ordo-message')!);
    expect(done).toMatchObject({
      outcome: 'refused',
      language: 'zh-CN',
      problems: [expect.objectContaining({ line: 3 })],
    });
    const reply = await replyFor(wecomUrl, done.id);
    expect(reply.to).toBe('wang.fang');
    expect(reply.text).toMatch(/^您的订单消息：未创建订单。/);
    expect(reply.text).toContain('第 3 行');
    expect(reply.text).toContain('此消息在 Ordo 中的编号');
    // The operator's retry works it again and answers in the chat again.
    const retried = await app.call('POST', `/api/intake/messages/${done.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ channel: 'wecom', outcome: 'refused', attempts: 2 });
    await waitFor(
      async () => (await replies(wecomUrl)).filter((m) => m.text.includes(done.id)).length === 2,
    );
  });

  it('WeCom attacks: forged, stale, altered, misaddressed, oversized, misrouted — each a 4xx, nothing written', async () => {
    const before = [await count(), await orderCount()];
    const xml = text('Store: S-9\nSKU-X x 1', 'wc-attack');
    const good = wecomCallback(keys, xml);
    const refused = async (
      answer: Promise<{ status: number; body: any; headers: Headers }>,
      status: number,
      code: string,
    ) => {
      const got = await answer;
      expect([got.status, got.body.code]).toEqual([status, code]);
      expect(got.headers.get('content-type')).toContain('application/problem+json');
    };
    await refused(
      postWecom('chat-orders', {
        ...good,
        query: { ...good.query, msg_signature: '0'.repeat(40) },
      }),
      401,
      'bad_signature',
    );
    await refused(
      postWecom(
        'chat-orders',
        wecomCallback(keys, xml, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
      ),
      401,
      'stale_timestamp',
    );
    // Altered blocks, signed again by someone who has the token but not the AES key.
    const encrypted = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(good.body)![1];
    const bytes = Buffer.from(encrypted, 'base64');
    bytes[bytes.length - 20] ^= 0xff;
    const altered = bytes.toString('base64');
    await refused(
      postWecom('chat-orders', {
        query: wecomQuery(keys, altered),
        body: good.body.replace(encrypted, altered),
      }),
      400,
      'bad_ciphertext',
    );
    await refused(
      postWecom('chat-orders', wecomCallback(keys, xml, { receiveId: 'ww-other-corp' })),
      403,
      'wrong_receiver',
    );
    await refused(
      postWecom(
        'chat-orders',
        wecomCallback(
          keys,
          wecomTextXml({
            corpId: keys.corpId,
            from: 'x',
            content: 'a',
            msgId: 'wc-agent',
            agentId: 999,
          }),
        ),
      ),
      403,
      'wrong_receiver',
    );
    await refused(
      postWecom(
        'chat-orders',
        wecomCallback(keys, text(`Store: S\n${'SKU x 1\n'.repeat(9000)}`, 'wc-big')),
      ),
      413,
      'body_too_large',
    );
    await refused(postWecom('nowhere', good), 404, 'not_found');
    await refused(postWecom('no-chat', good), 404, 'no_chat_intake');
    await refused(
      app.call('POST', '/api/flows', undefined, {
        raw: '<xml/>',
        headers: { 'content-type': 'text/xml' },
      }),
      415,
      'unsupported_media_type',
    );
    expect([await count(), await orderCount()]).toEqual(before);
  });

  it('DingTalk: a signed robot message creates the order and the reply goes to its session webhook', async () => {
    const taken = await postDingTalk(
      'chat-orders',
      dingTalkText({
        content: ' 门店：S-3\n单号：DT-100\nSKU-COLA-330 x 120',
        msgId: 'dt-msg-1',
        sessionWebhook: webhook('s-1'),
      }),
    );
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ outcome: 'stored' });
    const done = await record(taken.body.id);
    expect(done).toMatchObject({
      channel: 'dingtalk',
      from: 'staff-1',
      outcome: 'created',
      orders: [{ externalRef: 'DT-100' }],
      language: 'zh-CN',
      subject: 'Orders',
    });
    const [order] = (await app.call('GET', '/api/orders?flow=chat-orders&externalRef=DT-100')).body
      .items;
    expect(order.channel).toBe('dingtalk');
    const reply = await replyFor(sessionUrl, done.id);
    expect(reply.to).toBe('s-1');
    expect(reply.text).toMatch(/^您的订单消息：已创建 1 个订单。/);
    expect(reply.text).toContain('DT-100');
    const again = await postDingTalk(
      'chat-orders',
      dingTalkText({
        content: ' 门店：S-3\n单号：DT-100\nSKU-COLA-330 x 120',
        msgId: 'dt-msg-1',
        sessionWebhook: webhook('s-1'),
      }),
    );
    expect([again.status, again.body.outcome, again.headers.get('x-ordo-replayed')]).toEqual([
      200,
      'duplicate',
      'true',
    ]);
    const listed = (await app.call('GET', '/api/intake/messages?channel=dingtalk')).body.items;
    expect(listed.map((m: { id: string }) => m.id)).toEqual([done.id]);
  });

  it('DingTalk attacks: bad sign, stale, a reply address off the list or private, oversized — each a 4xx, nothing written', async () => {
    const before = [await count(), await orderCount()];
    const body = (sessionWebhook: string, msgId = 'dt-attack') =>
      dingTalkText({ content: 'Store: S-9\nSKU-X x 1', msgId, sessionWebhook });
    const expectRefused = async (
      answer: Promise<{ status: number; body: any }>,
      status: number,
      code: string,
    ) => {
      const got = await answer;
      expect([got.status, got.body.code]).toEqual([status, code]);
      return got.body;
    };
    await expectRefused(
      postDingTalk('chat-orders', body(webhook('x')), dingTalkHeaders('wrong-secret')),
      401,
      'bad_signature',
    );
    await expectRefused(
      postDingTalk('chat-orders', body(webhook('x')), { timestamp: String(Date.now()), sign: '' }),
      401,
      'bad_signature',
    );
    await expectRefused(
      postDingTalk(
        'chat-orders',
        body(webhook('x')),
        dingTalkHeaders(FAKE_DINGTALK_APP.appSecret, Date.now() - 3_700_000),
      ),
      401,
      'stale_timestamp',
    );
    for (const target of [
      'https://attacker.example/robot/sendBySession?session=x',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5:8080/robot',
      `${sessionUrl.replace('127.0.0.1', 'localhost')}/robot/sendBySession`,
    ]) {
      const problem = await expectRefused(
        postDingTalk('chat-orders', body(target)),
        422,
        'invalid_body',
      );
      expect(problem.errors).toEqual([
        expect.objectContaining({ path: '/sessionWebhook', code: 'reply_host' }),
      ]);
    }
    await expectRefused(
      postDingTalk('chat-orders', { ...body(webhook('x')), text: { content: 'x'.repeat(70_000) } }),
      413,
      'body_too_large',
    );
    await expectRefused(postDingTalk('chat-orders', { hello: 'world' }), 400, 'bad_message');
    await expectRefused(postDingTalk('no-chat', body(webhook('x'))), 404, 'no_chat_intake');
    expect([await count(), await orderCount()]).toEqual(before);
  });

  it('a listed reply host on a private address still needs the outbound allow-list', async () => {
    await publishFlow(app, {
      ...standardOrderFlow,
      key: 'chat-private',
      intake: { message, dingtalk: { credential: 'dingtalk-robot', replyHosts: ['10.9.8.7:80'] } },
    });
    const before = await count();
    const got = await postDingTalk(
      'chat-private',
      dingTalkText({
        content: 'Store: S\nSKU x 1',
        msgId: 'dt-private',
        sessionWebhook: 'http://10.9.8.7/robot',
      }),
    );
    expect(got.status).toBe(422);
    expect(got.body.errors[0].message).toContain('ORDO_OUTBOUND_ALLOW');
    expect(await count()).toBe(before);
  });

  it('publishing refuses bad chat settings, naming the path', async () => {
    await app.call('POST', '/api/credentials', {
      name: 'half',
      secret: { token: 't' },
      hosts: ['127.0.0.1:*'],
    });
    const publish = async (intake: object) => {
      const key = `bad-chat-${Math.random().toString(36).slice(2, 8)}`;
      await app.call('POST', '/api/flows', { ...standardOrderFlow, key, intake });
      const got = await app.call('POST', `/api/flows/${key}/publish`, {});
      expect(got.status).toBe(422);
      return (got.body.problems ?? got.body.errors)
        .filter((p: { severity?: string }) => p.severity !== 'warning')
        .map((p: { path: string; code: string }) => [p.path, p.code]);
    };
    expect(
      await publish({
        wecom: { corpId: 'ww', agentId: 1, credential: 'wecom-app', apiUrl: wecomUrl },
      }),
    ).toEqual([['/intake/wecom', 'no_reader']]);
    expect(
      await publish({
        message,
        wecom: { corpId: 'ww', agentId: 1, credential: 'half', apiUrl: wecomUrl },
      }),
    ).toEqual([['/intake/wecom/credential', 'credential_fields']]);
    expect(
      await publish({
        message,
        wecom: {
          corpId: 'ww',
          agentId: 1,
          credential: 'wecom-app',
          apiUrl: 'https://qyapi.weixin.qq.com',
        },
      }),
    ).toEqual([['/intake/wecom/apiUrl', 'credential_host']]);
    expect(
      await publish({
        message,
        dingtalk: { credential: 'dingtalk-robot', replyHosts: ['https://x.example/'] },
      }),
    ).toEqual([['/intake/dingtalk/replyHosts/0', 'host_pattern']]);
  });
});
