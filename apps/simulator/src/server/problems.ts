import type { TFieldError, TProblem } from '@clockpilot/contracts';
import type { z } from 'zod';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The simulator's one error type; answered as RFC 9457 problem details, as the server's errors are. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: TFieldError[],
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export function problem(status: number, code: string, detail: string, errors?: TFieldError[]): TProblem {
  return {
    type: `https://clockpilot.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

/** `value` checked against `schema`; a failure names every offending field, e.g. `body.load.rps`. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'params'): z.output<S> {
  // No body at all is an empty object; an explicit `null` is not.
  const result = schema.safeParse(value === undefined && where === 'body' ? {} : value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where, ...issue.path].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  throw new SimError(400, 'validation_failed', 'The request is not valid', errors);
}

export const notFound = (id: string) => new SimError(404, 'not_found', `Cluster ${id} not found`);
