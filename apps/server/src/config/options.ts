import { z } from 'zod';

/**
 * Every configuration option, documented once. `.env.example` and the README table are generated
 * from this list (`npm run docs:config`), and a test keeps them in sync.
 *
 * Each option is read from, in rising priority: its default, the YAML file (`section.key`), the
 * plain environment variable (`env`), and `CLOCKPILOT_<SECTION>_<KEY>`.
 */
export type Option = {
  section: string;
  key: string;
  env: string;
  schema: z.ZodType;
  doc: string;
  /** Value shown in `.env.example`; defaults to the schema's default. */
  example?: string;
  secret?: boolean;
};

const str = () => z.string().trim().min(1);
const flag = () =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
    .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const bool = (def: boolean) => flag().default(def);
/** A switch whose default depends on other options; unset stays undefined. */
const optionalBool = () => flag().optional();
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const list = () =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
    .default([]);

export const MODULE_NAMES = ['identity', 'directory', 'time', 'planning', 'fleet', 'autoscaler'] as const;

export const OPTIONS = [
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
  // database
  {
    section: 'database',
    key: 'url',
    env: 'DATABASE_URL',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    doc: 'PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR.',
    secret: true,
    example: '',
  },
  {
    section: 'database',
    key: 'pool_size',
    env: 'DATABASE_POOL_SIZE',
    schema: int(10, 1, 500),
    doc: 'Connections in the PostgreSQL pool.',
  },
  {
    section: 'database',
    key: 'sslmode',
    env: 'DB_SSLMODE',
    schema: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('disable'),
    doc: 'TLS to PostgreSQL: disable, require (encrypt, no verification), verify-ca or verify-full.',
  },
  {
    section: 'database',
    key: 'sslrootcert',
    env: 'DB_SSLROOTCERT',
    schema: str().optional(),
    doc: 'CA certificate file for verify-ca / verify-full.',
  },
  {
    section: 'database',
    key: 'data_dir',
    env: 'DATA_DIR',
    schema: str().default('./data'),
    doc: 'Where embedded PGlite keeps its files.',
  },
  {
    section: 'database',
    key: 'allow_embedded',
    env: 'ALLOW_EMBEDDED_DB',
    schema: bool(false),
    doc: 'Allow embedded PGlite in production (single node only).',
  },
  {
    section: 'database',
    key: 'migrate_on_boot',
    env: 'MIGRATE_ON_BOOT',
    schema: bool(true),
    doc: 'Apply pending migrations at start.',
  },
  // redis
  {
    section: 'redis',
    key: 'url',
    env: 'REDIS_URL',
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    doc: 'Redis for cache, pub/sub and rate limits. Unset: in-process.',
    secret: true,
    example: '',
  },
  {
    section: 'redis',
    key: 'key_prefix',
    env: 'REDIS_KEY_PREFIX',
    schema: str().default('clockpilot:'),
    doc: 'Prefix of every Redis key, so instances can share a Redis.',
  },
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
    schema: bool(true),
    doc: 'Expose Prometheus metrics at /metrics.',
  },
  {
    section: 'metrics',
    key: 'port',
    env: 'METRICS_PORT',
    schema: z.coerce.number().int().min(1).max(65535).optional(),
    doc: 'Serve /metrics on this port only (not on the public port).',
  },
  // auth
  {
    section: 'auth',
    key: 'jwt_secret',
    env: 'JWT_SECRET',
    schema: z.string().optional(),
    doc: 'HS256 signing secret for access tokens, at least 32 characters (required in production; generate with scripts/generate-secrets.sh). Unset on embedded PGlite: generated once into DATA_DIR/jwt-secret.',
    secret: true,
    example: '',
  },
  {
    section: 'auth',
    key: 'jwt_access_minutes',
    env: 'JWT_ACCESS_MINUTES',
    schema: int(15, 1, 1440),
    doc: 'Lifetime of an access token.',
  },
  {
    section: 'auth',
    key: 'refresh_days',
    env: 'REFRESH_DAYS',
    schema: int(14, 1, 365),
    doc: 'Absolute lifetime of a login session (refresh-token family).',
  },
  {
    section: 'auth',
    key: 'refresh_idle_hours',
    env: 'REFRESH_IDLE_HOURS',
    schema: int(72, 1, 8760),
    doc: 'A session unused this long expires.',
  },
  {
    section: 'auth',
    key: 'refresh_grace_seconds',
    env: 'REFRESH_GRACE_SECONDS',
    schema: int(10, 0, 300),
    doc: 'How long the previous refresh token still works after rotation (two tabs refreshing at once).',
  },
  {
    section: 'auth',
    key: 'enforced',
    env: 'AUTH_ENFORCED',
    schema: bool(true),
    doc: 'Require authentication on protected routes (refused off in production).',
  },
  {
    section: 'auth',
    key: 'allow_registration',
    env: 'ALLOW_REGISTRATION',
    schema: bool(false),
    doc: 'Allow self-registration at POST /api/v1/auth/register.',
  },
  {
    section: 'auth',
    key: 'cookie_secure',
    env: 'COOKIE_SECURE',
    schema: optionalBool(),
    doc: 'Secure, __Host- prefixed refresh cookie. Default: on in production and when PUBLIC_URL is https.',
  },
  {
    section: 'auth',
    key: 'admin_username',
    env: 'ADMIN_USERNAME',
    schema: str().optional(),
    doc: 'Username of the first admin created on an empty database.',
  },
  {
    section: 'auth',
    key: 'admin_password',
    env: 'ADMIN_PASSWORD',
    schema: str().optional(),
    doc: 'Password of the first admin; unset: a strong one is generated and printed once.',
    secret: true,
    example: '',
  },
  {
    section: 'auth',
    key: 'admin_email',
    env: 'ADMIN_EMAIL',
    schema: z.email().optional(),
    doc: 'Email of the first admin.',
  },
  {
    section: 'auth',
    key: 'password_min_length',
    env: 'PASSWORD_MIN_LENGTH',
    schema: int(8, 8, 128),
    doc: 'Shortest accepted password.',
  },
  {
    section: 'auth',
    key: 'require_totp_roles',
    env: 'REQUIRE_TOTP_ROLES',
    schema: list(),
    doc: 'Roles that must enrol a TOTP second factor (e.g. admin).',
  },
  {
    section: 'auth',
    key: 'oidc_issuer',
    env: 'OIDC_ISSUER',
    schema: z.url().optional(),
    doc: 'OpenID Connect issuer URL for single sign-on.',
  },
  {
    section: 'auth',
    key: 'oidc_client_id',
    env: 'OIDC_CLIENT_ID',
    schema: str().optional(),
    doc: 'OIDC client id.',
  },
  {
    section: 'auth',
    key: 'oidc_client_secret',
    env: 'OIDC_CLIENT_SECRET',
    schema: str().optional(),
    doc: 'OIDC client secret.',
    secret: true,
    example: '',
  },
  {
    section: 'auth',
    key: 'oidc_redirect_uri',
    env: 'OIDC_REDIRECT_URI',
    schema: z.url().optional(),
    doc: 'OIDC redirect URI, e.g. https://host/api/v1/auth/oidc/callback.',
  },
  {
    section: 'auth',
    key: 'oidc_auto_provision',
    env: 'OIDC_AUTO_PROVISION',
    schema: bool(false),
    doc: 'Create an account on first SSO login when no account has the verified email.',
  },
  {
    section: 'auth',
    key: 'oidc_default_role',
    env: 'OIDC_DEFAULT_ROLE',
    schema: z.enum(['admin', 'manager', 'employee']).default('employee'),
    doc: 'Role of accounts created by SSO.',
  },
  // security
  {
    section: 'security',
    key: 'cors_allowed_origins',
    env: 'CORS_ALLOWED_ORIGINS',
    schema: list(),
    doc: 'Origins allowed to call the API with credentials. Default: PUBLIC_URL.',
  },
  {
    section: 'security',
    key: 'csp_enabled',
    env: 'CSP_ENABLED',
    schema: bool(true),
    doc: 'Send a Content-Security-Policy with a per-response nonce.',
  },
  {
    section: 'security',
    key: 'csp_report_only',
    env: 'CSP_REPORT_ONLY',
    schema: bool(false),
    doc: 'Send the policy as report-only.',
  },
  {
    section: 'security',
    key: 'csp_report_uri',
    env: 'CSP_REPORT_URI',
    schema: str().default('/csp-report'),
    doc: 'Where browsers send CSP violation reports.',
  },
  {
    section: 'security',
    key: 'rate_limit_window_ms',
    env: 'RATE_LIMIT_WINDOW_MS',
    schema: int(60_000, 1000, 86_400_000),
    doc: 'Window of the global per-IP rate limit.',
  },
  {
    section: 'security',
    key: 'rate_limit_max_requests',
    env: 'RATE_LIMIT_MAX_REQUESTS',
    schema: int(1000, 1, 10_000_000),
    doc: 'Requests per IP per window.',
  },
  {
    section: 'security',
    key: 'auth_rate_limit_max',
    env: 'AUTH_RATE_LIMIT_MAX',
    schema: int(5, 1, 10_000),
    doc: 'Login, register and refresh attempts per IP and per account per auth window.',
  },
  {
    section: 'security',
    key: 'auth_rate_limit_window_ms',
    env: 'AUTH_RATE_LIMIT_WINDOW_MS',
    schema: int(900_000, 1000, 86_400_000),
    doc: 'Window of the auth rate limit.',
  },
  {
    section: 'security',
    key: 'api_rate_limit_per_minute',
    env: 'API_RATE_LIMIT_PER_MINUTE',
    schema: int(600, 1, 1_000_000),
    doc: 'Requests per user per route per minute.',
  },
  // time
  {
    section: 'time',
    key: 'max_entry_hours',
    env: 'TIME_MAX_ENTRY_HOURS',
    schema: int(24, 1, 72),
    doc: 'Longest allowed time entry; an open entry older than this is flagged as forgotten.',
  },
] as const satisfies readonly Option[];
