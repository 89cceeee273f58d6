import type { TFieldError, TProblem } from '@clockpilot/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

/** Every error code the API answers with, and its HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  token_expired: 401,
  totp_required: 401,
  totp_invalid: 401,
  forbidden: 403,
  totp_enrollment_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  weak_password: 422,
  locked: 423,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The one error type of the server. `detail` is shown to the client; keep it free of internals. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      errors?: TFieldError[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError('forbidden', message);
export const unprocessable = (path: string, message: string) =>
  new AppError('unprocessable', message, { errors: [{ path, message }] });

export function problem(
  code: ErrorCode | string,
  status: number,
  detail: string,
  instance?: string,
): TProblem {
  return {
    type: `https://clockpilot.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
  };
}

/**
 * PostgreSQL's code and constraint of a failed statement. Drizzle wraps the driver's error
 * (DrizzleQueryError) and keeps PostgreSQL's in `cause`, so walk the chain.
 */
export function pgErrorOf(err: unknown): { code?: string; constraint?: string } {
  for (let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined; e; ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, constraint: typeof e.constraint === 'string' ? e.constraint : undefined };
    }
    e = e.cause as typeof e;
  }
  return {};
}

/**
 * How a module answers the violation of one of its constraints: 409 or 422, and the field the person
 * has to change. The field's own message defaults to `message`.
 */
export type ConstraintAnswer = {
  code: 'conflict' | 'unprocessable';
  message: string;
  path?: string;
  field?: { code?: string; message?: string };
};
/** A module's constraint names and their answers; one table per module. */
export type ConstraintTable = Readonly<Record<string, ConstraintAnswer>>;

/** The answer `table` gives for a failed statement, or the error itself when it names no listed constraint. */
export function fromConstraint(table: ConstraintTable, err: unknown): unknown {
  const answer = table[pgErrorOf(err).constraint ?? ''];
  if (!answer) return err;
  const { code, message, path, field } = answer;
  if (!path) return new AppError(code, message);
  const error = { path, message: field?.message ?? message, ...(field?.code ? { code: field.code } : {}) };
  return new AppError(code, message, { errors: [error] });
}

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
      return undefined;
  }
}

function send(reply: FastifyReply, body: TProblem, headers?: Record<string, string>) {
  if (headers) reply.headers(headers);
  // Pre-serialised: a route's response schema for the same status must not reject a problem body.
  return reply.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The one error handler: AppErrors as they are, validation as field lists, everything else as an opaque 500. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const instance = request.url.split('?')[0];

  if (hasZodFastifySchemaValidationErrors(error)) {
    const body = problem('validation_failed', 400, 'The request is not valid', instance);
    body.errors = error.validation.map((v) => ({
      path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: v.message ?? 'Invalid value',
      code: v.params?.issue
        ? String((v.params.issue as { code?: string }).code ?? '') || undefined
        : undefined,
    }));
    return send(reply, body);
  }

  const dbError = fromDatabase(pgErrorOf(error));
  const appError = error instanceof AppError ? error : dbError;
  if (appError) {
    if (appError.status >= 500) request.log.error({ err: error }, appError.message);
    const body = {
      ...problem(appError.code, appError.status, appError.message, instance),
      ...appError.details.extra,
    };
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
