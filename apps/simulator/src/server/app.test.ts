import { ZProblem } from '@clockpilot/contracts';
import { compactMetrics, SIM_SERVER_COLUMNS, ZSimClusterMetrics } from '@clockpilot/contracts/simulator';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { loadConfig } from './config';
import { Simulation } from './simulation';

const TOKEN = 'a-simulator-token-of-32-characters!';
let app: FastifyInstance;

async function start(env: Record<string, string> = {}) {
  const config = loadConfig({ SIMULATOR_SPEED: '0', LOG_LEVEL: 'silent', ...env }, []);
  app = await buildApp(config, new Simulation(config));
  return app;
}
afterEach(() => app?.close());

const json = (method: 'PUT' | 'POST' | 'GET' | 'DELETE', url: string, payload?: unknown, token?: string) =>
  app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('simulator API', () => {
  it('creates, reads, updates, scales, advances and deletes a cluster', async () => {
    await start();
    const created = await json('PUT', '/clusters/web-1', { servers: 2, capacityRps: 10, bootSeconds: 20 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'web-1',
      time: 0,
      desiredReplicas: 2,
      spec: { capacityRps: 10 },
    });

    const updated = await json('PUT', '/clusters/web-1', { load: { type: 'constant', rps: 15 } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().spec).toMatchObject({ capacityRps: 10, bootSeconds: 20, load: { rps: 15 } });

    expect((await json('POST', '/clusters/web-1/scale', { replicas: 3 })).json().desiredReplicas).toBe(3);
    const advanced = await json('POST', '/clusters/web-1/advance', { seconds: 10 });
    expect(advanced.json().servers.map((s: { phase: string }) => s.phase)).toEqual([
      'Running',
      'Running',
      'Pending',
    ]);

    const metrics = await json('GET', '/clusters/web-1/metrics');
    expect(metrics.statusCode).toBe(200);
    const body = ZSimClusterMetrics.parse(metrics.json());
    expect(body.cluster.requestRate).toBe(15);
    expect(body.servers[0]).toMatchObject({
      name: 'server-1',
      ready: true,
      deleting: false,
      requestMillis: 1000,
    });

    expect((await json('GET', '/clusters')).json()).toEqual({ clusters: ['web-1'] });
    expect((await json('DELETE', '/clusters/web-1')).statusCode).toBe(204);
    expect((await json('GET', '/clusters/web-1')).statusCode).toBe(404);
  });

  it('answers every bad input with problem details naming the field, never a 500', async () => {
    await start();
    await json('PUT', '/clusters/c', {});
    const cases: [string, string, unknown, number, string | undefined][] = [
      ['PUT', '/clusters/c', { capacityRps: -1 }, 400, 'body.capacityRps'],
      ['PUT', '/clusters/c', { capacity: 5 }, 400, 'body'],
      ['PUT', '/clusters/c', { load: { type: 'spike', baseRps: 1 } }, 400, 'body.load.spikeRps'],
      ['PUT', '/clusters/c', { cpuIdleMillis: 2000 }, 422, 'body.cpuIdleMillis'],
      ['PUT', '/clusters/c', { load: { type: 'trace', csv: 'when,what\nnever,1' } }, 422, 'body.load.csv'],
      ['PUT', '/clusters/a%20b', {}, 400, 'params.id'],
      ['PUT', `/clusters/${'x'.repeat(65)}`, {}, 400, 'params.id'],
      ['POST', '/clusters/c/scale', { replicas: 1.5 }, 400, 'body.replicas'],
      ['POST', '/clusters/c/scale', {}, 400, 'body.replicas'],
      ['POST', '/clusters/c/scale', [], 400, 'body'],
      [
        'POST',
        '/clusters/c/load',
        { type: 'randomWalk', startRps: 5, maxRps: 1, volatilityRps: 1 },
        400,
        'body.startRps',
      ],
      ['POST', '/clusters/c/load', { type: 'wave' }, 400, 'body.type'],
      ['POST', '/clusters/c/faults', { errorRate: 2 }, 400, 'body.errorRate'],
      ['POST', '/clusters/c/advance', { seconds: 0 }, 400, 'body.seconds'],
      ['POST', '/clusters/missing/scale', { replicas: 1 }, 404, undefined],
      ['GET', '/clusters/missing/metrics', undefined, 404, undefined],
      ['DELETE', '/clusters/missing', undefined, 404, undefined],
      ['GET', '/nowhere', undefined, 404, undefined],
    ];
    for (const [method, url, payload, status, path] of cases) {
      const res = await json(method as 'PUT', url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = ZProblem.parse(res.json());
      if (path)
        expect(
          problem.errors?.map((e) => e.path),
          `${method} ${url}`,
        ).toContain(path);
    }
    const raw = await app.inject({
      method: 'PUT',
      url: '/clusters/c',
      payload: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect([raw.statusCode, raw.json().code]).toEqual([400, 'invalid_json']);
    const xml = await app.inject({
      method: 'PUT',
      url: '/clusters/c',
      payload: '<a/>',
      headers: { 'content-type': 'text/xml' },
    });
    expect(xml.statusCode).toBe(415);
    // A cluster id longer than the router takes is refused before routing, in the same form.
    const long = await json('PUT', `/clusters/${'x'.repeat(500)}`, { servers: 1 });
    expect([long.statusCode, long.headers['content-type']]).toEqual([
      414,
      expect.stringContaining('problem+json'),
    ]);
    expect(ZProblem.parse(long.json())).toMatchObject({ status: 414, code: 'bad_request' });
    // The cluster was left as it was by every refused change.
    expect((await json('GET', '/clusters/c')).json().spec).toMatchObject({
      capacityRps: 10,
      cpuIdleMillis: 50,
    });
  });

  it('answers 503 on the metrics of a cluster in an outage, until it ends', async () => {
    await start();
    await json('PUT', '/clusters/c', { servers: 1 });
    expect(
      (await json('POST', '/clusters/c/faults', { outageSeconds: 30 })).json().faults.outageSeconds,
    ).toBe(30);
    const down = await json('GET', '/clusters/c/metrics');
    expect([down.statusCode, down.json().code]).toEqual([503, 'unavailable']);
    await json('POST', '/clusters/c/advance', { seconds: 30 });
    expect((await json('GET', '/clusters/c/metrics')).statusCode).toBe(200);
    await json('POST', '/clusters/c/faults', { latencyMs: 100, apiDelayMs: 5 });
    expect((await json('GET', '/clusters/c/metrics')).statusCode).toBe(200);
    expect((await json('DELETE', '/clusters/c/faults')).json().faults).toEqual({
      latencyMs: 0,
      errorRate: 0,
      outageSeconds: 0,
      apiDelayMs: 0,
    });
  });

  it('reads and scales many clusters in one call, each with its own answer, a delayed one last', async () => {
    await start();
    for (const id of ['a', 'b', 'down', 'slow']) await json('PUT', `/clusters/${id}`, { servers: 2 });
    await json('POST', '/clusters/down/faults', { outageSeconds: 60 });
    await json('POST', '/clusters/slow/faults', { apiDelayMs: 150 });
    const started = Date.now();
    const res = await json('POST', '/metrics', { ids: ['slow', 'a', 'gone', 'down', 'b'] });
    expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'application/x-ndjson']);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.status])).toEqual([
      ['a', 200],
      ['gone', 404],
      ['down', 503],
      ['b', 200],
      ['slow', 200],
    ]);
    expect(ZSimClusterMetrics.parse(lines[0].metrics).servers).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    // The compact form: the same figures as lists of numbers, the errors as they were.
    const compact = (await json('POST', '/metrics', { ids: ['a', 'gone'], format: 'compact' })).body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const a = (await json('GET', '/clusters/a/metrics')).json();
    expect(compact).toEqual([{ id: 'a', status: 200, ...compactMetrics(a) }, lines[1]]);
    expect(compact[0].servers).toHaveLength(2 * SIM_SERVER_COLUMNS.length);

    const scaled = await json('POST', '/scale', {
      scales: [
        { id: 'a', replicas: 5 },
        { id: 'gone', replicas: 1 },
      ],
    });
    expect(scaled.json().results.map((r: { status: number }) => r.status)).toEqual([200, 404]);
    expect((await json('GET', '/clusters/a')).json().desiredReplicas).toBe(5);
    const tooMany = await json('POST', '/metrics', { ids: Array.from({ length: 1001 }, (_, i) => `c${i}`) });
    expect([tooMany.statusCode, tooMany.json().errors[0].path]).toEqual([400, 'body.ids']);
  });

  it('requires the bearer token on everything but /health when one is set', async () => {
    await start({ SIMULATOR_TOKEN: TOKEN });
    expect((await json('GET', '/health')).statusCode).toBe(200);
    for (const token of [undefined, 'wrong', `${TOKEN}x`]) {
      const res = await json('PUT', '/clusters/c', {}, token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await json('PUT', '/clusters/c', {}, TOKEN)).statusCode).toBe(201);
  });
});

describe('simulator configuration', () => {
  it('refuses production without a strong token, and a public address without any', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, [])).toThrow(
      'SIMULATOR_TOKEN is required in production',
    );
    expect(() => loadConfig({ APP_MODE: 'production', SIMULATOR_TOKEN: 'short' }, [])).toThrow('at least 32');
    expect(() => loadConfig({}, ['--host', '0.0.0.0'])).toThrow('not a loopback address');
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR_TOKEN: TOKEN }, []).production).toBe(true);
  });

  it('takes the port and speed from flags over the environment, and lists every bad value', () => {
    const config = loadConfig({ SIMULATOR_PORT: '9100', SIMULATOR_SPEED: '2' }, ['--port', '9200']);
    expect(config).toMatchObject({ port: 9200, speed: 2, host: '127.0.0.1', token: undefined });
    expect(loadConfig({}, []).port).toBe(9000);
    expect(() => loadConfig({ SIMULATOR_PORT: 'x', SIMULATOR_SPEED: '-1' }, [])).toThrow(
      /SIMULATOR_PORT[\s\S]*SIMULATOR_SPEED/,
    );
    expect(() => loadConfig({}, ['--bogus'])).toThrow('bogus');
  });
});
