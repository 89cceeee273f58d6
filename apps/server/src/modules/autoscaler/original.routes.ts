import { ZOriginalCredentials, ZOriginalRegistered, ZOriginalTokenResponse } from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import { setLiveCookie } from './live/cookie';
import { createOriginalAuthService } from './original.service';

/** The original Autoscaler system's paths, at the root as its guide has them. */
export async function originalRoutes(root: FastifyInstance, ctx: AppContext) {
  const service = createOriginalAuthService(ctx);
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  app.post(
    '/auth/register',
    {
      config: { public: true, authRateLimit: 'register', authAttempts: 'original' },
      schema: { tags, body: ZOriginalCredentials, response: { 201: ZOriginalRegistered } },
    },
    async (request, reply) => reply.status(201).send(await service.register(request.body, actorOf(request))),
  );
  app.post(
    '/auth/login',
    {
      config: { public: true, authRateLimit: 'login', authAttempts: 'original' },
      schema: { tags, body: ZOriginalCredentials, response: { 200: ZOriginalTokenResponse } },
    },
    async (request, reply) => {
      const signedIn = await service.login(request.body, actorOf(request));
      setLiveCookie(reply, ctx.config, signedIn.accessToken, signedIn.expiresIn);
      return reply.header('cache-control', 'no-store').send(signedIn);
    },
  );
}
