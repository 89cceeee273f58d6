import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../test/factories/identity';
import { createTestApp, freePort, type TestApp, testDatabase, testPostgres } from '../../test/helpers';
import type { Database } from './db';

// The outage is real but private: the app reaches its PostgreSQL through a TCP proxy of this file,
// which is cut and restored (the machine's PostgreSQL serves other tests and is never restarted).
// Embedded PGlite has no connection to lose, so this runs against PostgreSQL (mode 2) only.

/** A FATAL ErrorResponse of PostgreSQL's wire protocol, as a server sends it before closing. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/**
 * Forwards PostgreSQL's messages to the client and knows where each ends, so `terminate` can close the
 * connection as a restarting server does: after the message in transit, with FATAL 57P01.
 */
function serverToClient(upstream: Socket, client: Socket) {
  let head = Buffer.alloc(0);
  let rest = 0;
  let terminating = false;
  const finish = () => {
    upstream.destroy();
    client.end(fatal('57P01', 'terminating connection due to administrator command'));
  };
  upstream.on('data', (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; ) {
      if (rest > 0) {
        const n = Math.min(rest, chunk.length - i);
        client.write(chunk.subarray(i, i + n));
        rest -= n;
        i += n;
        continue;
      }
      if (terminating) return finish();
      const n = Math.min(5 - head.length, chunk.length - i);
      head = Buffer.concat([head, chunk.subarray(i, i + n)]);
      i += n;
      if (head.length === 5) {
        client.write(head);
        rest = head.readInt32BE(1) - 4;
        head = Buffer.alloc(0);
      }
    }
    if (terminating && rest === 0 && head.length === 0) finish();
  });
  return {
    terminate() {
      terminating = true;
      if (rest === 0 && head.length === 0) finish();
    },
  };
}

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL. `cut` drops every connection and refuses new ones (a
 * network cut); `stop` and `start` act as a PostgreSQL restart does: each open connection gets FATAL
 * 57P01 and is closed, new ones are refused while it is down, then answered FATAL 57P03 ("starting
 * up") until `up`.
 */
function pgProxy(targetPort: number, port: number) {
  const sockets = new Set<Socket>();
  const sessions = new Set<{ terminate(): void }>();
  let server: Server | undefined;
  let starting = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const close = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  return {
    async open() {
      server = createServer((client) => {
        track(client);
        if (starting) {
          client.once('data', () => client.end(fatal('57P03', 'the database system is starting up')));
          return;
        }
        const upstream = connect(targetPort, '127.0.0.1');
        track(upstream);
        client.pipe(upstream);
        const session = serverToClient(upstream, client);
        sessions.add(session);
        client.on('close', () => {
          sessions.delete(session);
          upstream.destroy();
        });
        upstream.on('close', () => client.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async cut() {
      const closed = close();
      for (const s of sockets) s.destroy();
      await closed;
    },
    async stop() {
      const closed = close();
      for (const s of sessions) s.terminate();
      await closed;
    },
    async start() {
      starting = true;
      await this.open();
    },
    up() {
      starting = false;
    },
  };
}

describe('PostgreSQL away under load', () => {
  let t: TestApp;
  let database: Database;
  let proxy: ReturnType<typeof pgProxy>;

  beforeAll(async () => {
    const made = await testDatabase();
    await made.database.close();
    const url = new URL(made.url!);
    const port = await freePort();
    proxy = pgProxy(Number(url.port || 5432), port);
    await proxy.open();
    url.port = String(port);
    database = testPostgres(url.toString());
    // Ten clients read back to back for seconds: the limits must not answer for the database.
    t = await createTestApp({
      database,
      env: { RATE_LIMIT_MAX_REQUESTS: '1000000', API_RATE_LIMIT_PER_MINUTE: '1000000' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.cut();
  });

  const ready = () => t.app.inject({ method: 'GET', url: '/api/health/ready' });
  // A wrong password reads the database: 401 while it answers.
  const login = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'nobody@example.test', password: 'not the password' },
    });

  it('answers 503 with retry-after while the database is away, and recovers without a restart', async () => {
    expect((await ready()).statusCode).toBe(200);
    expect((await login()).statusCode).toBe(401);

    await proxy.cut();
    const during = await Promise.all(Array.from({ length: 20 }, login));
    for (const res of during) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
    }
    const away = await ready();
    expect(away.statusCode).toBe(503);
    expect(away.json().checks.database.status).toBe('down');

    await proxy.open();
    expect((await ready()).statusCode).toBe(200);
    expect((await login()).statusCode).toBe(401);
  });

  it('fails fast with 503 through a PostgreSQL restart under load, recovers by itself, readiness following', async () => {
    const { headers } = await loginAs(t);
    const status = () => t.app.inject({ method: 'GET', url: '/api/v1/time/status', headers });
    expect((await status()).statusCode).toBe(200);

    // Ten clients read their status back to back; each answer is kept with the phase it was asked in.
    type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'back';
    let phase: Phase = 'up';
    // `phase` when asked, `answered` when answered.
    const answers: Array<{
      phase: Phase;
      answered: Phase;
      status: number;
      ms: number;
      problem: boolean;
      retry?: string;
    }> = [];
    let running = true;
    const clients = Array.from({ length: 10 }, async () => {
      while (running) {
        const asked = phase;
        const started = performance.now();
        const res = await status();
        answers.push({
          phase: asked,
          answered: phase,
          status: res.statusCode,
          ms: performance.now() - started,
          problem: String(res.headers['content-type']).startsWith('application/problem+json'),
          retry: res.headers['retry-after'] as string | undefined,
        });
      }
    });
    const readiness: Array<{ phase: Phase; status: number; database: string }> = [];
    const probe = async () => {
      const res = await ready();
      readiness.push({ phase, status: res.statusCode, database: res.json().checks.database.status });
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // The clients stop however the steps end: left running, a failed step would loop them until the heap is gone.
    try {
      await sleep(500);
      phase = 'stopping';
      await proxy.stop();
      phase = 'down';
      for (let i = 0; i < 3; i++) await Promise.all([probe(), sleep(300)]);
      phase = 'starting';
      await proxy.start();
      for (let i = 0; i < 3; i++) await Promise.all([probe(), sleep(300)]);
      proxy.up();
      phase = 'back';
      for (let i = 0; readiness.at(-1)?.status !== 200; i++) {
        expect(i, 'readiness back within 15 s').toBeLessThan(50);
        await Promise.all([probe(), sleep(300)]);
      }
      await sleep(500);
    } finally {
      running = false;
      await Promise.all(clients);
    }

    // Only the two honest answers, at any moment: the status, or 503 problem+json with Retry-After.
    const wrong = answers.filter(
      (a) => !(a.status === 200 || (a.status === 503 && a.problem && a.retry === '5')),
    );
    expect(wrong, JSON.stringify(wrong)).toEqual([]);
    // While it was away every request failed, and fast: nothing waited for a connection timeout (5 s).
    const away = answers.filter(
      (a) => a.phase === a.answered && (a.phase === 'down' || a.phase === 'starting'),
    );
    expect(away.length).toBeGreaterThan(20);
    expect(away.filter((a) => a.status !== 503)).toEqual([]);
    expect(Math.max(...away.map((a) => a.ms))).toBeLessThan(4000);
    // Readiness said down while it was, and recovered with no restart; then requests succeed again.
    expect(readiness.filter((r) => r.phase !== 'back')).toEqual(
      readiness.filter((r) => r.phase !== 'back').map((r) => ({ ...r, status: 503, database: 'down' })),
    );
    expect(readiness.at(-1)).toMatchObject({ status: 200, database: 'up' });
    expect(answers.slice(-10).map((a) => a.status)).toEqual(Array(10).fill(200));
  });
});
