import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';
import { holdMaintenance, MAINTENANCE_CACHE_MS } from './maintenance';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ready = () => t.app.inject({ method: 'GET', url: '/api/health/ready' });
const write = () =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/identity/login',
    payload: { username: 'nobody', password: 'x' },
  });

if (process.env.TEST_DATABASE_URL) {
  it('while a restore holds the live database, readiness is 503 and writes are refused; then all is back', async () => {
    expect((await ready()).statusCode).toBe(200);
    const hold = await holdMaintenance(t.url!);
    try {
      const r = await ready();
      expect(r.statusCode).toBe(503);
      expect(r.json().checks.maintenance).toEqual({
        status: 'down',
        detail: 'a database restore is in progress',
      });
      const w = await write();
      expect(w.statusCode).toBe(503);
      expect(w.json().detail).toMatch(/in maintenance: a database restore is in progress/);
      expect((await t.app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
      await expect(holdMaintenance(t.url!)).rejects.toThrow(/another restore/);
    } finally {
      await hold.release();
    }
    await new Promise((r) => setTimeout(r, MAINTENANCE_CACHE_MS + 100));
    expect((await ready()).statusCode).toBe(200);
    expect((await write()).statusCode).not.toBe(503);
  });
} else {
  // Embedded PGlite belongs to one process: its restore runs with the server stopped.
  it('on embedded PGlite readiness reports no maintenance and writes go through', async () => {
    const r = await ready();
    expect(r.statusCode).toBe(200);
    expect(r.json().checks.maintenance).toEqual({ status: 'up' });
    expect((await write()).statusCode).not.toBe(503);
  });
}
