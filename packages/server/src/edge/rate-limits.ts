import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { OrdoConfig } from '../config/ordo-config';
import { problems } from '../problems/api-problem';
import { sendProblem } from '../problems/problem.filter';

/** The routes anyone may call that cost the server work: sign-in and first-run setup. */
const SIGN_IN = new Set(['POST /api/auth/login', 'POST /api/auth/setup']);
const LOGIN = 'POST /api/auth/login';
const logger = new Logger('RateLimits');
const HOOKS = 'POST /api/hooks/:flow/:trigger';
/** Chat robots' callbacks: public like the hooks, counted against the same budget per address. */
const CHAT = new Set([
  'GET /api/intake/wecom/:flow',
  'POST /api/intake/wecom/:flow',
  'POST /api/intake/dingtalk/:flow',
]);

type Check = (request: FastifyRequest) => Promise<{ isExceeded: boolean; ttlInSeconds: number }>;

const route = (request: FastifyRequest) => `${request.method} ${request.routeOptions.url ?? ''}`;
const accountKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

/**
 * Rate limits on the public endpoints (`@fastify/rate-limit`; its Redis store in cluster
 * mode, so every process counts against the same budget): sign-in and setup per client
 * address, sign-in per account (the email, hashed), inbound webhooks and chat callbacks per
 * client address (each `hooksPerIp`). Over
 * a limit is a 429 `application/problem+json` with `Retry-After`. The client address is the
 * socket's peer unless `ORDO_TRUST_PROXY` names the proxies whose `X-Forwarded-For` to believe.
 */
export async function registerRateLimits(
  app: NestFastifyApplication,
  config: OrdoConfig,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const limits = config.rateLimit;
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        connectTimeout: 5000,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      })
    : undefined;
  // ioredis reconnects by itself; while it is away requests pass uncounted (skipOnError).
  redis?.on('error', (error: Error) => logger.warn(`rate-limit store: ${error.message}`));
  await fastify.register(rateLimit, {
    global: false,
    timeWindow: limits.windowMs,
    ...(redis && { redis, nameSpace: 'ordo-rate-' }),
    // A Redis outage must not lock everyone out: count nothing then (the hashing gate and the
    // per-process limits of the hashing pool still hold).
    skipOnError: true,
  });
  if (redis)
    // A client that never connected (lazy: no limited request came) has nothing to quit.
    fastify.addHook('onClose', async () => {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    });

  const limiter = (name: string, max: number, key: (request: FastifyRequest) => string): Check =>
    fastify.createRateLimit({
      max,
      timeWindow: limits.windowMs,
      keyGenerator: (request: FastifyRequest) => `${name}:${key(request)}`,
    }) as Check;
  const signInPerIp = limiter('sign-in-ip', limits.loginPerIp, (r) => r.ip);
  const hooksPerIp = limiter('hooks-ip', limits.hooksPerIp, (r) => r.ip);
  const chatPerIp = limiter('chat-ip', limits.hooksPerIp, (r) => r.ip);
  const perAccount = limiter('sign-in-account', limits.loginPerAccount, (r) =>
    accountKey((r.body as { email: string }).email),
  );

  const refuse = async (
    check: Check,
    request: FastifyRequest,
    reply: FastifyReply,
    what: string,
  ): Promise<boolean> => {
    const result = await check(request);
    if (!result.isExceeded) return false;
    const retryAfter = Math.max(1, result.ttlInSeconds);
    sendProblem(
      reply,
      problems.tooMany(`Too many ${what}: try again in ${retryAfter} s`, retryAfter),
      request.url,
    );
    return true;
  };

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const r = route(request);
    if (
      SIGN_IN.has(r) &&
      (await refuse(signInPerIp, request, reply, 'sign-in attempts from this address'))
    )
      return reply;
    if (
      r === HOOKS &&
      (await refuse(hooksPerIp, request, reply, 'webhook deliveries from this address'))
    )
      return reply;
    if (
      CHAT.has(r) &&
      (await refuse(chatPerIp, request, reply, 'chat callbacks from this address'))
    )
      return reply;
  });
  // Per account: once the body is parsed (a body without an email is refused by validation).
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (route(request) !== LOGIN) return;
    const email = (request.body as { email?: unknown } | undefined)?.email;
    if (typeof email !== 'string') return;
    if (await refuse(perAccount, request, reply, 'sign-in attempts for this account')) return reply;
  });
}
