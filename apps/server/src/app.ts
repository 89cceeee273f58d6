import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config/load';
import { MODULES } from './modules';
import { appInfoRoutes } from './platform/app-info';
import { installAuth } from './platform/auth';
import type { Cache } from './platform/cache';
import type { AppContext, Clock } from './platform/context';
import type { Database } from './platform/db';
import { clientErrorHandler, frameworkErrors } from './platform/early-errors';
import { COMPRESS_ENCODINGS, COMPRESS_THRESHOLD } from './platform/encoded-body';
import { initErrorReporting, reportServerErrors } from './platform/error-reporting';
import { AppError, problem } from './platform/errors';
import { healthRoutes, isHealthProbe, type Lifecycle } from './platform/health';
import { errorHandler } from './platform/http-errors';
import { instrumentHttp, metricsHandler } from './platform/http-metrics';
import { createLoggers, type Loggers } from './platform/logger';
import { MAINTENANCE_MESSAGE, maintenanceProbe } from './platform/maintenance';
import { completeDocument } from './platform/openapi-docs';
import { requestLogger } from './platform/request-logger';
import { createRuntime, type Runtime } from './platform/runtime';
import { clientKey, createCounters, installSecurity, trustProxyOption } from './platform/security';
import { registerWeb } from './platform/web';

export type AppDeps = {
  database: Database;
  loggers?: Loggers;
  cache?: Cache;
  clock?: Clock;
};

export type BuiltApp = {
  app: FastifyInstance;
  ctx: AppContext;
  runtime: Runtime;
  lifecycle: Lifecycle;
  /**
   * Waits for the database (retrying with backoff), migrates when configured, runs the modules'
   * start-up work and starts the job runner (not with `jobs: false`). Readiness answers 503 until this
   * has finished.
   */
  start(opts?: { retry?: boolean; jobs?: boolean }): Promise<void>;
  /** Stops background work and closes Redis and the database. */
  close(): Promise<void>;
};

const NOT_FOUND_PER_MINUTE = 60;
const REQUEST_ID = /^[\w\-.:]{1,128}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(config: Config, deps: AppDeps): Promise<BuiltApp> {
  const loggers = deps.loggers ?? createLoggers(config);
  const runtime = await createRuntime(
    config,
    { database: deps.database, loggers, cache: deps.cache, clock: deps.clock },
    MODULES,
  );
  const { ctx } = runtime;
  const { metrics, cache } = ctx;
  const lifecycle: Lifecycle = { started: false, shuttingDown: false };

  const app = Fastify({
    loggerInstance: loggers.app as FastifyBaseLogger,
    bodyLimit: config.server.bodyLimit,
    requestTimeout: config.server.requestTimeoutMs,
    trustProxy: trustProxyOption(config.server.trustProxy),
    // Accept a caller's X-Request-Id when it is sane, so one id follows a request across services.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    frameworkErrors,
    clientErrorHandler,
    childLoggerFactory: requestLogger,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Bodies are JSON (or a route's own parser): anything else is 415, not a string a contract then refuses.
  app.removeContentTypeParser('text/plain');
  if (initErrorReporting(config)) reportServerErrors(app);
  // First, so that a request answered by a later onRequest hook (503, 429, a CORS preflight) is
  // counted in flight as well as out.
  if (config.metrics.enabled) instrumentHttp(app, metrics);
  // During a restore of the live database every change is refused with a clear answer; reads go on.
  const maintenance = maintenanceProbe(ctx.database);
  const restoring = () =>
    new AppError('unavailable', MAINTENANCE_MESSAGE, { headers: { 'retry-after': '60' } });
  app.addHook('onRequest', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method) || isHealthProbe(request.url)) return done();
    maintenance.active().then((on) => done(on ? restoring() : undefined), done);
  });

  await installSecurity(app, ctx);
  await app.register(cookie);
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD,
    encodings: COMPRESS_ENCODINGS,
  });
  await app.register(underPressure, {
    maxEventLoopDelay: config.server.maxEventLoopDelayMs,
    retryAfter: 10,
    pressureHandler: (request, reply, type, value) => {
      // An overloaded process is slow, not dead: liveness keeps answering so it is not restarted.
      if (request.url.split('?')[0]!.endsWith('/health/live')) return;
      const body = problem(
        'unavailable',
        503,
        `The server is overloaded (${type}: ${Math.round(Number(value))}); retry shortly`,
        request.url.split('?')[0],
      );
      // Pre-serialised, so a route's own 503 schema (readiness) cannot reject the problem body.
      reply
        .status(503)
        .header('retry-after', '10')
        .type('application/problem+json')
        .send(JSON.stringify(body));
    },
  });
  // With METRICS_PORT, /metrics lives on its own listener (see main.ts), not on the public port.
  if (config.metrics.enabled && !config.metrics.port) {
    app.get(
      '/metrics',
      { config: { public: true }, schema: { hide: true } },
      metricsHandler(metrics.registry, config.metrics.token),
    );
  }

  if (config.server.apiDocs) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'ClockPilot API', version: config.app.version },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: (doc) =>
        completeDocument(
          'openapiObject' in doc ? doc.openapiObject : doc.swaggerObject,
          app.routeAccess(),
          config.app.publicUrl,
        ),
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    // The original systems' documentation path.
    app.get(
      '/swagger/index.html',
      { config: { public: true }, schema: { hide: true } },
      async (_req, reply) => reply.redirect('/docs', 301),
    );
    app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  }

  installAuth(app, {
    enforced: config.auth.enforced,
    onDenied: (request, reason) => {
      metrics.securityEvents.inc({ type: 'permission_denied' });
      loggers.security.warn(
        {
          event: 'permission_denied',
          reqId: request.id,
          userId: request.principal?.userId,
          route: request.routeOptions.url,
          reason,
        },
        'permission denied',
      );
    },
  });

  await app.register(healthRoutes, { config, database: ctx.database, cache, lifecycle, maintenance });
  // The modules that run, in dependency order (a planned module not built yet is not among them).
  await app.register(appInfoRoutes, { config, modules: runtime.modules.map((m) => m.def.name) });

  for (const { def, services } of runtime.modules) {
    if (def.rootRoutes) await app.register(async (scope) => def.rootRoutes!(scope, services, ctx));
    if (!def.routes) continue;
    await app.register(async (scope) => def.routes!(scope, services, ctx), {
      prefix: def.prefix ?? `/api/v1/${def.name}`,
    });
  }

  // The single-page app: after the API so /api routes win, before the 404 handler that falls back to it.
  const web = await registerWeb(app, config);

  // Unknown routes get a strict limit of their own (probing). A counter, not app.rateLimit(): the
  // plugin lets only the first of its limiters run per request, and the global one always comes first.
  const notFoundCounters = createCounters(cache);
  app.setNotFoundHandler(async (request, reply) => {
    if (web.wantsSpa(request)) return web.sendIndex(request, reply);
    const hit = await notFoundCounters.hit(`notfound:${clientKey(request.ip)}`, 60_000);
    if (hit.count > NOT_FOUND_PER_MINUTE) {
      const retry = String(Math.max(1, Math.ceil(hit.resetMs / 1000)));
      throw new AppError('rate_limited', `Too many requests for unknown routes; retry in ${retry} s`, {
        headers: { 'retry-after': retry },
      });
    }
    return reply
      .status(404)
      .type('application/problem+json')
      .send(
        problem(
          'not_found',
          404,
          `No route ${request.method} ${request.url.split('?')[0]}`,
          request.url.split('?')[0],
        ),
      );
  });

  async function start(opts: { retry?: boolean; jobs?: boolean } = {}) {
    await runtime.start({ ...opts, jobs: opts.jobs ?? true });
    lifecycle.started = true;
  }

  async function close() {
    lifecycle.shuttingDown = true;
    // Requests in flight and running jobs finish side by side, before the database closes.
    await Promise.all([app.close(), runtime.drain()]);
    await runtime.close();
    loggers.flush();
  }

  return { app, ctx, runtime, lifecycle, start, close };
}
