import type { TFieldError, TProblem } from '@clockpilot/contracts';

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
      /** The problem's `reason`: finer than `code`, stable, for clients that word it themselves. */
      reason?: string;
      errors?: TFieldError[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    const status = ERROR_STATUS[code];
    // A client's error is answered, never logged with its trace (http-errors.ts logs 5xx only):
    // capturing a stack for each was a visible share of a refused request's CPU.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'AppError';
    this.status = status;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError('forbidden', message);
export const unprocessable = (path: string, message: string, code?: string) =>
  new AppError('unprocessable', message, { errors: [{ path, message, ...(code ? { code } : {}) }] });

const problemType = (code: string) => `https://clockpilot.dev/problems/${code.replace(/_/g, '-')}`;
// A Map: a code such as `constructor` must not find an Object.prototype member.
const PROBLEM_TYPES = new Map(Object.keys(ERROR_STATUS).map((c) => [c, problemType(c)]));

export function problem(
  code: ErrorCode | string,
  status: number,
  detail: string,
  instance?: string,
): TProblem {
  return {
    type: PROBLEM_TYPES.get(code) ?? problemType(code),
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
  /** The problem's `reason`, for clients that word it themselves. */
  reason?: string;
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
  const { code, reason, message, path, field } = answer;
  if (!path) return new AppError(code, message, { reason });
  const error = { path, message: field?.message ?? message, ...(field?.code ? { code: field.code } : {}) };
  return new AppError(code, message, { reason, errors: [error] });
}
