import { createCipheriv, randomBytes } from 'node:crypto';
import {
  CallbackRefusal,
  dingtalkSessionConnector,
  sessionWebhookProblem,
  signDingTalk,
  verifyDingTalkCallback,
  verifyWecomCallback,
  wecomAppConnector,
  wecomMessage,
  wecomSignature,
} from '../src';
import { runTestAction, startTestServer } from '../src/testing';

/** The sample of WeCom's callback specification (its Python and Java SDKs' test). */
const SAMPLE = {
  token: 'QDG6eK',
  corpId: 'wx5823bf96d3bd56c7',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr:
    'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const NOW = Number(SAMPLE.timestamp) * 1000;
const keys = { token: SAMPLE.token, corpId: SAMPLE.corpId, encodingAESKey: SAMPLE.encodingAESKey };
const query = {
  msgSignature: SAMPLE.msgSignature,
  timestamp: SAMPLE.timestamp,
  nonce: SAMPLE.nonce,
  encrypted: SAMPLE.echostr,
};

/** A plaintext encrypted with the sample's key (random prefix, length, receiveid). */
function encrypt(message: string, receiveId: string): string {
  const key = Buffer.from(`${SAMPLE.encodingAESKey}=`, 'base64');
  const body = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(receiveId)]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackRefusal);
    return (error as CallbackRefusal).code;
  }
  throw new Error('not refused');
};

describe('WeCom callback crypto', () => {
  it("verifies and decrypts the specification's sample URL verification", () => {
    expect(wecomSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.echostr)).toBe(
      SAMPLE.msgSignature,
    );
    expect(verifyWecomCallback(keys, query, NOW)).toBe('1616140317555161061');
  });

  it('refuses a wrong signature, a stale timestamp, another corpId and an altered ciphertext', () => {
    expect(
      refusal(() => verifyWecomCallback(keys, { ...query, msgSignature: '0'.repeat(40) }, NOW)),
    ).toBe('bad_signature');
    expect(refusal(() => verifyWecomCallback(keys, query, NOW + 301_000))).toBe('stale_timestamp');
    expect(refusal(() => verifyWecomCallback({ ...keys, corpId: 'ww-other' }, query, NOW))).toBe(
      'wrong_receiver',
    );
    // Someone who knows the token but not the AES key: signed, but the blocks are altered.
    const bytes = Buffer.from(SAMPLE.echostr, 'base64');
    bytes[bytes.length - 1] ^= 0x5a;
    const altered = bytes.toString('base64');
    const signed = wecomSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, altered);
    expect(
      refusal(() =>
        verifyWecomCallback(keys, { ...query, encrypted: altered, msgSignature: signed }, NOW),
      ),
    ).toBe('bad_ciphertext');
    expect(
      refusal(() => verifyWecomCallback({ ...keys, encodingAESKey: 'short' }, query, NOW)),
    ).toBe('bad_key');
  });

  it('decrypts a message (Chinese text too) and reads its XML', () => {
    const xml =
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[li.wei]]></FromUserName><CreateTime>1409659589</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[门店：S-1\nSKU-COLA-330 x 120]]></Content><MsgId>4561255354251345929</MsgId><AgentID>1000002</AgentID></xml>';
    const encrypted = encrypt(xml, SAMPLE.corpId);
    const msgSignature = wecomSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, encrypted);
    const plain = verifyWecomCallback(keys, { ...query, encrypted, msgSignature }, NOW);
    expect(wecomMessage(plain)).toMatchObject({
      msgType: 'text',
      from: 'li.wei',
      msgId: '4561255354251345929',
      agentId: '1000002',
      content: '门店：S-1\nSKU-COLA-330 x 120',
    });
    expect(refusal(() => wecomMessage('<!DOCTYPE x [<!ENTITY a "b">]><xml></xml>'))).toBe(
      'bad_message',
    );
  });
});

describe('DingTalk callback signature and session webhook', () => {
  const secret = 'app-secret-1';
  it('accepts its signature within an hour, refuses others', () => {
    const ts = 1_765_000_000_000;
    const sign = signDingTalk(secret, ts);
    expect(() =>
      verifyDingTalkCallback(secret, { timestamp: String(ts), sign }, ts + 3_599_000),
    ).not.toThrow();
    expect(
      refusal(() =>
        verifyDingTalkCallback(secret, { timestamp: String(ts), sign }, ts + 3_601_000),
      ),
    ).toBe('stale_timestamp');
    expect(
      refusal(() => verifyDingTalkCallback('other', { timestamp: String(ts), sign }, ts)),
    ).toBe('bad_signature');
    expect(refusal(() => verifyDingTalkCallback(secret, { timestamp: String(ts) }, ts))).toBe(
      'bad_signature',
    );
  });

  it('a session webhook only to a reply host and a public or allowed address', () => {
    const hosts = ['oapi.dingtalk.com:443', '127.0.0.1:8080'];
    expect(
      sessionWebhookProblem('https://oapi.dingtalk.com/robot/sendBySession?session=x', hosts),
    ).toBeUndefined();
    expect(sessionWebhookProblem('https://evil.example/robot', hosts)).toMatch(
      /not one of the reply hosts/,
    );
    expect(sessionWebhookProblem('http://169.254.169.254/latest', hosts)).toMatch(
      /not one of the reply hosts/,
    );
    expect(sessionWebhookProblem('http://127.0.0.1:8080/s', hosts)).toMatch(/ORDO_OUTBOUND_ALLOW/);
    expect(
      sessionWebhookProblem('http://127.0.0.1:8080/s', hosts, { allow: ['127.0.0.1:*'] }),
    ).toBeUndefined();
    expect(sessionWebhookProblem('file:///etc/passwd', hosts)).toMatch(/http/);
    expect(sessionWebhookProblem('https://u:p@oapi.dingtalk.com/x', hosts)).toMatch(
      /user or password/,
    );
  });
});

describe('chat app connectors against a local server', () => {
  let tokenCalls = 0;
  let expired = false;
  const server = startTestServer((req) => {
    if (req.url.startsWith('/cgi-bin/gettoken')) {
      tokenCalls++;
      return { json: { errcode: 0, access_token: `tok-${tokenCalls}`, expires_in: 7200 } };
    }
    if (req.url.startsWith('/cgi-bin/message/send')) {
      if (expired && req.url.includes('tok-1'))
        return { json: { errcode: 42001, errmsg: 'access_token expired' } };
      return { json: { errcode: 0, errmsg: 'ok' } };
    }
    if (req.url.startsWith('/robot/sendBySession')) return { json: { errcode: 0 } };
    return { status: 404 };
  });
  afterAll(async () => (await server).close());

  it('WeCom app: one token for many messages, a new one when WeCom says it expired', async () => {
    const { url, requests } = await server;
    const send = (text: string) =>
      runTestAction(wecomAppConnector, 'send', {
        settings: { apiUrl: url, corpId: 'ww-corp', agentId: 1000002 },
        credentials: { corpSecret: 'secret-1' },
        input: { toUser: 'li.wei', text },
      });
    expect(await send('one')).toEqual({ sent: true });
    expect(await send('two')).toEqual({ sent: true });
    expect(tokenCalls).toBe(1);
    expect(requests[0].url).toBe('/cgi-bin/gettoken?corpid=ww-corp&corpsecret=secret-1');
    expect(requests[1].json).toEqual({
      touser: 'li.wei',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: 'one' },
    });
    expired = true;
    expect(await send('three')).toEqual({ sent: true });
    expect(tokenCalls).toBe(2);
    expect(requests.at(-1)!.url).toContain('access_token=tok-2');
  });

  it('DingTalk session reply: posted to an allowed host, refused elsewhere or after expiry', async () => {
    const { url, requests } = await server;
    const reply = (webhook: string, expiresAt?: number) =>
      runTestAction(dingtalkSessionConnector, 'reply', {
        settings: { hosts: [new URL(url).host] },
        input: { webhook, text: '已创建 1 个订单', ...(expiresAt && { expiresAt }) },
      });
    expect(await reply(`${url}/robot/sendBySession?session=s1`)).toEqual({ sent: true });
    expect(requests.at(-1)!.json).toEqual({
      msgtype: 'text',
      text: { content: '已创建 1 个订单' },
    });
    await expect(reply('http://10.0.0.1/robot/sendBySession')).rejects.toMatchObject({
      code: 'host_not_allowed',
    });
    await expect(reply(`${url}/robot/sendBySession`, Date.now() - 1)).rejects.toMatchObject({
      code: 'expired',
    });
  });
});
