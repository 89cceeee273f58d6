import type { TProblem } from '@clockpilot/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, pgErrorOf, problem } from './errors';

/** PostgreSQL error codes that are a client's fault, mapped to clear answers. */
function fromDatabase(err: { code?: string; constraint?: string; detail?: string }): AppError | undefined {
  switch (err.code) {
    case '23505':
      return new AppError('conflict', 'A record with the same unique value already exists', {
        extra: { constraint: err.constraint },
      });
    case '23P01':
      return new AppError('conflict', 'The change overlaps an existing record', {
        extra: { constraint: err.constraint },
      });
    case '23503':
      return new AppError('unprocessable', 'A referenced record does not exist or is still in use', {
        extra: { constraint: err.constraint },
      });
    case '23514':
      return new AppError('unprocessable', 'A value breaks a data rule', {
        extra: { constraint: err.constraint },
      });
    // The database rolled this transaction back in favour of a concurrent one; the caller may retry.
    case '40P01':
    case '40001':
      return new AppError('conflict', 'The change collided with a concurrent change; retry it');
    default:
      // Class 22 (data exception): a value the contracts let through but PostgreSQL cannot store.
      return err.code?.startsWith('22')
        ? new AppError('unprocessable', 'A value is outside what can be stored')
        : undefined;
  }
}

/** Class 08 (connection), 57P01–03 (server shutting down or starting) and the driver's own. */
const UNREACHABLE = /^(08...|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH)$/;
const UNREACHABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect/;

/** The database is away (restarting, cut off): a retryable 503, not a 500 the caller cannot act on. */
function databaseUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined; e; ) {
    if (typeof e.code === 'string' && UNREACHABLE.test(e.code)) return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}
/** Fastify's errors before routing whose own message repeats the URL; they get a fixed sentence instead. */
const URL_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The request URL is not valid',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
  FST_ERR_ASYNC_CONSTRAINT: 'The request could not be routed',
};

function send(reply: FastifyReply, body: TProblem, headers?: Record<string, string>) {
  if (headers) reply.headers(headers);
  // Pre-serialised: a route's response schema for the same status must not reject a problem body.
  return reply.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The one error handler: AppErrors as they are, validation as field lists, everything else as an opaque 500. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const urlError = URL_ERRORS[error.code];
  if (urlError) return send(reply, problem('bad_request', 400, urlError));
  const instance = request.url.split('?')[0];

  if (hasZodFastifySchemaValidationErrors(error)) {
    const body = problem('validation_failed', 400, 'The request is not valid', instance);
    // Fastify calls the query "querystring"; the paths services give say "query", as clients read them.
    const where = error.validationContext === 'querystring' ? 'query' : error.validationContext;
    body.errors = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: v.message ?? 'Invalid value',
      code: v.params?.issue
        ? String((v.params.issue as { code?: string }).code ?? '') || undefined
        : undefined,
    }));
    return send(reply, body);
  }

  const appError =
    error instanceof AppError
      ? error
      : databaseUnreachable(error)
        ? new AppError('unavailable', 'The database is unavailable; retry shortly', {
            headers: { 'retry-after': '5' },
          })
        : fromDatabase(pgErrorOf(error));
  if (appError) {
    if (appError.status >= 500) request.log.error({ err: error }, appError.message);
    const body: TProblem & Record<string, unknown> = problem(
      appError.code,
      appError.status,
      appError.message,
      instance,
    );
    if (appError.details.reason) body.reason = appError.details.reason;
    if (appError.details.extra) Object.assign(body, appError.details.extra);
    if (appError.details.errors) body.errors = appError.details.errors;
    return send(reply, body, appError.details.headers);
  }

  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its contract');
    return send(reply, problem('internal', 500, 'An unexpected error occurred', instance));
  }

  // Fastify's own client errors (bad JSON, wrong content type, body too large, rate limit …).
  const status = error.statusCode ?? 500;
  if (status < 500) {
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 429
            ? 'rate_limited'
            : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
              ? 'invalid_json'
              : status === 404
                ? 'not_found'
                : 'bad_request';
    return send(reply, problem(code, status, error.message, instance));
  }
  // The headers help reproduce the failure; credentials in them are redacted by the logger.
  request.log.error({ err: error, headers: request.headers }, 'unhandled error');
  return send(
    reply,
    problem(status === 503 ? 'unavailable' : 'internal', status, 'An unexpected error occurred', instance),
  );
}
