import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simulatorLeftToSetup } from '../../../scripts/lib/simulator.mjs';
import { serverBundle } from '../test/bundle';
import { freePort, until } from '../test/helpers';

// These tests run the real entry point as `npm start` does (the bundle), in a process of its own.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const running: ChildProcess[] = [];

type Server = { proc: ChildProcess; port: number; output: () => string; exit: Promise<number | null> };

/** The bundled entry point, or `script` (from the repository's root) as `npm start` runs it. */
async function startServer(env: Record<string, string>, script?: string): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, [script ?? (await serverBundle()).main], {
    cwd: ROOT,
    // A clean environment: nothing of the test run's database or Redis leaks in.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cp-main-')),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so that the cleanup also stops what it started (npm start's simulator).
    detached: true,
  });
  running.push(proc);
  let output = '';
  proc.stdout!.on('data', (d) => {
    output += d;
  });
  proc.stderr!.on('data', (d) => {
    output += d;
  });
  const exit = once(proc, 'exit').then(([code]) => code as number | null);
  return { proc, port, output: () => output, exit };
}

async function get(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

afterAll(() => {
  for (const proc of running)
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
});

// Each start migrates a new PGlite database, which is slow on a busy machine.
describe('the server process', { timeout: 120_000 }, () => {
  it('refuses a bad production configuration with exit 1, naming every variable, before listening', async () => {
    const s = await startServer({
      NODE_ENV: 'production',
      JWT_SECRET: 'short',
      CORS_ALLOWED_ORIGINS: '*',
      COOKIE_SECURE: 'false',
    });
    expect(await s.exit).toBe(1);
    for (const name of ['JWT_SECRET', 'DATABASE_URL', 'CORS_ALLOWED_ORIGINS', 'COOKIE_SECURE']) {
      expect(s.output()).toMatch(new RegExp(`^\\s+- ${name}: `, 'm'));
    }
    expect(s.output()).not.toContain('listening');
  });

  it('starts on embedded PGlite, logs its URL, becomes ready, and on SIGTERM finishes an in-flight request and exits 0', async () => {
    const metricsPort = await freePort();
    const s = await startServer({ METRICS_PORT: String(metricsPort) });
    await until(
      async () => ((await get(s.port, '/api/health/ready')).status === 200 ? true : undefined),
      'ready',
      // Migrating a new PGlite database from nothing after the cold start; the test's limit is 120 s.
      100_000,
    );
    expect(s.output()).toContain(`ClockPilot listening on http://localhost:${s.port}`);

    // /metrics lives on its own listener only.
    expect((await get(s.port, '/metrics')).status).toBe(404);
    expect((await get(metricsPort, '/metrics')).body).toContain('clockpilot_http_request_duration_seconds');

    // A request whose body is still arriving when the signal comes.
    const [head, tail] = ['{"half":', '"done"}'];
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          port: s.port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/in-flight',
          headers: { 'content-type': 'application/json', 'content-length': head.length + tail.length },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write(head);
      setTimeout(() => req.end(tail), 1500);
    });
    // Signal only once the server has the request (it logs it before the body is in).
    await until(
      async () => (s.output().includes('"url":"/api/in-flight"') ? true : undefined),
      'the request',
    );
    s.proc.kill('SIGTERM');

    const res = await response.catch((err) => {
      throw new Error(`${err.message}\n${s.output()}`);
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'not_found', instance: '/api/in-flight' });
    // close-with-grace exits 1 when shutdown outlasts its 10 s limit, so 0 means it finished in time.
    expect(await s.exit).toBe(0);
    expect(s.output()).toContain('shutting down');
  });

  it('keeps running with readiness 503 while the database is unreachable, and still stops cleanly', async () => {
    const dbPort = await freePort();
    const s = await startServer({ DATABASE_URL: `postgres://nobody@127.0.0.1:${dbPort}/none` });
    await until(
      async () => ((await get(s.port, '/api/health/live')).status === 200 ? true : undefined),
      'live',
    );
    // Long enough for several retries: the process must not give up and exit.
    await new Promise((r) => setTimeout(r, 3000));
    expect(s.proc.exitCode).toBeNull();
    const ready = await get(s.port, '/api/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body).checks.database.status).toBe('down');
    expect(s.output()).toContain('database not reachable yet');

    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});

// `npm start` as a user runs it: scripts/start.mjs, with the server and a load simulator of its own.
describe('npm start', { timeout: 150_000 }, () => {
  it('leaves the simulator to a setup that names one, runs production or has no autoscaler', () => {
    expect(simulatorLeftToSetup({})).toBeNull();
    expect(simulatorLeftToSetup({ MODULES: 'identity, autoscaler' })).toBeNull();
    expect(simulatorLeftToSetup({ SIMULATOR_URL: 'http://127.0.0.1:9000' })).toMatch(/SIMULATOR_URL/);
    expect(simulatorLeftToSetup({ CLOCKPILOT_SIMULATOR_URL: 'http://127.0.0.1:9000' })).toMatch(
      /SIMULATOR_URL/,
    );
    expect(simulatorLeftToSetup({ CONFIG_FILE: 'configs/config.prod.yaml' })).toMatch(/configuration file/);
    expect(simulatorLeftToSetup({}, ['--config', 'configs/config.prod.yaml'])).toMatch(/configuration file/);
    expect(simulatorLeftToSetup({}, ['--config=configs/config.prod.yaml'])).toMatch(/configuration file/);
    expect(simulatorLeftToSetup({}, ['--migrate'])).toBeNull();
    expect(simulatorLeftToSetup({ NODE_ENV: 'production' })).toMatch(/production/);
    expect(simulatorLeftToSetup({ AUTOSCALER_APP_MODE: 'production' })).toMatch(/production/);
    expect(simulatorLeftToSetup({ MODULES: 'time,identity' })).toMatch(/autoscaler module is off/);
  });

  it('starts a simulator process the server reaches with a shared token, and stops both on SIGTERM', async () => {
    const s = await startServer({ LOG_LEVEL: 'warn' }, 'scripts/start.mjs');
    await until(
      async () => ((await get(s.port, '/api/health/ready')).status === 200 ? true : undefined),
      'ready',
      100_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}:\n${s.output()}`);
    });
    const simUrl = /Load simulator for the autoscaler: (http:\/\/127\.0\.0\.1:\d+)/.exec(s.output())?.[1];
    expect(simUrl, s.output()).toBeDefined();
    // The simulator wants the token it was given; the server has it.
    expect((await fetch(`${simUrl}/clusters`)).status).toBe(401);

    const account = { username: 'start_user', password: 'Start-pass1!' };
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`http://127.0.0.1:${s.port}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/register', account)).status).toBe(201);
    const { accessToken } = (await (await post('/auth/login', account)).json()) as { accessToken: string };
    const created = await post(
      '/api/v1/autoscaler/clusters',
      {
        name: 'first-cluster',
        minServers: 1,
        maxServers: 5,
        target: { type: 'cpu', utilizationPercent: 70 },
      },
      accessToken,
    );
    expect(created.status, await created.clone().text()).toBe(201);

    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    await expect(fetch(`${simUrl}/health`)).rejects.toThrow();
  });
});
