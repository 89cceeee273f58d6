import { resolve } from 'node:path';
import {
  ZIdParams,
  ZImportAccepted,
  ZImportDetail,
  ZImportQuery,
  ZImportRunBody,
} from '@clockpilot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../../platform/audit';
import { principalOf } from '../../../platform/auth';
import type { AppContext } from '../../../platform/context';
import type { ImportBy } from './import.kinds';
import type { ImportService } from './import.service';
import { receiveUpload } from './import.upload';

const tags = ['planning'];
const manage = { permission: 'planning:manage' } as const;

/** `…/planning/imports`: upload a spreadsheet, follow its run, apply or remap a dry run. */
export async function importRoutes(app: FastifyInstance, opts: { imports: ImportService; ctx: AppContext }) {
  const { imports, ctx } = opts;
  const { imports: cfg } = ctx.config;
  // Loaded here, not at the top: the CLI builds this module without routes and never loads the HTTP stack.
  const { default: multipart } = await import('@fastify/multipart');
  await app.register(multipart);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const by = (req: Parameters<typeof principalOf>[0]): ImportBy => ({
    role: principalOf(req).role,
    actor: actorOf(req),
  });

  r.post(
    '/imports',
    {
      config: manage,
      schema: { tags, consumes: ['multipart/form-data'], response: { 202: ZImportAccepted } },
    },
    async (req, reply) => {
      const upload = await receiveUpload(req, resolve(ctx.config.backup.dir, 'incoming'), {
        people: cfg.peopleUploadMaxBytes,
        projects: cfg.projectsUploadMaxBytes,
        assignments: cfg.projectsUploadMaxBytes,
      });
      const run = await imports.fromUpload(by(req), upload);
      return reply.status(202).send({ id: run.id, status: run.status });
    },
  );

  r.post(
    '/imports/:id/runs',
    {
      config: manage,
      schema: { tags, params: ZIdParams, body: ZImportRunBody, response: { 202: ZImportAccepted } },
    },
    async (req, reply) => {
      const run = await imports.rerun(by(req), req.params.id, req.body);
      return reply.status(202).send({ id: run.id, status: run.status });
    },
  );

  r.get(
    '/imports/:id',
    {
      config: manage,
      schema: { tags, params: ZIdParams, querystring: ZImportQuery, response: { 200: ZImportDetail } },
    },
    async (req) => imports.get(req.params.id, req.query),
  );
}
