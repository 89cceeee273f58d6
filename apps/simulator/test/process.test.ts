import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ZSimClusterMetrics } from '@clockpilot/contracts/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/net.mjs';

const BIN = fileURLToPath(new URL('../bin/clockpilot-simulator.mjs', import.meta.url));
const TOKEN = 'process-test-token-0123456789abcdef';

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += chunk));
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  return { child, output };
}

/** Polls `check` until it returns a value, or fails when the process has gone or the attempts run out. */
async function until<T>(child: ChildProcess, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the simulator exited with ${child.exitCode}`);
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('gave up waiting');
}

describe('the simulator process', () => {
  let sim: ReturnType<typeof run>;
  let base: string;
  const api = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // 200 simulated seconds per real second, so boot delays pass while the test polls.
    sim = run(['--port', String(port), '--speed', '200'], {
      SIMULATOR_TOKEN: TOKEN,
      SIMULATOR_TICK_MS: '20',
      LOG_LEVEL: 'info',
    });
    await until(sim.child, async () => ((await fetch(`${base}/health`)).ok ? true : undefined));
  });
  afterAll(() => {
    if (sim.child.exitCode === null) sim.child.kill('SIGKILL');
  });

  it('serves a cluster whose simulated time runs, over HTTP with the token', async () => {
    expect((await api('PUT', '/clusters/p1', {}, null)).status).toBe(401);
    const created = await api('PUT', '/clusters/p1', {
      servers: 1,
      capacityRps: 10,
      bootSeconds: 60,
      load: { type: 'step', baseRps: 5, steps: [{ atSeconds: 0, rps: 25 }] },
    });
    expect(created.status).toBe(201);
    expect((await api('POST', '/clusters/p1/scale', { replicas: 3 })).status).toBe(200);

    // The new servers boot, then serve: the metrics move on their own as simulated time passes.
    const metrics = await until(sim.child, async () => {
      const body = ZSimClusterMetrics.parse(await (await api('GET', '/clusters/p1/metrics')).json());
      return body.servers.filter((s) => s.ready).length === 3 && body.time > 90 ? body : undefined;
    });
    expect(metrics.cluster.requestRate).toBeCloseTo(25);
    expect(metrics.servers.map((s) => [s.name, s.phase, s.deleting])).toEqual([
      ['server-1', 'Running', false],
      ['server-2', 'Running', false],
      ['server-3', 'Running', false],
    ]);
    expect(metrics.servers.every((s) => s.cpuMillis > 50 && s.requestMillis === 1000)).toBe(true);
    const health = await (await fetch(`${base}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', clusters: 1, speed: 200 });
  });

  it('writes JSON logs and stops cleanly on SIGTERM', async () => {
    sim.child.kill('SIGTERM');
    const [code] = await once(sim.child, 'exit');
    expect(code).toBe(0);
    const lines = sim.output.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.every((l) => l.service === 'clockpilot-simulator' && typeof l.time === 'string')).toBe(true);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['simulator ready', 'cluster created', 'scaled', 'shutting down', 'stopped']),
    );
    expect(sim.output.stdout).not.toContain(TOKEN);
  });
});

describe('the simulator process in production', () => {
  it('refuses to start without a token', async () => {
    const { child, output } = run(['--port', String(await freePort())], { NODE_ENV: 'production' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output.stderr).toContain('SIMULATOR_TOKEN is required in production');
  });
});
