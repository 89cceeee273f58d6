import { z } from 'zod';
import { int, type Option, optionalBool, str } from './kit';

/** Logs and metrics. */
export const OBSERVABILITY_OPTIONS = [
  // logging
  {
    section: 'log',
    key: 'level',
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'Log level.',
  },
  {
    section: 'log',
    key: 'dir',
    env: 'LOG_DIR',
    schema: str().optional(),
    doc: 'Also write app.log, error.log, security.log and audit.log into this folder.',
  },
  {
    section: 'server',
    key: 'max_event_loop_delay_ms',
    env: 'MAX_EVENT_LOOP_DELAY_MS',
    schema: int(1000, 0, 60_000),
    doc: 'Answer 503 + Retry-After while the event loop lags more than this; 0 turns the check off.',
  },
  // metrics
  {
    section: 'metrics',
    key: 'enabled',
    env: 'ENABLE_METRICS',
    schema: optionalBool(),
    doc: 'Expose Prometheus metrics at /metrics. Default: on; in production only when METRICS_PORT or METRICS_TOKEN keeps it from the public.',
    example: 'true',
  },
  {
    section: 'metrics',
    key: 'port',
    env: 'METRICS_PORT',
    schema: z.coerce.number().int().min(1).max(65535).optional(),
    doc: 'Serve /metrics on this port only (not on the public port).',
  },
  {
    section: 'metrics',
    key: 'token',
    env: 'METRICS_TOKEN',
    schema: str().optional(),
    doc: 'Bearer token /metrics on the public port asks for (at least 32 characters in production).',
    secret: true,
    example: '',
  },
  // error reporting
  {
    section: 'observability',
    key: 'sentry_dsn',
    env: 'SENTRY_DSN',
    schema: z.string().url().optional(),
    doc: 'Report unhandled errors and 5xx answers to Sentry (or a compatible service) at this DSN.',
    secret: true,
    example: '',
  },
] as const satisfies readonly Option[];
