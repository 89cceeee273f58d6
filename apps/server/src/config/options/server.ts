import { z } from 'zod';
import { bool, int, list, type Option, optionalBool, str } from './kit';

export const MODULE_NAMES = ['identity', 'directory', 'time', 'planning', 'fleet', 'autoscaler'] as const;

/** The app itself and its HTTP server. */
export const SERVER_OPTIONS = [
  // app
  {
    section: 'app',
    key: 'mode',
    env: 'APP_MODE',
    schema: z.enum(['development', 'test', 'production']).optional(),
    doc: 'development, test or production; defaults to NODE_ENV, then development. production turns on the safety checks.',
  },
  {
    section: 'app',
    key: 'modules',
    env: 'MODULES',
    schema: list(),
    doc: `Comma-separated modules to enable (${MODULE_NAMES.join(', ')}); empty means all.`,
  },
  {
    section: 'app',
    key: 'public_url',
    env: 'PUBLIC_URL',
    schema: z.url().optional(),
    doc: 'Public base URL of the app, used in links and as the default allowed origin. Required in production; elsewhere defaults to http://localhost:PORT.',
  },
  // server
  { section: 'server', key: 'port', env: 'PORT', schema: int(5000, 0, 65535), doc: 'HTTP port.' },
  {
    section: 'server',
    key: 'host',
    env: 'HOST',
    schema: str().default('0.0.0.0'),
    doc: 'Interface to listen on.',
  },
  {
    section: 'server',
    key: 'body_limit',
    env: 'BODY_LIMIT',
    schema: int(1_048_576, 1024, 1_073_741_824),
    doc: 'Largest accepted request body in bytes (larger answers 413).',
  },
  {
    section: 'server',
    key: 'request_timeout_ms',
    env: 'REQUEST_TIMEOUT_MS',
    schema: int(30_000, 1000, 600_000),
    doc: 'Time a client has to send a whole request.',
  },
  {
    section: 'server',
    key: 'trust_proxy',
    env: 'TRUST_PROXY',
    schema: list(),
    doc: 'Addresses or CIDRs of reverse proxies whose X-Forwarded-For is trusted (never a hop count).',
  },
  {
    section: 'server',
    key: 'force_https',
    env: 'FORCE_HTTPS',
    schema: bool(false),
    doc: 'Redirect plain-HTTP requests to HTTPS and send HSTS.',
  },
  {
    section: 'server',
    key: 'api_docs',
    env: 'API_DOCS',
    schema: optionalBool(),
    doc: 'Serve Swagger UI at /docs and the spec at /openapi.json. Default: on, except in production.',
  },
  {
    section: 'server',
    key: 'web_dir',
    env: 'WEB_DIR',
    schema: str().optional(),
    doc: 'Folder of the built web app to serve at /. Default: apps/web/dist.',
  },
] as const satisfies readonly Option[];
