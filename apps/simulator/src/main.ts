// The simulator process: `npm run simulator` or `clockpilot-simulator --port 9000`.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './server/app';
import { ConfigError, loadConfig } from './server/config';
import { Simulation } from './server/simulation';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, process.argv.slice(2));
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const simulation = new Simulation(config);
const app = await buildApp(config, simulation);
simulation.onBehind = (droppedSteps) =>
  app.log.warn({ droppedSteps }, 'the clock fell behind; simulated time runs slower than SIMULATOR_SPEED');
if (!config.token) app.log.warn('SIMULATOR_TOKEN is not set: the API accepts every caller on this host');

closeWithGrace({ delay: 10_000, logger: app.log }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'fatal error, shutting down');
  else app.log.info({ signal }, 'shutting down');
  simulation.stop();
  await app.close();
  app.log.info('stopped');
});

await app.listen({ host: config.host, port: config.port });
simulation.start(config.tickMs);
app.log.info({ speed: config.speed, production: config.production }, 'simulator ready');
