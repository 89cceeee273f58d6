import { fileURLToPath } from 'node:url';
import { startSimulator as startProcess } from '../../../scripts/lib/simulator.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

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
  const sim = await startProcess(
    ROOT,
    { PATH: process.env.PATH, SIMULATOR_SPEED: '0', LOG_LEVEL: 'warn' },
    { timeoutMs: 20_000, stdout: 'ignore' },
  );
  const { SIMULATOR_URL: url, SIMULATOR_TOKEN: token } = sim.serverEnv;
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
  return {
    url,
    token,
    env: sim.serverEnv,
    api,
    async advance(clusterId, seconds) {
      const res = await api('POST', `/clusters/${clusterId}/advance`, { seconds });
      if (res.status !== 200) throw new Error(`advance answered ${res.status}`);
    },
    stop: sim.stop,
  };
}
