import { existsSync } from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyStatic from '@fastify/static';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { completeDocument } from './api-docs/complete-document';
import { DEFAULT_RATE_LIMIT, type OrdoConfig } from './config/ordo-config';
import { createDataSource, openDatabase } from './database/data-source';
import type { Db } from './database/db';
import type { RuntimeClock } from './runtime/runtime-clock';
import { registerIdempotency } from './idempotency/idempotency.hooks';
import { checkSharedKeys, keyFingerprint } from './config/shared-keys';
import { SecretBox } from './credentials/secret-box';
import { registerRateLimits } from './edge/rate-limits';
import { registerChatBodies } from './intake/chat-bodies';
import { LiveAdapter } from './live/live.adapter';
import { problems } from './problems/api-problem';
import { registerRequestGuard } from './problems/request-guard';
import { MAX_PARAM_LENGTH, routerProblem, sendProblem } from './problems/problem.filter';
import type { DestinationStream } from 'pino';
import { createLogger, type OrdoLogLevel } from './logging/logger';
import { PinoNestLogger } from './logging/nest-logger';
import { registerRequestLog, requestIdOf } from './logging/request-log';
import { useRuntimeLogger } from './logging/runtime-log';
import { registerHttpMetrics } from './metrics/http-metrics';
import { OrdoMetrics } from './metrics/ordo-metrics';

/** A created server: the Nest app, its database, and how to start and stop it. */
export interface OrdoApp {
  app: NestFastifyApplication;
  config: OrdoConfig;
  db: Db;
  dataSource: DataSource;
  /** Migrations this start ran. */
  migrationsRan: string[];
  /** Listens on the configured port (0: a free one); returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Nest-style levels to log (the most verbose one wins); default `config.logLevel`. */
  logger?: LogLevel[] | false;
  /** Where log lines go (default stdout); tests capture them. */
  logStream?: DestinationStream;
  /** The runtime's clock and dice (retry timings); tests inject fixed ones. */
  clock?: RuntimeClock;
  /** Whether this process carries out the outbox (default true; the CLI's commands do not). */
  runEffects?: boolean;
  /** Database pool size (PostgreSQL). */
  poolSize?: number;
}

function serveDesigner(app: NestFastifyApplication, dir: string): void {
  const fastify = app.getHttpAdapter().getInstance();
  // @fastify/static is typed against a newer fastify than Nest's; the runtime API is the same.
  void fastify.register(fastifyStatic as never, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // The build writes `.br` and `.gz` beside each asset (designer/build/precompress.ts): sent
    // with their Content-Encoding to a browser that accepts one, the raw file otherwise.
    preCompressed: true,
    // Asset names carry a content hash, so a browser may keep them; index.html names the
    // current ones and is always revalidated.
    cacheControl: false,
    setHeaders: (response: { setHeader(name: string, value: string): void }, file: string) => {
      // A shared cache must keep the brotli, gzip and raw answers apart.
      response.setHeader('vary', 'accept-encoding');
      response.setHeader(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  // Single-page app: any other GET outside /api is the app's own route.
  fastify.get('/*', (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/api') || request.url.startsWith('/socket.io'))
      return sendProblem(reply, problems.notFound('Route', request.url), request.url);
    return (reply as unknown as { sendFile(file: string): FastifyReply }).sendFile('index.html');
  });
}

/**
 * Builds the server for a configuration: opens the database and runs pending migrations,
 * mounts the REST API under /api (OpenAPI at /api/docs), live events at /live, and the
 * designer at / when it is built. Used by `ordo start`, the tests and the benchmarks.
 */
export async function createApp(
  given: OrdoConfig,
  options: CreateAppOptions = {},
): Promise<OrdoApp> {
  // Programmatic callers (benchmarks) may build a config without the edge settings: the
  // defaults are the safe ones (no CORS, no trusted proxy, the default rate limits).
  const config: OrdoConfig = {
    ...given,
    corsOrigins: given.corsOrigins ?? [],
    trustProxy: given.trustProxy ?? false,
    rateLimit: given.rateLimit ?? DEFAULT_RATE_LIMIT,
  };
  const dataSource = createDataSource(config.database, options.poolSize);
  const { db, ran } = await openDatabase(dataSource);
  if (config.redisUrl)
    await checkSharedKeys(db, [
      {
        name: 'jwt',
        setting: 'ORDO_JWT_SECRET',
        what: 'token signing key',
        fingerprint: keyFingerprint(config.jwtSecret),
      },
      {
        name: 'secret',
        setting: 'ORDO_SECRET_KEY',
        what: 'credential sealing key',
        fingerprint: SecretBox.fromConfig(config.secretKey, config.dataDir).fingerprint(),
      },
    ]).catch(async (error: unknown) => {
      await dataSource.destroy();
      throw error;
    });
  const logger = createLogger(logLevelOf(options.logger, config.logLevel), options.logStream);
  useRuntimeLogger(logger);
  const adapter = new FastifyAdapter({
    // pino for every line; one request line of our own (registerRequestLog), not fastify's two.
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimit,
    // Whose X-Forwarded-For names the client (rate limits per address): only named proxies.
    // (fastify takes a hop count too; the adapter's option type does not list it.)
    trustProxy: config.trustProxy as boolean | string[],
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router answers itself (a malformed or over-long path) are problems too.
    frameworkErrors: (error: { code?: string }, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, routerProblem(error, request.url), request.url),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, db, { clock: options.clock, runEffects: options.runEffects }),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      // Inbound webhooks check their signature over the exact bytes received.
      rawBody: true,
    },
  );
  app.setGlobalPrefix('api');
  registerRequestLog(app.getHttpAdapter().getInstance());
  registerHttpMetrics(app.getHttpAdapter().getInstance(), app.get(OrdoMetrics));
  registerRequestGuard(app, config.bodyLimit);
  registerChatBodies(app, config.bodyLimit);
  await registerRateLimits(app, config);
  registerIdempotency(app.getHttpAdapter().getInstance(), db, {
    leaseMs: config.idempotencyLeaseMs,
  });
  // CORS: only the origins ORDO_CORS_ORIGINS lists (none: the designer's own origin only).
  // Sign-in is by bearer token, never a cookie, so no credentials mode is needed.
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins });
  app.useWebSocketAdapter(new LiveAdapter(app, config.redisUrl, config.corsOrigins));
  // OpenAPI 3.1: its schemas are JSON Schema, the dialect of the TypeBox schemas it shows.
  const openapi = completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setOpenAPIVersion('3.1.0')
        .setTitle('Ordo API')
        .setDescription('Order flows: flows, orders, events, access')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, openapi, { jsonDocumentUrl: 'api/docs/json' });
  if (config.designerDir && existsSync(path.join(config.designerDir, 'index.html')))
    serveDesigner(app, config.designerDir);
  await app.init();

  return {
    app,
    config,
    db,
    dataSource,
    migrationsRan: ran,
    async listen() {
      await app.listen(config.port, config.host);
      const address = app.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      return `http://${host}:${port}`;
    },
    async close() {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** The pino level: the most verbose of the caller's Nest levels, else the configured one. */
function logLevelOf(nest: LogLevel[] | false | undefined, configured?: OrdoLogLevel): OrdoLogLevel {
  if (nest === false) return 'silent';
  if (!nest) return configured ?? 'info';
  const order: [LogLevel, OrdoLogLevel][] = [
    ['verbose', 'trace'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'fatal'],
  ];
  return order.find(([level]) => nest.includes(level))?.[1] ?? 'silent';
}
