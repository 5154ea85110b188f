import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { ConnectorError, isRetryableStatus } from '../sdk/connector-error';
import { retryAfterMs } from '../sdk/retry-policy';
import {
  type AddressPolicy,
  allowPatterns,
  BlockedAddressError,
  checkAddress,
} from './address-guard';
import { checkCredentialHost, type RequestCredential } from './credential-guard';
import { endpointOf } from './host-pattern';

/** One outbound request. `json` is sent as the body with `content-type: application/json`. */
export interface HttpRequest {
  method?: string;
  url: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  /** Per-request cap below the client's own, exact to the millisecond. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The credential this request carries. Every hop must go to one of its hosts (checked before
   * anything is sent), and a cross-origin redirect drops every header carrying one of its values.
   */
  credential?: RequestCredential;
  /** Headers that carry a secret (an API key header): dropped on a cross-origin redirect. */
  sensitiveHeaders?: readonly string[];
}

/** The answer, read whole (within the size cap). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON; throws a non-retryable ConnectorError if it is not JSON. */
  json<T = unknown>(): T;
}

/** What connectors get as `ctx.http`. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** The address policy, for connectors that open other connections (SMTP) to check it too. */
  readonly policy?: AddressPolicy;
  /** The credential every request carries (runAction sets it), for SMTP to check its hosts. */
  readonly credential?: RequestCredential;
}

export interface HttpClientOptions extends AddressPolicy {
  /** Longest wait for the answer's headers, and between parts of its body (default 30 s). */
  timeoutMs?: number;
  /** Largest response body read (default 1 MiB). */
  maxResponseBytes?: number;
  /** Redirects followed, each checked like the first request (default 5). */
  maxRedirects?: number;
  /** Keep-alive connections per origin (default 64). */
  connections?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Headers no cross-origin redirect carries on, whatever the credential (as in fetch). */
const ORIGIN_BOUND = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** True when two URLs differ in scheme, host or port. */
const crossOrigin = (a: URL, b: URL) => a.origin !== b.origin;

/**
 * The headers without those a cross-origin hop must not carry: authorization, cookie,
 * proxy-authorization, the request's sensitive headers and any header holding a secret value.
 */
function originBoundRemoved(
  headers: Record<string, string>,
  request: HttpRequest,
): Record<string, string> {
  const sensitive = new Set((request.sensitiveHeaders ?? []).map((h) => h.toLowerCase()));
  const secrets = (request.credential?.secrets ?? []).filter((v) => v.length >= 4);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (ORIGIN_BOUND.has(lower) || sensitive.has(lower)) continue;
    if (secrets.some((secret) => value.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Every outbound call of Ordo goes through this client: pooled keep-alive connections
 * (undici; Node 20's global fetch is several times slower here), the address policy checked
 * on the RESOLVED address and port of every connection and on every redirect, a request's
 * credential sent only to its hosts (every hop checked before anything is sent), origin-bound
 * headers dropped on a cross-origin redirect, and response size and time capped.
 */
export class SafeHttpClient implements HttpClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxRedirects: number;

  get policy(): AddressPolicy {
    return this.options;
  }

  /** One undici connector per port, each looking names up through the guard for that port. */
  private readonly connectors = new Map<number, buildConnector.connector>();

  /** Throws HostPatternError when an allow-list entry is not a host:port pattern. */
  constructor(private readonly options: HttpClientOptions = {}) {
    allowPatterns(options);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.agent = new Agent({
      connections: options.connections ?? 64,
      keepAliveTimeout: 10_000,
      connect: (connectOptions, callback) => {
        const port =
          Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
        let connector = this.connectors.get(port);
        if (!connector) {
          connector = buildConnector({ lookup: this.guardedLookup(port) } as never);
          this.connectors.set(port, connector);
        }
        connector(connectOptions, callback);
      },
    });
  }

  /** DNS lookup that refuses blocked addresses, so a name cannot smuggle one in. */
  private readonly guardedLookup =
    (port: number) =>
    (
      hostname: string,
      options: { all?: boolean },
      callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        try {
          for (const { address } of addresses) checkAddress(this.options, hostname, address, port);
        } catch (blocked) {
          return callback(blocked as Error, []);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      });
    };

  /** Addresses written in URLs that the policy let through, by `address port`. */
  private allowedLiterals?: { allow: AddressPolicy['allow']; keys: Set<string> };

  /**
   * The address policy for an address written in the URL: parsed and matched once per address
   * and port (every call of a flow goes to the same few), again if the allow-list is replaced.
   */
  private checkLiteral(address: string, port: number): void {
    let cache = this.allowedLiterals;
    if (!cache || cache.allow !== this.options.allow)
      cache = this.allowedLiterals = { allow: this.options.allow, keys: new Set() };
    const { keys } = cache;
    const key = `${address} ${port}`;
    if (keys.has(key)) return;
    checkAddress(this.options, address, address, port);
    if (keys.size < 1024) keys.add(key);
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    // The client's cap rides on undici's own header and body timeouts (coarse, but no timer of
    // ours per request); a tighter per-request cap gets an exact deadline, and a caller that
    // needs one deadline over several requests passes a signal (runAction does, per attempt).
    const timeoutMs = Math.min(request.timeoutMs ?? Infinity, this.timeoutMs);
    const deadline = request.timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    const signal =
      deadline && request.signal
        ? AbortSignal.any([request.signal, deadline])
        : (deadline ?? request.signal);
    let url = withQuery(request.url, request.query);
    let method = (request.method ?? 'GET').toUpperCase();
    let headers: Record<string, string> = { ...request.headers };
    let body = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] ??= 'application/json';
    }
    for (let hop = 0; ; hop++) {
      const response = await this.once(url, method, headers, body, signal, timeoutMs, request);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || !location) return response;
      if (hop >= this.maxRedirects)
        throw new ConnectorError(`More than ${this.maxRedirects} redirects from ${request.url}`, {
          retryable: false,
          code: 'too_many_redirects',
        });
      const from = new URL(url);
      let next: URL;
      try {
        next = new URL(location, from);
      } catch {
        throw new ConnectorError(`${request.url} redirected to an invalid URL: ${location}`, {
          retryable: false,
          code: 'invalid_url',
        });
      }
      // Another origin never gets what was meant for this one (the next hop is then checked
      // against the address policy and the credential's hosts like the first).
      if (crossOrigin(from, next)) headers = originBoundRemoved(headers, request);
      url = next.toString();
      if (response.status === 303 || (response.status !== 307 && response.status !== 308)) {
        if (method !== 'GET' && method !== 'HEAD') method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
    }
  }

  private async once(
    target: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    request: HttpRequest,
  ): Promise<HttpResponse> {
    const url = parseUrl(target);
    const { host, port } = endpointOf(url);
    try {
      // Before anything is sent: the credential goes only to its hosts, on every hop.
      if (request.credential) checkCredentialHost(request.credential, host, port);
      // An address written in the URL is never looked up, so check it here.
      if (isIP(host)) this.checkLiteral(host, port);
      const res = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: method as 'GET',
        headers,
        body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const tooLarge = () =>
        new ConnectorError(
          `The answer of ${method} ${target} is larger than ${this.maxResponseBytes} bytes`,
          { retryable: false, code: 'response_too_large', status: res.statusCode },
        );
      const declared = Number(res.headers['content-length']);
      let text: string;
      if (Number.isInteger(declared)) {
        // The usual case: the size is announced (and undici holds the server to it).
        if (declared > this.maxResponseBytes) {
          res.body.destroy();
          throw tooLarge();
        }
        text = await res.body.text();
      } else {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > this.maxResponseBytes) {
            res.body.destroy();
            throw tooLarge();
          }
          chunks.push(chunk as Buffer);
        }
        text = Buffer.concat(chunks).toString('utf8');
      }
      return {
        status: res.statusCode,
        headers: flatHeaders(res.headers),
        text,
        json<T>() {
          try {
            return JSON.parse(text) as T;
          } catch {
            throw new ConnectorError(`The answer of ${method} ${target} is not JSON`, {
              retryable: false,
              code: 'invalid_response',
              status: res.statusCode,
            });
          }
        },
      };
    } catch (error) {
      throw asConnectorError(error, method, target, signal);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Throws an HTTP answer that is not 2xx as a ConnectorError, retryable for 5xx/429/408. */
export function ensureOk(response: HttpResponse, what: string): HttpResponse {
  if (response.status >= 200 && response.status < 300) return response;
  throw new ConnectorError(`${what} answered ${response.status}: ${response.text.slice(0, 300)}`, {
    retryable: isRetryableStatus(response.status),
    code: 'http_status',
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers['retry-after'], Date.now()),
  });
}

function parseUrl(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ConnectorError(`Not a URL: ${target}`, { retryable: false, code: 'invalid_url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConnectorError(`Only http and https URLs can be called, not ${url.protocol}`, {
      retryable: false,
      code: 'invalid_url',
    });
  return url;
}

function withQuery(target: string, query: HttpRequest['query']): string {
  if (!query) return target;
  const url = parseUrl(target);
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  return url.toString();
}

function flatHeaders(headers: Record<string, string | string[] | undefined>) {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function asConnectorError(
  error: unknown,
  method: string,
  target: string,
  signal: AbortSignal | undefined,
): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const blocked = findBlocked(error);
  if (blocked)
    return new ConnectorError(blocked.message, {
      retryable: false,
      code: blocked.code,
      cause: error,
    });
  const code = (error as { code?: string }).code;
  if (signal?.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return new ConnectorError(`${method} ${target} timed out or was cancelled`, {
      retryable: true,
      code: 'timeout',
      cause: error,
    });
  return new ConnectorError(`${method} ${target} failed: ${(error as Error).message}`, {
    retryable: true,
    code: 'network',
    cause: error,
  });
}

function findBlocked(error: unknown): BlockedAddressError | undefined {
  for (let e = error; e instanceof Error; e = e.cause)
    if (e instanceof BlockedAddressError) return e;
  return undefined;
}
