// The load simulator `npm start` runs beside the server (scripts/start.mjs; types in simulator.d.mts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { freePort } from './net.mjs';

const isProduction = (env) =>
  [env.APP_MODE, env.CLOCKPILOT_APP_MODE, env.AUTOSCALER_APP_MODE, env.NODE_ENV].includes('production');

/**
 * Why the setup brings its own simulator (or none), or null when `npm start` should start one. `argv`:
 * the server's arguments (`--config FILE` names a configuration file, as CONFIG_FILE does).
 */
export function simulatorLeftToSetup(env, argv = []) {
  if (isProduction(env)) return 'production mode: the deployment runs its own simulator';
  if (env.SIMULATOR_URL || env.CLOCKPILOT_SIMULATOR_URL) return 'SIMULATOR_URL is set';
  if (env.CONFIG_FILE || argv.some((a) => a === '--config' || a.startsWith('--config=')))
    return 'a configuration file is given: it says where the simulator is';
  const modules = (env.CLOCKPILOT_MODULES ?? env.MODULES ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (modules.length > 0 && !modules.includes('autoscaler')) return 'the autoscaler module is off';
  return null;
}

/**
 * The simulator in a process of its own on a free loopback port, with a new random token, once its
 * health answers. `env` is the environment it inherits (its own SIMULATOR_* settings apply); what the
 * server needs to reach it is in `serverEnv`. `stdout: 'ignore'` keeps its log lines out (tests).
 */
export async function startSimulator(root, env, { timeoutMs = 60_000, stdout = 'inherit' } = {}) {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    process.execPath,
    ['apps/simulator/bin/clockpilot-simulator.mjs', '--port', String(port), '--host', '127.0.0.1'],
    {
      cwd: root,
      env: { ...env, SIMULATOR_TOKEN: token, SIMULATOR_LOG_LEVEL: env.SIMULATOR_LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', stdout, 'inherit'],
    },
  );
  const exited = once(proc, 'exit');
  const running = () => proc.exitCode === null && proc.signalCode === null;
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (!running()) throw new Error(`it exited with ${proc.exitCode ?? proc.signalCode}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${url}/health did not answer within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: proc.pid,
    serverEnv: { SIMULATOR_URL: url, SIMULATOR_TOKEN: token },
    /** SIGTERM and its graceful shutdown (10 s at most), then SIGKILL. */
    async stop() {
      if (!running()) return;
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(force);
    },
  };
}
