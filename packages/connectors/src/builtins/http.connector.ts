import { ensureOk } from '../http/http-client';
import { ConnectorError } from '../sdk/connector-error';
import { defineConnector, urlEndpoint } from '../sdk/define-connector';

interface HttpSettings {
  baseUrl: string;
  auth: 'none' | 'apiKey' | 'bearer' | 'basic';
  /** Header that carries the API key (default `X-API-Key`). */
  apiKeyHeader?: string;
  headers?: Record<string, string>;
}

interface RequestInput {
  method: string;
  path: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | null>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Output fields taken from the JSON answer by JSON pointer: `{ tier: '/customer/tier' }`. */
  map?: Record<string, string>;
}

/** `{name}` in a path, filled from `params` and URL-encoded. */
function fillPath(path: string, params: RequestInput['params'] = {}): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    if (params[name] === undefined)
      throw new ConnectorError(`The path ${path} needs the parameter "${name}"`, {
        retryable: false,
        code: 'invalid_input',
      });
    return encodeURIComponent(String(params[name]));
  });
}

/** The value at a JSON pointer, or undefined. */
function at(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return value;
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, token) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, token)
          ? (node as Record<string, unknown>)[token]
          : undefined,
      value,
    );
}

function authHeaders(
  settings: HttpSettings,
  credentials: Record<string, string>,
): Record<string, string> {
  const need = (key: string) => {
    if (!credentials[key])
      throw new ConnectorError(`auth "${settings.auth}" needs the credential field "${key}"`, {
        retryable: false,
        code: 'invalid_credentials',
      });
    return credentials[key];
  };
  switch (settings.auth) {
    case 'apiKey':
      return { [settings.apiKeyHeader ?? 'X-API-Key']: need('apiKey') };
    case 'bearer':
      return { authorization: `Bearer ${need('token')}` };
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${need('username')}:${need('password')}`).toString('base64')}`,
      };
    default:
      return {};
  }
}

/** Any REST API: method, path, query, headers and body from the order; JSON answer mapped. */
export const httpConnector = defineConnector<HttpSettings>({
  id: 'http',
  version: '1.0.0',
  title: 'HTTP (any REST API)',
  settings: {
    type: 'object',
    required: ['baseUrl'],
    additionalProperties: false,
    properties: {
      baseUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
      auth: { enum: ['none', 'apiKey', 'bearer', 'basic'], default: 'none' },
      apiKeyHeader: { type: 'string' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  auth: {
    type: 'object',
    properties: {
      apiKey: { type: 'string' },
      token: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
    },
  },
  endpoints: (settings) => urlEndpoint('/baseUrl', settings.baseUrl),
  actions: {
    request: {
      title: 'Send a request',
      input: {
        type: 'object',
        required: ['path'],
        additionalProperties: false,
        properties: {
          method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'GET' },
          path: { type: 'string', pattern: '^/' },
          params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
          query: {
            type: 'object',
            additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
          },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          body: {},
          map: { type: 'object', additionalProperties: { type: 'string', pattern: '^(/.*)?$' } },
        },
      },
      output: { type: 'object' },
      async run(ctx, input: RequestInput) {
        const url = ctx.settings.baseUrl.replace(/\/$/, '') + fillPath(input.path, input.params);
        const response = ensureOk(
          await ctx.http.request({
            method: input.method,
            url,
            query: input.query,
            headers: {
              accept: 'application/json',
              ...ctx.settings.headers,
              ...input.headers,
              ...authHeaders(ctx.settings, ctx.credentials),
            },
            ...(ctx.settings.auth === 'apiKey' && {
              sensitiveHeaders: [ctx.settings.apiKeyHeader ?? 'X-API-Key'],
            }),
            ...(input.body !== undefined && { json: input.body }),
          }),
          `${input.method} ${url}`,
        );
        const body = response.text ? response.json() : null;
        if (!input.map) return { status: response.status, body };
        return Object.fromEntries(
          Object.entries(input.map).map(([field, pointer]) => [field, at(body, pointer) ?? null]),
        );
      },
    },
  },
});
