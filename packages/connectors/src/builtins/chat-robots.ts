import { createHmac } from 'node:crypto';
import { type HttpResponse, ensureOk } from '../http/http-client';
import { ConnectorError } from '../sdk/connector-error';
import { type ActionDefinition, defineConnector, urlEndpoint } from '../sdk/define-connector';

/** The input every notification channel takes: the text, and a title where the channel has one. */
const messageInput = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: { text: { type: 'string', minLength: 1 }, title: { type: 'string' } },
};
const sentOutput = {
  type: 'object',
  required: ['sent'],
  properties: { sent: { type: 'boolean' } },
};

/** WeCom and DingTalk robots and apps answer 200 with `errcode`; anything but 0 is a refusal. */
export function robotAnswer(response: HttpResponse, what: string) {
  const body = ensureOk(response, what).json<{ errcode?: number; errmsg?: string }>();
  if (body.errcode !== undefined && body.errcode !== 0)
    throw new ConnectorError(`${what} refused the message: ${body.errcode} ${body.errmsg ?? ''}`, {
      // Flow control (45009 / 130101: too many messages) passes; anything else will not.
      retryable: body.errcode === 45009 || body.errcode === 130101,
      code: 'refused',
    });
  return { sent: true };
}

const send = <S>(
  run: ActionDefinition<{ text: string; title?: string }, { sent: boolean }, S>['run'],
) => ({
  send: { title: 'Send a message', input: messageInput, output: sentOutput, run },
});

/** A WeCom (企业微信) group robot: `POST …/webhook/send?key=<key>`, the key kept as a credential. */
export const wecomConnector = defineConnector<{ url?: string }>({
  id: 'wecom',
  version: '1.0.0',
  title: 'WeCom group robot',
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      url: {
        type: 'string',
        format: 'uri',
        default: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
      },
    },
  },
  auth: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
  endpoints: (settings) => urlEndpoint('/url', settings.url),
  actions: send<{ url?: string }>(async (ctx, input) =>
    robotAnswer(
      await ctx.http.request({
        method: 'POST',
        url: ctx.settings.url!,
        query: { key: ctx.credentials.key },
        json: {
          msgtype: 'text',
          text: { content: input.title ? `${input.title}\n${input.text}` : input.text },
        },
      }),
      'WeCom',
    ),
  ),
});

/**
 * DingTalk's signature: HMAC-SHA256 of "<timestamp ms>\n<secret>" keyed with the secret,
 * base64 — sent as `timestamp` and `sign` query parameters.
 */
export function signDingTalk(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** A DingTalk (钉钉) group robot, signed with its secret when the credential has one. */
export const dingtalkConnector = defineConnector<{ url?: string }>({
  id: 'dingtalk',
  version: '1.0.0',
  title: 'DingTalk group robot',
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      url: { type: 'string', format: 'uri', default: 'https://oapi.dingtalk.com/robot/send' },
    },
  },
  auth: {
    type: 'object',
    required: ['accessToken'],
    properties: { accessToken: { type: 'string' }, secret: { type: 'string' } },
  },
  endpoints: (settings) => urlEndpoint('/url', settings.url),
  actions: send<{ url?: string }>(async (ctx, input) => {
    const timestamp = Date.now();
    const { accessToken, secret } = ctx.credentials;
    return robotAnswer(
      await ctx.http.request({
        method: 'POST',
        url: ctx.settings.url!,
        query: {
          access_token: accessToken,
          ...(secret && { timestamp, sign: signDingTalk(secret, timestamp) }),
        },
        json: input.title
          ? {
              msgtype: 'markdown',
              markdown: { title: input.title, text: `### ${input.title}\n${input.text}` },
            }
          : { msgtype: 'text', text: { content: input.text } },
      }),
      'DingTalk',
    );
  }),
});

/** A Slack-style incoming webhook (Slack, Mattermost, Rocket.Chat…): the URL is the secret. */
export const slackConnector = defineConnector<Record<string, never>>({
  id: 'slack',
  version: '1.0.0',
  title: 'Slack-style incoming webhook',
  auth: {
    type: 'object',
    required: ['webhookUrl'],
    properties: { webhookUrl: { type: 'string', format: 'uri' } },
  },
  actions: send<Record<string, never>>(async (ctx, input) => {
    ensureOk(
      await ctx.http.request({
        method: 'POST',
        url: ctx.credentials.webhookUrl,
        json: { text: input.title ? `*${input.title}*\n${input.text}` : input.text },
      }),
      'Slack webhook',
    );
    return { sent: true };
  }),
});
