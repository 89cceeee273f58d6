import { EVALUATION_LIMITS, ZEvaluation, ZEvaluationParams } from '@clockpilot/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../../platform/auth';
import { AppError } from '../../../platform/errors';
import type { EvaluationsService, EvaluationUpload } from './evaluations.service';

const tags = ['autoscaler'];
const config = { authenticated: true } as const;
const { maxBytes } = EVALUATION_LIMITS;

const tooLarge = () =>
  new AppError(
    'payload_too_large',
    `The trace is larger than ${maxBytes} bytes, the most an evaluation takes`,
    {
      errors: [{ path: 'body.file', message: `At most ${maxBytes} bytes` }],
    },
  );

/** The multipart form: the CSV as `file`, the options as plain fields, in any order. */
async function receive(req: FastifyRequest): Promise<EvaluationUpload> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes + 64 * 1024) throw tooLarge();
  if (!req.isMultipart())
    throw new AppError('unsupported_media_type', 'Send the trace as multipart/form-data');
  const fields: Record<string, string> = {};
  let file: { fileName: string; csv: string } | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') fields[part.fieldname] = String(part.value);
      else if (part.fieldname !== 'file' || file) {
        part.file.resume();
        throw new AppError('bad_request', 'Send one file, as the field "file"', {
          errors: [{ path: `body.${part.fieldname}`, message: 'The only file field is "file"' }],
        });
      } else file = { fileName: part.filename || 'trace.csv', csv: (await part.toBuffer()).toString('utf8') };
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw err;
  }
  if (!file)
    throw new AppError('validation_failed', 'Attach the trace as the field "file"', {
      errors: [{ path: 'body.file', message: 'Required' }],
    });
  return { ...file, fields };
}

/** `…/autoscaler/evaluations`: replay an uploaded trace through the policies, then read the figures. */
export async function evaluationRoutes(root: FastifyInstance, evaluations: EvaluationsService) {
  // Loaded here, not at the top: the CLI builds this module without routes and never loads the HTTP stack.
  const { default: multipart } = await import('@fastify/multipart');
  await root.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1000 } });
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/evaluations',
    { config, schema: { tags, consumes: ['multipart/form-data'], response: { 202: ZEvaluation } } },
    async (request, reply) =>
      reply.status(202).send(await evaluations.start(principalOf(request), await receive(request))),
  );
  app.get(
    '/evaluations/:id',
    { config, schema: { tags, params: ZEvaluationParams, response: { 200: ZEvaluation } } },
    async (request) => evaluations.get(principalOf(request), request.params.id),
  );
}
