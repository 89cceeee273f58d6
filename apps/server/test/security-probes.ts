import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll } from 'vitest';
import { z } from 'zod';
import { AppError } from '../src/platform/errors';
import { createTestApp, type TestApp } from './helpers';

/** Builds apps with the given environment for one test file and closes them after it. */
export function appsForFile() {
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((t) => t.close()));
  });
  return async (env: Record<string, string | undefined>, shareRedisPrefix?: string) => {
    const t = await createTestApp({ env, shareRedisPrefix });
    apps.push(t);
    return t;
  };
}

/** Routes that exist only in these tests: an auth endpoint whose outcome the test decides. */
export function addProbeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/test/ip', { config: { public: true } }, async (request) => ({ ip: request.ip }));
  r.post(
    '/api/test/login',
    {
      config: { public: true, authRateLimit: 'login' },
      schema: { body: z.object({ login: z.string(), password: z.string() }) },
    },
    async (request) => {
      if (request.body.password === 'right-needs-code') throw new AppError('totp_required', 'Enter the code');
      if (request.body.password !== 'right') throw new AppError('unauthenticated', 'Wrong password');
      return { ok: true };
    },
  );
  r.post('/api/test/register', { config: { public: true, authRateLimit: 'register' } }, async () => ({
    ok: true,
  }));
}

export const login = (app: FastifyInstance, ip: string, user: string, password: string, cookie?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/test/login',
    remoteAddress: ip,
    headers: cookie ? { cookie } : {},
    payload: { login: user, password },
  });
