import { randomBytes } from 'node:crypto';
import { FakeSystem, type FakeAnswer, type Knobs } from '../fake-system';

/** A message an app or session webhook accepted: to whom (or which session) and its text. */
export interface ChatReply {
  /** WeCom: the UserID (`touser`); DingTalk: the session of the webhook. */
  to: string;
  text: string;
  agentId?: number;
  at: string;
}

/** The WeCom application every run knows (its callback keys and app secret), for demos and tests. */
export const FAKE_WECOM_APP = {
  corpId: 'ww-fake-corp',
  corpSecret: 'fake-corp-secret',
  agentId: 1000002,
  token: 'fakeCallbackToken',
  // 43 base64 characters: the AES-256 key as WeCom's admin page shows it.
  encodingAESKey: 'ZmFrZS13ZWNvbS1hZXMta2V5LWZvci1vcmRvLXRlc3Q',
};

/** The DingTalk robot every run knows: its AppSecret signs the callbacks. */
export const FAKE_DINGTALK_APP = { appSecret: 'fake-dingtalk-app-secret' };

const refuse = (errcode: number, errmsg: string): FakeAnswer => ({ json: { errcode, errmsg } });

export interface WecomAppState {
  /** corpId → secret of the apps it knows. */
  apps: Map<string, string>;
  tokens: Map<string, number>;
  gettokenCalls: number;
  messages: ChatReply[];
}

/**
 * A WeCom application API: `GET /cgi-bin/gettoken?corpid&corpsecret` (errcode 40001 for a
 * wrong secret; a token valid 7,200 s) and `POST /cgi-bin/message/send?access_token` (42001
 * for an expired token, 40014 for an unknown one), recording each text message. `GET
 * /_test/messages` lists them, with how often a token was fetched.
 */
export const createWecomApp = (knobs?: Partial<Knobs>) =>
  new FakeSystem<WecomAppState>(
    'wecom-app',
    () => ({
      apps: new Map([[FAKE_WECOM_APP.corpId, FAKE_WECOM_APP.corpSecret]]),
      tokens: new Map(),
      gettokenCalls: 0,
      messages: [],
    }),
    [
      {
        method: 'GET',
        path: '/cgi-bin/gettoken',
        handle: ({ query }, state) => {
          state.gettokenCalls++;
          const secret = state.apps.get(query.get('corpid') ?? '');
          if (!secret || secret !== query.get('corpsecret'))
            return refuse(40001, 'invalid credential');
          const token = randomBytes(24).toString('base64url');
          state.tokens.set(token, Date.now() + 7_200_000);
          return { json: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 } };
        },
      },
      {
        method: 'POST',
        path: '/cgi-bin/message/send',
        handle: ({ query, body }, state) => {
          const until = state.tokens.get(query.get('access_token') ?? '');
          if (until === undefined) return refuse(40014, 'invalid access_token');
          if (until <= Date.now()) return refuse(42001, 'access_token expired');
          const text = (body.text as { content?: unknown } | undefined)?.content;
          if (body.msgtype !== 'text' || typeof text !== 'string' || !text)
            return refuse(44004, 'empty content');
          if (typeof body.touser !== 'string' || !body.touser)
            return refuse(40031, 'invalid user list');
          state.messages.push({
            to: body.touser,
            text,
            agentId: Number(body.agentid),
            at: new Date().toISOString(),
          });
          return {
            json: {
              errcode: 0,
              errmsg: 'ok',
              invaliduser: '',
              msgid: randomBytes(8).toString('hex'),
            },
          };
        },
      },
      {
        method: 'GET',
        path: '/_test/messages',
        handle: (_r, state) => ({
          json: { messages: state.messages, gettokenCalls: state.gettokenCalls },
        }),
      },
      {
        method: 'POST',
        path: '/_test/expire-tokens',
        handle: (_r, state) => {
          for (const token of state.tokens.keys()) state.tokens.set(token, 0);
          return { json: { expired: state.tokens.size } };
        },
      },
    ],
    knobs,
  );

/**
 * DingTalk's session webhooks (`POST /robot/sendBySession?session=<id>`), where a robot
 * replies in the conversation a message came from: each text recorded under its session.
 */
export const createDingTalkSession = (knobs?: Partial<Knobs>) =>
  new FakeSystem<{ messages: ChatReply[] }>(
    'dingtalk-session',
    () => ({ messages: [] }),
    [
      {
        method: 'POST',
        path: '/robot/sendBySession',
        handle: ({ query, body }, state) => {
          const session = query.get('session');
          if (!session) return refuse(300001, 'session is not exist');
          const text = (body.text as { content?: unknown } | undefined)?.content;
          if (body.msgtype !== 'text' || typeof text !== 'string' || !text)
            return refuse(40035, 'missing content');
          state.messages.push({ to: session, text, at: new Date().toISOString() });
          return { json: { errcode: 0, errmsg: 'ok' } };
        },
      },
      {
        method: 'GET',
        path: '/_test/messages',
        handle: (_r, state) => ({ json: { messages: state.messages } }),
      },
    ],
    knobs,
  );
