import { ZAppInfo } from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config, ModuleName } from '../config/load';

/** Public: the sign-in page already needs to know which modules to offer. */
export async function appInfoRoutes(
  app: FastifyInstance,
  { config, modules }: { config: Config; modules: readonly ModuleName[] },
) {
  const info = { version: config.app.version, modules: [...modules] };
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/app',
      { config: { public: true }, schema: { tags: ['platform'], response: { 200: ZAppInfo } } },
      async () => info,
    );
}
