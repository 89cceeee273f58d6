import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, problem } from './errors';

/** The dotted path of the first string under `value` that holds U+0000, if any. */
function nulPath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulPath(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Guards every route against input that would otherwise reach the database and fail there: a NUL
 * character (PostgreSQL's text cannot hold U+0000; it answered 500 even on the login form) and bodies
 * of a type no route reads (text/plain was parsed as a string and failed validation with 400; 415 says
 * what is wrong).
 */
export function installInputGuards(app: FastifyInstance) {
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', async (request) => {
    const path =
      nulPath(request.params, 'params') ??
      nulPath(request.query, 'querystring') ??
      nulPath(request.body, 'body');
    if (path) {
      throw new AppError('validation_failed', 'The request is not valid', {
        errors: [
          {
            path,
            code: 'invalid_character',
            message: 'Contains a NUL character (U+0000), which cannot be stored',
          },
        ],
      });
    }
  });
}

/**
 * Fastify's own refusals before routing (a URL it cannot decode): a problem like every other answer,
 * with the security headers the hooks would have set, and without repeating the URL back.
 */
export function frameworkError(_error: Error, request: FastifyRequest, reply: FastifyReply) {
  const body = problem('bad_request', 400, 'The URL is not valid');
  reply
    .status(400)
    .headers({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cache-control': 'no-store' })
    .type('application/problem+json')
    .send(JSON.stringify({ ...body, instance: undefined }));
  request.log.info({ code: (_error as { code?: string }).code }, 'refused a malformed URL');
}
