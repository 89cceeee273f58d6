// `npm start`: builds the web app when there is no build yet, starts the autoscaler's load simulator
// in a process of its own unless the setup names one, then runs the server.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { simulatorLeftToSetup, startSimulator } from './lib/simulator.mjs';

const root = new URL('..', import.meta.url);
const webBuilt = existsSync(new URL('apps/web/dist/index.html', root));
const webSource = existsSync(new URL('apps/web/index.html', root));
if (!webBuilt && webSource) {
  console.log('Building the web app (first start only)…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@clockpilot/web'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const env = { ...process.env };
let simulator;
if (simulatorLeftToSetup(env, process.argv.slice(2)) === null) {
  try {
    simulator = await startSimulator(root, process.env);
    Object.assign(env, simulator.serverEnv);
    console.log(
      `Load simulator for the autoscaler: ${simulator.url} (process ${simulator.pid}; set SIMULATOR_URL to use another)`,
    );
  } catch (err) {
    console.warn(
      `The load simulator did not start (${err.message}); clusters cannot be created until SIMULATOR_URL is set.`,
    );
  }
}

const server = existsSync(new URL('apps/server/dist/main.js', root))
  ? ['apps/server/dist/main.js']
  : ['--import', 'tsx', 'apps/server/src/main.ts'];
const child = spawn(process.execPath, [...server, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env,
});
// Ctrl-C reaches the server and the simulator through the process group: passing it on would be a second
// signal, which makes the server exit without its graceful shutdown. A SIGTERM to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
const [code] = await once(child, 'exit');
await simulator?.stop();
process.exit(code ?? 1);
