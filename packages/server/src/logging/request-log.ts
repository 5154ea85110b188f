import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * A request's id: the caller's `X-Request-Id` when it is a plain token (a proxy's or a
 * client's correlation id), otherwise a fresh UUID. Anything else is not trusted into logs.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Query parameters whose values are secrets wherever they appear (a hook's token). */
const SECRET_QUERY = /^(token|access_token|api_key|apikey|key|secret|signature|sig|password)$/i;

/** The URL as logged: secret-looking query values blanked. */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  for (const name of [...query.keys()]) if (SECRET_QUERY.test(name)) query.set(name, 'redacted');
  return `${url.slice(0, at)}?${query.toString()}`;
}

/** The route pattern that answered (`/api/orders/:id`), or `unmatched` (a 404 from the router). */
export const routeOf = (request: FastifyRequest): string =>
  request.routeOptions?.url ?? 'unmatched';

/**
 * One log line per answered request: id, method, route pattern, URL, status, latency and the
 * headers (secrets blanked by the logger's redaction). The id is echoed as `X-Request-Id`.
 */
export function registerRequestLog(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const entry = {
      request: { method: request.method, url: loggedUrl(request.url), headers: request.headers },
      route: routeOf(request),
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (status >= 500) request.log.error(entry, 'request failed');
    else request.log.info(entry, 'request');
    done();
  });
}
