import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../test/helpers';
import { errorPaths } from '../../test/http';

let t: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT: '2048' } });
  app = t.app;
  // Routes that exist only in this test, to drive the error handler through real requests.
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/test/echo',
    {
      config: { public: true },
      schema: { body: z.object({ name: z.string().min(2), age: z.number().int().min(0) }) },
    },
    async (req) => req.body,
  );
  app.get('/api/test/boom', { config: { public: true } }, async () => {
    throw new Error('select * from secrets where password = 1');
  });
  // A unique violation raised through Drizzle, which wraps the driver's error.
  await t.ctx.db.execute(sql`create table http_test_unique (id int primary key)`);
  app.post('/api/test/dup', { config: { public: true } }, async () => {
    await t.ctx.db.execute(sql`insert into http_test_unique values (1)`);
    return { ok: true };
  });
  // A value that passed validation but PostgreSQL cannot store (SQLSTATE 22008).
  app.get('/api/test/year-zero', { config: { public: true } }, async () =>
    t.ctx.db.execute(sql`select ${'0000-01-01'}::date`),
  );
  await app.ready();
});
afterAll(() => t.close());

describe('errors as problem+json', () => {
  it('lists every invalid field with its path', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { name: 'x', age: -1 } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      title: 'Bad Request',
      instance: '/api/test/echo',
    });
    expect(errorPaths(body)).toEqual(['body.age', 'body.name']);
  });

  it.each([
    {
      what: 'malformed JSON',
      type: 'application/json',
      payload: '{"name": ',
      status: 400,
      code: 'invalid_json',
    },
    {
      what: 'an unsupported content type',
      type: 'application/x-something',
      payload: 'a=b',
      status: 415,
      code: 'unsupported_media_type',
    },
  ])('answers $what with $status', async ({ type, payload, status, code }) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': type },
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code, status });
  });

  it('answers a body over BODY_LIMIT with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: 'x'.repeat(5000), age: 1 },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('never leaks internals in a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/secrets|select|stack|at /i);
    expect(res.json()).toMatchObject({ code: 'internal', detail: 'An unexpected error occurred' });
  });

  it('maps a unique violation from the database to 409', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/test/dup' })).statusCode).toBe(200);
    const res = await app.inject({ method: 'POST', url: '/api/test/dup' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', status: 409 });
  });

  it('maps a data exception from the database to 422', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/year-zero' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unprocessable', status: 422 });
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/does-not-exist?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'not_found', instance: '/api/v1/does-not-exist' });
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const given = await app.inject({
      method: 'GET',
      url: '/api/health/live',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const unsafe = await app.inject({
      method: 'GET',
      url: '/api/health/live',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('unknown routes', () => {
  it('are rate-limited per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/nothing/${i}`, remoteAddress: '10.9.9.9' });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    const limited = await app.inject({
      method: 'GET',
      url: '/api/v1/nothing/again',
      remoteAddress: '10.9.9.9',
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.headers['retry-after']).toBeDefined();
    // Another client is not affected.
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/nothing', remoteAddress: '10.9.9.10' })).statusCode,
    ).toBe(404);
  });
});

describe('API docs', () => {
  it('serve an OpenAPI 3.1 document and Swagger UI outside production', async () => {
    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'ClockPilot API' } });
    expect(Object.keys(spec.json().paths)).toContain('/api/health/ready');
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('name, summarise and document the errors and permission of every operation', async () => {
    type Op = { operationId?: string; summary?: string; responses: Record<string, { content?: object }> };
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.servers).toHaveLength(1);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'refreshCookie']);
    const ops = Object.values(doc.paths as Record<string, Record<string, Op>>).flatMap((item) =>
      Object.values(item),
    );
    const ids = ops.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) {
      expect(op.summary).toBeTruthy();
      expect(op.responses['400']?.content).toHaveProperty(['application/problem+json']);
      expect(op.responses['429']).toBeDefined();
    }
    const lock = doc.paths['/api/v1/time/locks'].post;
    expect(lock['x-permission']).toBe('time:lock');
    expect(Object.keys(lock.responses)).toEqual(
      expect.arrayContaining(['401', '403', '409', '415', '422', '423']),
    );
    expect(Object.keys(doc.paths['/api/v1/time/entries/{id}'].delete.responses)).toContain('204');
  });

  it('are off in production unless API_DOCS=true', async () => {
    const production = {
      APP_MODE: 'production',
      ALLOW_EMBEDDED_DB: 'true',
      PUBLIC_URL: 'https://time.example.com',
      FLEET_ALLOW_LOCAL_PROVIDERS: 'true',
    };
    const off = await createTestApp({ env: production });
    const on = await createTestApp({ env: { ...production, API_DOCS: 'true' } });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(404);
      expect((await on.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    } finally {
      await off.close();
      await on.close();
    }
  });
});
