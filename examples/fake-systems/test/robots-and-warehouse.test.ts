import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import {
  createDingTalkSession,
  createWecomApp,
  FAKE_DINGTALK,
  FAKE_WECOM_APP,
  FAKE_WECOM_KEY,
  startFakeSystems,
} from '../src';

type Systems = Awaited<ReturnType<typeof startFakeSystems>>;

const call = async (url: string, method = 'GET', body?: unknown) => {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

const sign = (secret: string, timestamp: number) =>
  encodeURIComponent(
    createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'),
  );

describe('fake robots, pick lists and work orders', () => {
  let fake: Systems;
  beforeAll(async () => {
    fake = await startFakeSystems();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    for (const url of Object.values(fake.urls)) await call(`${url}/_admin/reset`, 'POST');
  });

  it('WeCom: a known key gets errcode 0 and the message is recorded; a bad key or body is refused', async () => {
    const send = (key: string, body: unknown) =>
      call(`${fake.urls.wecom}/cgi-bin/webhook/send?key=${key}`, 'POST', body);
    const text = { msgtype: 'text', text: { content: 'FM-1 packed' } };
    expect((await send(FAKE_WECOM_KEY, text)).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await send('stolen', text)).body.errcode).toBe(93000);
    expect((await send(FAKE_WECOM_KEY, { msgtype: 'text', text: {} })).body.errcode).toBe(44004);
    expect((await send(FAKE_WECOM_KEY, { msgtype: 'image' })).body.errcode).toBe(40008);
    expect((await call(`${fake.urls.wecom}/_test/robots`, 'POST', { key: 'k2' })).status).toBe(201);
    expect((await send('k2', text)).body.errcode).toBe(0);
    const { messages } = (await call(`${fake.urls.wecom}/_test/messages`)).body;
    expect(messages.map((m: { robot: string; text: string }) => [m.robot, m.text])).toEqual([
      [FAKE_WECOM_KEY, 'FM-1 packed'],
      ['k2', 'FM-1 packed'],
    ]);
  });

  it('DingTalk: checks the token and the timestamp+sign; records accepted messages', async () => {
    const { accessToken, secret } = FAKE_DINGTALK;
    const send = (query: string) =>
      call(`${fake.urls.dingtalk}/robot/send?${query}`, 'POST', {
        msgtype: 'markdown',
        markdown: { title: 'WO-2026-000001', text: '### WO-2026-000001\n120 × desk' },
      });
    const now = Date.now();
    const good = `access_token=${accessToken}&timestamp=${now}&sign=${sign(secret, now)}`;
    expect((await send(good)).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(
      (await send(`access_token=nope&timestamp=${now}&sign=${sign(secret, now)}`)).body.errcode,
    ).toBe(300001);
    // No signature, a signature by another secret, a replay more than an hour old.
    expect((await send(`access_token=${accessToken}`)).body.errcode).toBe(310000);
    const forged = `access_token=${accessToken}&timestamp=${now}&sign=${sign('SECother', now)}`;
    expect((await send(forged)).body.errcode).toBe(310000);
    const old = now - 3_700_000;
    expect(
      (await send(`access_token=${accessToken}&timestamp=${old}&sign=${sign(secret, old)}`)).body
        .errcode,
    ).toBe(310000);
    // A robot without a secret (keyword or IP security) needs no signature.
    await call(`${fake.urls.dingtalk}/_test/robots`, 'POST', { accessToken: 'plain' });
    expect((await send('access_token=plain')).body.errcode).toBe(0);
    const { messages } = (await call(`${fake.urls.dingtalk}/_test/messages`)).body;
    expect(messages).toEqual([
      expect.objectContaining({ robot: accessToken, msgtype: 'markdown', title: 'WO-2026-000001' }),
      expect.objectContaining({ robot: 'plain' }),
    ]);
  });

  it('WMS: a pick list for a reservation is picked then packed, each step a signed webhook', async () => {
    const secret = `whsec_${Buffer.from('wms-hook-secret-for-the-test-01').toString('base64')}`;
    const received: unknown[] = [];
    const hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
        );
        received.push(new Webhook(secret).verify(raw, headers));
        res.writeHead(202).end('{}');
      });
    });
    hook.listen(0, '127.0.0.1');
    await once(hook, 'listening');
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    try {
      const wms = fake.urls.wms;
      await call(`${wms}/_test/hook`, 'POST', { url, secret });
      const reserved = await call(`${wms}/reservations`, 'POST', {
        orderId: 'o-1',
        lines: [{ sku: 'A', qty: 3 }],
      });
      const { reservationId } = reserved.body;
      expect(
        (await call(`${wms}/picks`, 'POST', { orderId: 'o-1', reservationId: 'R-9' })).status,
      ).toBe(404);
      const pick = await call(`${wms}/picks`, 'POST', { orderId: 'o-1', reservationId });
      expect(pick).toMatchObject({
        status: 201,
        body: { status: 'released', lines: [{ sku: 'A', qty: 3 }] },
      });
      const { pickId } = pick.body;
      expect(await call(`${wms}/picks/${pickId}/packed`, 'POST', { parcels: 1 })).toMatchObject({
        status: 409,
        body: { error: 'wrong_step', needed: 'picked' },
      });
      expect((await call(`${wms}/picks/${pickId}/picked`, 'POST', {})).body.status).toBe(202);
      expect((await call(`${wms}/picks/${pickId}/packed`, 'POST', {})).status).toBe(422);
      expect((await call(`${wms}/picks/${pickId}`)).body.status).toBe('picked');
      await call(`${wms}/picks/${pickId}/packed`, 'POST', { parcels: 2 });
      expect(received).toEqual([
        expect.objectContaining({ event: 'picked', orderId: 'o-1', pickId }),
        expect.objectContaining({ event: 'packed', orderId: 'o-1', pickId, parcels: 2 }),
      ]);
    } finally {
      hook.close();
    }
  });

  it('WMS: one SKU is reserved without a list, and released', async () => {
    const wms = fake.urls.wms;
    const one = await call(`${wms}/reservations`, 'POST', {
      orderId: 'o-1',
      sku: 'BOARD',
      qty: 1200,
    });
    expect(one).toMatchObject({ status: 201, body: { lines: [{ qty: 1000 }, { qty: 200 }] } });
    expect(
      (await call(`${wms}/reservations`, 'POST', { orderId: 'o-2', sku: 'BOARD', qty: 301 }))
        .status,
    ).toBe(409);
    expect(
      (await call(`${wms}/reservations`, 'POST', { orderId: 'o-2', sku: 'BOARD', qty: 0 })).body
        .field,
    ).toBe('qty');
    expect((await call(`${wms}/reservations/${one.body.reservationId}`, 'DELETE')).status).toBe(
      204,
    );
    expect((await call(`${wms}/reservations/${one.body.reservationId}`)).status).toBe(404);
  });

  it('production: each booking gets its own work order number, counted per year', async () => {
    const book = (orderId: string, date: string) =>
      call(`${fake.urls.production}/bookings`, 'POST', { orderId, line: 'L1', qty: 10, date });
    const numbers = [
      (await book('o-1', '2026-12-01')).body.workOrderNo,
      (await book('o-2', '2026-12-01')).body.workOrderNo,
      (await book('o-3', '2027-01-04')).body.workOrderNo,
    ];
    expect(numbers).toEqual(['WO-2026-000001', 'WO-2026-000002', 'WO-2027-000001']);
    // A refused booking issues no number.
    expect(
      (
        await call(`${fake.urls.production}/bookings`, 'POST', {
          orderId: 'o-4',
          line: 'L1',
          qty: 5000,
          date: '2026-12-01',
        })
      ).status,
    ).toBe(409);
    expect((await book('o-5', '2026-12-01')).body.workOrderNo).toBe('WO-2026-000003');
  });
});

describe('chat intake fakes: the WeCom app API and DingTalk session webhooks', () => {
  it('a token for the known app, a message recorded with it, refused without one', async () => {
    const app = createWecomApp();
    const url = await app.start();
    try {
      const bad = await fetch(
        `${url}/cgi-bin/gettoken?corpid=${FAKE_WECOM_APP.corpId}&corpsecret=x`,
      );
      expect(await bad.json()).toMatchObject({ errcode: 40001 });
      const token = (await (
        await fetch(
          `${url}/cgi-bin/gettoken?corpid=${FAKE_WECOM_APP.corpId}&corpsecret=${FAKE_WECOM_APP.corpSecret}`,
        )
      ).json()) as { access_token: string; expires_in: number };
      expect(token.expires_in).toBe(7200);
      const send = (accessToken: string) =>
        fetch(`${url}/cgi-bin/message/send?access_token=${accessToken}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            touser: 'li.wei',
            msgtype: 'text',
            agentid: 1000002,
            text: { content: 'ok' },
          }),
        }).then((r) => r.json());
      expect(await send('nope')).toMatchObject({ errcode: 40014 });
      expect(await send(token.access_token)).toMatchObject({ errcode: 0 });
      const seen = (await (await fetch(`${url}/_test/messages`)).json()) as {
        messages: { to: string; text: string }[];
        gettokenCalls: number;
      };
      expect(seen.messages).toMatchObject([{ to: 'li.wei', text: 'ok', agentId: 1000002 }]);
      expect(seen.gettokenCalls).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('a reply recorded under its session', async () => {
    const session = createDingTalkSession();
    const url = await session.start();
    try {
      const answer = await fetch(`${url}/robot/sendBySession?session=s-1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'text', text: { content: '已创建' } }),
      });
      expect(await answer.json()).toMatchObject({ errcode: 0 });
      expect(
        ((await (await fetch(`${url}/_test/messages`)).json()) as { messages: unknown[] }).messages,
      ).toMatchObject([{ to: 's-1', text: '已创建' }]);
    } finally {
      await session.close();
    }
  });
});
