import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freePort, type TestApp, testDatabase, testPostgres } from '../../test/helpers';
import type { Database } from './db';

// The outage is real but private: the app reaches its PostgreSQL through a TCP proxy of this file,
// which is cut and restored (the machine's PostgreSQL serves other tests and is never restarted).
// Embedded PGlite has no connection to lose, so this runs against PostgreSQL (mode 2) only.

/** A TCP proxy on 127.0.0.1 that can be cut (listener closed, every connection dropped) and restored. */
function tcpProxy(targetPort: number, port: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  return {
    async open() {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe('PostgreSQL away under load', () => {
  let t: TestApp;
  let database: Database;
  let proxy: ReturnType<typeof tcpProxy>;

  beforeAll(async () => {
    const made = await testDatabase();
    await made.database.close();
    const url = new URL(made.url!);
    const port = await freePort();
    proxy = tcpProxy(Number(url.port || 5432), port);
    await proxy.open();
    url.port = String(port);
    database = testPostgres(url.toString());
    t = await createTestApp({ database });
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
});
