import { ZApiTokenCreated, ZApiTokenList, ZCreateApiTokenBody, ZIdParams } from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/audit';
import { principalOf } from '../../platform/auth';
import type { ApiTokenService } from './api-tokens.service';

/** The caller's own personal API tokens, under /api/v1/tokens. */
export async function apiTokenRoutes(root: FastifyInstance, opts: { service: ApiTokenService }) {
  const { service } = opts;
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];
  const config = { permission: 'tokens:manage' } as const;

  app.get('/', { config, schema: { tags, response: { 200: ZApiTokenList } } }, async (request) => ({
    items: await service.list(principalOf(request)),
  }));

  app.post(
    '/',
    { config, schema: { tags, body: ZCreateApiTokenBody, response: { 201: ZApiTokenCreated } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return reply
        .status(201)
        .send(await service.create(principalOf(request), request.body, actorOf(request)));
    },
  );

  app.delete('/:id', { config, schema: { tags, params: ZIdParams } }, async (request, reply) => {
    await service.revoke(principalOf(request), request.params.id, actorOf(request));
    return reply.status(204).send();
  });
}
