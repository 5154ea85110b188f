import { createHash } from 'node:crypto';
import { type HttpClient, ensureOk } from '../http/http-client';
import { sessionWebhookProblem } from '../chat/dingtalk-callback';
import { ConnectorError } from '../sdk/connector-error';
import { defineConnector, urlEndpoint } from '../sdk/define-connector';
import { robotAnswer } from './chat-robots';

const sentOutput = {
  type: 'object',
  required: ['sent'],
  properties: { sent: { type: 'boolean' } },
};

/** WeCom access tokens by API, corp and secret (hashed): valid for `expires_in`, reused until then. */
const tokens = new Map<string, { token: string; until: number }>();

/** errcodes of an access token that is invalid or expired: fetched again once. */
const STALE_TOKEN = new Set([40001, 40014, 42001]);

/** Tokens are dropped this long before WeCom says they expire. */
const TOKEN_MARGIN_MS = 300_000;

export interface WecomAppSettings {
  apiUrl?: string;
  corpId: string;
  agentId: number;
}

async function wecomToken(
  http: HttpClient,
  settings: WecomAppSettings,
  secret: string,
  fresh: boolean,
): Promise<string> {
  const key = `${settings.apiUrl}|${settings.corpId}|${createHash('sha256').update(secret).digest('hex')}`;
  const cached = tokens.get(key);
  if (!fresh && cached && cached.until > Date.now()) return cached.token;
  const body = ensureOk(
    await http.request({
      method: 'GET',
      url: `${settings.apiUrl}/cgi-bin/gettoken`,
      query: { corpid: settings.corpId, corpsecret: secret },
    }),
    'WeCom gettoken',
  ).json<{ errcode?: number; errmsg?: string; access_token?: string; expires_in?: number }>();
  if (body.errcode || !body.access_token)
    throw new ConnectorError(
      `WeCom gettoken refused the corpId and secret: ${body.errcode ?? ''} ${body.errmsg ?? ''}`,
      { retryable: false, code: 'refused' },
    );
  const seconds = typeof body.expires_in === 'number' ? body.expires_in : 7200;
  tokens.set(key, {
    token: body.access_token,
    until: Date.now() + Math.max(0, seconds * 1000 - TOKEN_MARGIN_MS),
  });
  return body.access_token;
}

/**
 * A WeCom (企业微信) application: a text message to a member (`touser`, the UserID) through
 * the application API — an access token from `gettoken` (corpId + the app's secret, the
 * credential's `corpSecret`), cached until it expires, then `message/send`.
 */
export const wecomAppConnector = defineConnector<WecomAppSettings>({
  id: 'wecom-app',
  version: '1.0.0',
  title: 'WeCom application (message to a member)',
  settings: {
    type: 'object',
    required: ['corpId', 'agentId'],
    additionalProperties: false,
    properties: {
      apiUrl: { type: 'string', format: 'uri', default: 'https://qyapi.weixin.qq.com' },
      corpId: { type: 'string', minLength: 1, maxLength: 64 },
      agentId: { type: 'integer', minimum: 0 },
    },
  },
  auth: {
    type: 'object',
    required: ['corpSecret'],
    properties: { corpSecret: { type: 'string' } },
  },
  endpoints: (settings) => urlEndpoint('/apiUrl', settings.apiUrl),
  actions: {
    send: {
      title: 'Send a text message to a member',
      input: {
        type: 'object',
        required: ['toUser', 'text'],
        additionalProperties: false,
        properties: {
          toUser: { type: 'string', minLength: 1, maxLength: 1000 },
          text: { type: 'string', minLength: 1, maxLength: 2048 },
        },
      },
      output: sentOutput,
      async run(ctx, input: { toUser: string; text: string }) {
        const settings = { ...ctx.settings, apiUrl: ctx.settings.apiUrl!.replace(/\/+$/, '') };
        const send = async (fresh: boolean) =>
          ctx.http
            .request({
              method: 'POST',
              url: `${settings.apiUrl}/cgi-bin/message/send`,
              query: {
                access_token: await wecomToken(
                  ctx.http,
                  settings,
                  ctx.credentials.corpSecret,
                  fresh,
                ),
              },
              json: {
                touser: input.toUser,
                msgtype: 'text',
                agentid: settings.agentId,
                text: { content: input.text },
              },
            })
            .then((r) => ensureOk(r, 'WeCom message/send'));
        let answer = await send(false);
        // A token revoked or expired early (another process fetched a new one): one new token.
        if (STALE_TOKEN.has(answer.json<{ errcode?: number }>().errcode ?? 0))
          answer = await send(true);
        return robotAnswer(answer, 'WeCom message/send');
      },
    },
  },
});

export interface DingTalkSessionSettings {
  /** host:port patterns the session webhook may go to (default `oapi.dingtalk.com:443`). */
  hosts?: string[];
}

/**
 * A reply in a DingTalk group through the session webhook a robot's callback carried (its
 * token is in the URL): only to the settings' hosts, before it expires, and through the HTTP
 * client's address guard like every outbound call.
 */
export const dingtalkSessionConnector = defineConnector<DingTalkSessionSettings>({
  id: 'dingtalk-session',
  version: '1.0.0',
  title: 'DingTalk robot reply (session webhook)',
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      hosts: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        default: ['oapi.dingtalk.com:443'],
      },
    },
  },
  actions: {
    reply: {
      title: 'Reply in the conversation of a robot message',
      input: {
        type: 'object',
        required: ['webhook', 'text'],
        additionalProperties: false,
        properties: {
          webhook: { type: 'string', format: 'uri', maxLength: 2048 },
          text: { type: 'string', minLength: 1, maxLength: 20000 },
          expiresAt: { type: 'integer', description: 'sessionWebhookExpiredTime (ms)' },
          atUserId: { type: 'string', maxLength: 128 },
        },
      },
      output: sentOutput,
      async run(
        ctx,
        input: { webhook: string; text: string; expiresAt?: number; atUserId?: string },
      ) {
        const problem = sessionWebhookProblem(input.webhook, ctx.settings.hosts!, ctx.http.policy);
        if (problem)
          throw new ConnectorError(`Refused to reply: ${problem}`, {
            retryable: false,
            code: 'host_not_allowed',
          });
        if (input.expiresAt !== undefined && input.expiresAt <= Date.now())
          throw new ConnectorError('The session webhook has expired: no reply can be sent there', {
            retryable: false,
            code: 'expired',
          });
        return robotAnswer(
          await ctx.http.request({
            method: 'POST',
            url: input.webhook,
            json: {
              msgtype: 'text',
              text: { content: input.text },
              ...(input.atUserId && { at: { atUserIds: [input.atUserId] } }),
            },
          }),
          'DingTalk session webhook',
        );
      },
    },
  },
});
