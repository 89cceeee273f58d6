import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serverBundle } from '../test/bundle';
import { freePort } from '../test/helpers';

// These tests run the real entry point as `npm start` does (the bundle), in a process of its own.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const running: ChildProcess[] = [];

type Server = { proc: ChildProcess; port: number; output: () => string; exit: Promise<number | null> };

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, [(await serverBundle()).main], {
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

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

afterAll(() => {
  for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
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
    await waitFor(
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
    await waitFor(
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
    await waitFor(
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
