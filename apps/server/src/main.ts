import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfigOrExit } from './config/boot';
import { ConfigError } from './config/load';
import { createDatabase } from './platform/db';
import { listenMetrics } from './platform/http-metrics';
import { createLoggers } from './platform/logger';

const config = loadConfigOrExit();
const loggers = createLoggers(config);
const log = loggers.app;

const database = await createDatabase(config);
// A module may refuse settings that only matter when it runs (fleet: the payment providers in production).
const built = await buildApp(config, { database, loggers }).catch((err: unknown) => {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`ClockPilot cannot start: ${err.message}\n`);
  process.exit(1);
});
const { app, lifecycle } = built;

// Listen before the database is up: an orchestrator sees liveness at once and readiness when it can serve.
await app.listen({ port: config.server.port, host: config.server.host });
log.info(
  {
    url: config.app.publicUrl,
    database: database.driver,
    redis: built.ctx.cache.kind,
    modules: built.runtime.modules.map((m) => m.def.name),
  },
  `ClockPilot listening on ${config.app.publicUrl}`,
);

let metricsServer: FastifyInstance | undefined;
if (config.metrics.enabled && config.metrics.port) {
  metricsServer = await listenMetrics(built.ctx.metrics.registry, config.metrics.port, config.server.host);
  log.info(`metrics on :${config.metrics.port}/metrics`);
}

async function stop() {
  // Readiness answers 503 from here on, while in-flight requests finish.
  lifecycle.shuttingDown = true;
  await metricsServer?.close();
  await built.close();
}

const shutdown = closeWithGrace({ delay: 10_000, logger: log }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'fatal error, shutting down');
  else log.info({ signal }, 'shutting down');
  await stop();
});

built.start({ retry: true }).then(
  () => log.info('ready'),
  async (err: Error) => {
    // A shutdown during start-up interrupts it; that is no failure.
    if (lifecycle.shuttingDown) return;
    log.fatal({ err }, 'start-up failed');
    shutdown.uninstall();
    await stop();
    process.exit(1);
  },
);
