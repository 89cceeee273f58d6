import closeWithGrace from 'close-with-grace';
import Fastify from 'fastify';
import { buildApp } from './app';
import { loadConfigOrExit } from './config/boot';
import { createDatabase } from './platform/db';
import { createLoggers } from './platform/logger';

const config = loadConfigOrExit();
const loggers = createLoggers(config);
const log = loggers.app;

const database = await createDatabase(config);
const built = await buildApp(config, { database, loggers });
const { app, lifecycle } = built;

// Listen before the database is up: an orchestrator sees liveness at once and readiness when it can serve.
await app.listen({ port: config.server.port, host: config.server.host });
log.info(
  {
    url: config.app.publicUrl,
    database: database.driver,
    redis: built.ctx.cache.kind,
    modules: config.app.modules,
  },
  `ClockPilot listening on ${config.app.publicUrl}`,
);

const metricsServer = config.metrics.enabled && config.metrics.port ? Fastify() : undefined;
if (metricsServer) {
  const { registry } = built.ctx.metrics;
  metricsServer.get('/metrics', async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  await metricsServer.listen({ port: config.metrics.port!, host: config.server.host });
  log.info(`metrics on :${config.metrics.port}/metrics`);
}

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'fatal error, shutting down');
  else log.info({ signal }, 'shutting down');
  // Readiness answers 503 from here on, while in-flight requests finish.
  lifecycle.shuttingDown = true;
  await metricsServer?.close();
  await built.close();
});

built.start({ retry: true }).then(
  () => log.info('ready'),
  (err: Error) => {
    log.fatal({ err }, 'start-up failed');
    process.kill(process.pid, 'SIGTERM');
  },
);
