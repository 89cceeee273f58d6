import { ZHealth, ZLiveness, ZReadiness } from '@clockpilot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freePort, type TestApp } from '../../test/helpers';
import { buildApp } from '../app';
import { loadConfig } from '../config/load';
import { createPostgres } from './db';

const BASES = ['/api/health', '/health', '/api/v1/health'];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe.each(BASES)('%s', (base) => {
  it('live answers alive with timestamp and uptime', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${base}/live` });
    expect(res.statusCode).toBe(200);
    const body = ZLiveness.strict().parse(res.json());
    expect(body.status).toBe('alive');
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    expect(body.uptime).toBeGreaterThanOrEqual(0);
  });

  it('ready answers 200 with database, redis and migrations checks', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${base}/ready` });
    expect(res.statusCode).toBe(200);
    const body = ZReadiness.parse(res.json());
    expect(body.status).toBe('ready');
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.migrations.status).toBe('up');
    expect(body.checks.redis.status).toBe(process.env.REDIS_URL ? 'up' : 'disabled');
  });

  it('health reports services, version, environment and memory', async () => {
    const res = await t.app.inject({ method: 'GET', url: base });
    expect(res.statusCode).toBe(200);
    const body = ZHealth.strict().parse(res.json());
    expect(body).toMatchObject({
      status: 'healthy',
      environment: 'test',
      version: '0.0.0-test',
      services: { database: { status: 'up', driver: t.ctx.database.driver } },
    });
    expect(Object.keys(body.performance.memory).sort()).toEqual(['percentage', 'total', 'used']);
    expect(body.performance.memory.percentage).toBeGreaterThan(0);
    expect(body.performance.memory.percentage).toBeLessThanOrEqual(100);
    expect(body.performance.responseTime).toBeGreaterThanOrEqual(0);
  });

  it('answers the same with a trailing slash', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${base}/` });
    expect(res.statusCode).toBe(200);
    expect(ZHealth.strict().parse(res.json()).status).toBe('healthy');
  });
});

describe('readiness', () => {
  it('waits for the start-up work (first admin, jobs) after migrations, not only for the database', async () => {
    t.lifecycle.started = false;
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks).toMatchObject({
        migrations: { status: 'up' },
        startup: { status: 'down' },
      });
    } finally {
      t.lifecycle.started = true;
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/health/ready' })).json().checks.startup).toEqual({
      status: 'up',
    });
  });

  it('turns 503 as soon as shutdown begins, while liveness stays 200', async () => {
    t.lifecycle.shuttingDown = true;
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'up' } } });
      expect((await t.app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
    } finally {
      t.lifecycle.shuttingDown = false;
    }
  });

  it('is 503 while a migration is pending and 200 once it is applied', async () => {
    const app = await createTestApp({ env: { MIGRATE_ON_BOOT: 'false' } });
    try {
      const [row] = await app.ctx.database.withSession((s) =>
        s.query<{ name: string; checksum: string }>(
          'delete from schema_migrations where name = (select min(name) from schema_migrations) returning name, checksum',
        ),
      );
      const pending = await app.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(pending.statusCode).toBe(503);
      expect(pending.json().checks.migrations).toEqual({ status: 'down', detail: '1 pending' });

      await app.ctx.database.withSession((s) =>
        s.query('insert into schema_migrations (name, checksum) values ($1, $2)', [row!.name, row!.checksum]),
      );
      const current = await app.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(current.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('is 503 with the database down, and health says unhealthy', async () => {
    const config = loadConfig({
      env: { APP_MODE: 'test', LOG_LEVEL: 'silent' },
    });
    const port = await freePort();
    const database = createPostgres(`postgres://x@127.0.0.1:${port}/none`, config);
    const built = await buildApp(config, { database });
    try {
      const ready = await built.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks).toMatchObject({
        database: { status: 'down' },
        migrations: { status: 'down', detail: 'database down' },
      });
      const health = await built.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({
        status: 'unhealthy',
        services: { database: { status: 'down' } },
      });
    } finally {
      await built.close();
    }
  });
});
