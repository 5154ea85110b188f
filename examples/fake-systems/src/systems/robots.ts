import { createHmac, timingSafeEqual } from 'node:crypto';
import { FakeSystem, type FakeAnswer, type Knobs, need } from '../fake-system';

/** A message a robot accepted: which robot (its key or token), the message type and its text. */
export interface RobotMessage {
  robot: string;
  msgtype: string;
  text: string;
  title?: string;
  at: string;
}

export interface RobotState<Robot> {
  robots: Map<string, Robot>;
  messages: RobotMessage[];
}

/** The robots every run knows, so a demo can point a credential at them (README). */
export const FAKE_WECOM_KEY = 'fake-wecom-key';
export const FAKE_DINGTALK = { accessToken: 'fake-dingtalk-token', secret: 'SECfake-dingtalk' };

/** Robots answer 200 with an `errcode` (0 is accepted), as the real ones do. */
const refuse = (errcode: number, errmsg: string): FakeAnswer => ({ json: { errcode, errmsg } });
const ok: FakeAnswer = { json: { errcode: 0, errmsg: 'ok' } };

/** The text of a `text` or `markdown` message, or undefined when it has none. */
function textOf(body: Record<string, unknown>): { text?: string; title?: string } {
  const part = body[body.msgtype as string] as Record<string, unknown> | undefined;
  const text = part?.content ?? part?.text;
  return {
    text: typeof text === 'string' && text ? text : undefined,
    title: typeof part?.title === 'string' ? part.title : undefined,
  };
}

/** The shared inspection routes: what the robots received, and adding a robot. */
const inspect = <Robot>(add: (body: Record<string, unknown>) => [string, Robot]) => [
  {
    method: 'GET' as const,
    path: '/_test/messages',
    handle: (_r: unknown, state: RobotState<Robot>) => ({ json: { messages: state.messages } }),
  },
  {
    method: 'POST' as const,
    path: '/_test/robots',
    handle: ({ body }: { body: Record<string, unknown> }, state: RobotState<Robot>) => {
      const [id, robot] = add(body);
      state.robots.set(id, robot);
      return { status: 201, json: { robot: id } };
    },
  },
];

/**
 * A WeCom (企业微信) group robot: `POST /cgi-bin/webhook/send?key=<key>` with
 * `{ msgtype: 'text', text: { content } }` (or `markdown`). An unknown key is errcode 93000,
 * as WeCom answers it; a message without text 44004.
 */
export const createWecomRobot = (knobs?: Partial<Knobs>) =>
  new FakeSystem<RobotState<true>>(
    'wecom',
    () => ({ robots: new Map([[FAKE_WECOM_KEY, true]]), messages: [] }),
    [
      {
        method: 'POST',
        path: '/cgi-bin/webhook/send',
        handle: ({ query, body }, state) => {
          const key = query.get('key') ?? '';
          if (!state.robots.has(key)) return refuse(93000, 'invalid webhook url');
          if (body.msgtype !== 'text' && body.msgtype !== 'markdown')
            return refuse(40008, 'invalid message type');
          const { text } = textOf(body);
          if (!text) return refuse(44004, 'empty content');
          state.messages.push({
            robot: key,
            msgtype: body.msgtype,
            text,
            at: new Date().toISOString(),
          });
          return ok;
        },
      },
      ...inspect<true>((body) => [need.string(body, 'key'), true]),
    ],
    knobs,
  );

/** DingTalk's signature of a timestamp: base64 HMAC-SHA256 of "<timestamp>\n<secret>". */
const dingTalkSign = (secret: string, timestamp: string) =>
  createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A DingTalk (钉钉) group robot: `POST /robot/send?access_token=<token>`; a robot with a
 * secret (加签) also needs `timestamp` (ms, within an hour of now) and `sign`, checked as
 * DingTalk documents it. An unknown token is errcode 300001; a missing, stale or wrong
 * signature 310000.
 */
export const createDingTalkRobot = (knobs?: Partial<Knobs>) =>
  new FakeSystem<RobotState<{ secret?: string }>>(
    'dingtalk',
    () => ({
      robots: new Map([[FAKE_DINGTALK.accessToken, { secret: FAKE_DINGTALK.secret }]]),
      messages: [],
    }),
    [
      {
        method: 'POST',
        path: '/robot/send',
        handle: ({ query, body }, state) => {
          const token = query.get('access_token') ?? '';
          const robot = state.robots.get(token);
          if (!robot) return refuse(300001, 'token is not exist');
          if (robot.secret) {
            const timestamp = query.get('timestamp') ?? '';
            const sign = query.get('sign') ?? '';
            const fresh = Math.abs(Date.now() - Number(timestamp)) <= 3_600_000;
            if (
              !/^\d+$/.test(timestamp) ||
              !fresh ||
              !sameText(sign, dingTalkSign(robot.secret, timestamp))
            )
              return refuse(310000, 'sign not match');
          }
          if (body.msgtype !== 'text' && body.msgtype !== 'markdown')
            return refuse(40035, 'msgtype must be text or markdown');
          const { text, title } = textOf(body);
          if (!text) return refuse(40035, 'missing content');
          state.messages.push({
            robot: token,
            msgtype: body.msgtype,
            text,
            ...(title && { title }),
            at: new Date().toISOString(),
          });
          return ok;
        },
      },
      ...inspect<{ secret?: string }>((body) => [
        need.string(body, 'accessToken'),
        typeof body.secret === 'string' && body.secret ? { secret: body.secret } : {},
      ]),
    ],
    knobs,
  );
