import { execFileSync, spawnSync } from 'node:child_process';
import { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, freePort, type TestApp } from '../../test/helpers';
import { listenMetrics } from './http-metrics';

describe('/metrics on the public port', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.app.get('/api/test/items/:id', { config: { public: true } }, async () => ({ ok: true }));
    await t.app.ready();
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.body;
  };

  it('records request duration by method, route pattern and status', async () => {
    await t.app.inject({ method: 'GET', url: '/api/test/items/4711' });
    await t.app.inject({ method: 'GET', url: '/api/test/items/4712' });
    const body = await scrape();
    expect(body).toMatch(
      /clockpilot_http_request_duration_seconds_count\{method="GET",route="\/api\/test\/items\/:id",status="200"\} 2/,
    );
    // Raw URLs never become labels (a sample's value may hold those digits by chance).
    expect(body).not.toMatch(/\{[^}]*4711[^}]*\}/);
  });

  it('labels unknown routes as unmatched', async () => {
    await t.app.inject({ method: 'GET', url: '/api/nothing/here' });
    expect(await scrape()).toMatch(/route="unmatched",status="404"/);
  });

  it('counts in flight a request answered before its route, as well as out (a preflight)', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/test/items/1',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBeLessThan(300);
    // Only the scrape itself is in flight.
    expect(await scrape()).toMatch(/^clockpilot_http_requests_in_flight 1$/m);
  });

  it('exposes in-flight requests, the database pool, event-loop lag and process metrics', async () => {
    const body = await scrape();
    for (const name of [
      'clockpilot_http_requests_in_flight',
      'clockpilot_db_pool_connections',
      'clockpilot_db_pool_idle',
      'clockpilot_db_pool_waiting',
      'clockpilot_nodejs_eventloop_lag_seconds',
      'clockpilot_process_cpu_user_seconds_total',
      'clockpilot_process_resident_memory_bytes',
    ]) {
      expect(body).toMatch(new RegExp(`^${name} `, 'm'));
    }
  });

  // promtool reads a real scrape: names, types and suffixes as Prometheus expects them.
  it.runIf(spawnSync('which', ['promtool']).status === 0)('passes promtool check metrics', async () => {
    const body = await scrape();
    expect(() =>
      execFileSync('promtool', ['check', 'metrics'], { input: body, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('shows the business metrics a module registers', async () => {
    const clockIns = new Counter({
      name: 'clockpilot_test_clock_ins_total',
      help: 'Clock-ins',
      registers: [t.ctx.metrics.registry],
    });
    clockIns.inc(3);
    expect(await scrape()).toMatch(/^clockpilot_test_clock_ins_total 3$/m);
  });
});

describe('METRICS_PORT', () => {
  it('keeps /metrics off the public port and serves it on its own listener', async () => {
    const port = await freePort();
    const t = await createTestApp({ env: { METRICS_PORT: String(port) } });
    const server = await listenMetrics(t.ctx.metrics.registry, port, '127.0.0.1');
    try {
      await t.app.inject({ method: 'GET', url: '/api/health/live' });
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(
        /clockpilot_http_request_duration_seconds_count\{method="GET",route="\/api\/health\/live",status="200"\} 1/,
      );
    } finally {
      await server.close();
      await t.close();
    }
  });

  it('serves no metrics at all with ENABLE_METRICS=false', async () => {
    const t = await createTestApp({ env: { ENABLE_METRICS: 'false' } });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('METRICS_TOKEN', () => {
  let t: TestApp;
  const token = 'm'.repeat(40);
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: token } });
  });
  afterAll(() => t.close());
  const scrapeWith = (authorization?: string) =>
    t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  it('answers 401 problem+json without the bearer token or with a wrong one', async () => {
    for (const header of [undefined, 'Bearer wrong', `Basic ${token}`]) {
      const res = await scrapeWith(header);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).not.toContain('clockpilot_');
    }
  });

  it('serves the metrics to the bearer of the token', async () => {
    const res = await scrapeWith(`Bearer ${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^clockpilot_db_pool_connections /m);
  });
});
