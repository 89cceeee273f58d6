import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { serverBundle } from './bundle';
import { TEST_JWT_SECRET } from './helpers';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type ServerProcess = {
  url: string;
  /** What the process wrote to stderr (warnings and errors at LOG_LEVEL=warn). */
  errors: () => string;
  /** `kill -9`: no shutdown hook runs, in-flight requests and transactions are cut where they are. */
  kill: () => Promise<void>;
  /** SIGTERM and the graceful shutdown. */
  stop: () => Promise<void>;
};

/**
 * The real entry point (bundled as deployed, see bundle.ts) in a process of its own, on `port`, until its
 * readiness answers 200. `env` adds to a clean environment (DATABASE_URL, REDIS_URL, limits).
 */
export async function startServerProcess(
  port: number,
  env: Record<string, string | undefined>,
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  const proc: ChildProcess = spawn(process.execPath, [(await serverBundle()).main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APP_MODE: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  proc.stderr!.on('data', (d) => {
    errors += d;
  });
  const exited = once(proc, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}: ${errors}`);
    const ready = await fetch(`${url}/api/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the server was not ready within ${timeoutMs} ms: ${errors}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return { url, errors: () => errors, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
