import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/lib/net.mjs';

const BIN = fileURLToPath(new URL('../../simulator/bin/clockpilot-simulator.mjs', import.meta.url));

export type TestSimulator = {
  url: string;
  token: string;
  /** SIMULATOR_URL and SIMULATOR_TOKEN for createTestApp's env. */
  env: Record<string, string>;
  /** Calls the simulator as the server does. */
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field in the tests
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Moves one cluster's simulated time on (the clock stands still otherwise). */
  advance(clusterId: string, seconds: number): Promise<void>;
  stop(): Promise<void>;
};

/**
 * A simulator process of the test's own, on a free port, with its clock stopped (SIMULATOR_SPEED=0):
 * simulated time moves only when the test advances it, so every figure is deterministic.
 */
export async function startSimulator(): Promise<TestSimulator> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('hex');
  const child: ChildProcess = spawn(process.execPath, [BIN, '--port', String(port)], {
    env: { PATH: process.env.PATH, SIMULATOR_TOKEN: token, SIMULATOR_SPEED: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the simulator exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 400) throw new Error('the simulator did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    token,
    env: { SIMULATOR_URL: url, SIMULATOR_TOKEN: token },
    api,
    async advance(clusterId, seconds) {
      const res = await api('POST', `/clusters/${clusterId}/advance`, { seconds });
      if (res.status !== 200) throw new Error(`advance answered ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
