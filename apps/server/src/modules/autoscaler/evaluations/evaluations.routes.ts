import { EVALUATION_LIMITS, ZEvaluation, ZEvaluationParams } from '@clockpilot/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../../platform/auth';
import { AppError } from '../../../platform/errors';
import type { EvaluationsService, EvaluationUpload } from './evaluations.service';

const tags = ['autoscaler'];
const config = { authenticated: true } as const;
const { maxBytes } = EVALUATION_LIMITS;
/** Form fields besides the file: the options, with room to spare. */
const FIELDS = 10;

const tooLarge = () =>
  new AppError(
    'payload_too_large',
    `The trace is larger than ${maxBytes} bytes, the most an evaluation takes`,
    {
      errors: [{ path: 'body.file', message: `At most ${maxBytes} bytes` }],
    },
  );

const oneFile = (field: string) =>
  new AppError('bad_request', 'Send one file, as the field "file"', {
    errors: [{ path: `body.${field}`, message: 'The only file field is "file"' }],
  });

/** The file's name as shown back: no control characters (U+0000 cannot even be stored), 200 at most. */
const nameOf = (fileName: string) =>
  fileName
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200) || 'trace.csv';

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
        throw oneFile(part.fieldname);
      } else file = { fileName: nameOf(part.filename), csv: (await part.toBuffer()).toString('utf8') };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_FILES_LIMIT') throw oneFile('file');
    if (code === 'FST_FIELDS_LIMIT')
      throw new AppError('bad_request', `The form has more than ${FIELDS} fields`);
    // Everything else here is the body's own fault: no boundary, cut short, a broken part header.
    throw new AppError('bad_request', `The multipart body cannot be read: ${(err as Error).message}`);
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
  await root.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: FIELDS, fieldSize: 1000 },
  });
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
