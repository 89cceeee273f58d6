/**
 * The Autoscaler system's original configuration layout (`api.jwt_secret`, `database.ssl_mode`,
 * `websocket.max_connections`, …) mapped onto our options: one config system, two spellings. A YAML
 * file may use either layout (or both); `AUTOSCALER_<SECTION>_<KEY>` variables override the original
 * keys as `CLOCKPILOT_<SECTION>_<KEY>` override ours. Production refusals name the original key when
 * the value came from it, in the original's words.
 */

/** Original path → our option's variable; `duration` values accept `30s`, `1m`, `500ms` or seconds. */
export const ORIGINAL_KEYS: Record<string, { env: string; duration?: Unit }> = {
  'app.mode': { env: 'APP_MODE' },
  'app.port': { env: 'PORT' },
  'app.host': { env: 'HOST' },
  'app.public_url': { env: 'PUBLIC_URL' },
  'app.log_level': { env: 'LOG_LEVEL' },
  'database.url': { env: 'DATABASE_URL' },
  'database.ssl_mode': { env: 'DB_SSLMODE' },
  'database.max_connections': { env: 'DATABASE_POOL_SIZE' },
  'redis.url': { env: 'REDIS_URL' },
  'api.jwt_secret': { env: 'JWT_SECRET' },
  'api.cookie_secure': { env: 'COOKIE_SECURE' },
  'api.rate_limit': { env: 'API_RATE_LIMIT_PER_MINUTE' },
  'api.cors.allowed_origins': { env: 'CORS_ALLOWED_ORIGINS' },
  'api.request_timeout': { env: 'REQUEST_TIMEOUT_MS', duration: 'ms' },
  'api.read_timeout': { env: 'REQUEST_TIMEOUT_MS', duration: 'ms' },
  'simulator.url': { env: 'SIMULATOR_URL' },
  'simulator.timeout': { env: 'SIMULATOR_TIMEOUT_MS', duration: 'ms' },
  'websocket.max_connections': { env: 'AUTOSCALER_WS_MAX_CONNECTIONS' },
  'websocket.ping_interval': { env: 'AUTOSCALER_WS_PING_SECONDS', duration: 's' },
  'websocket.max_message_size': { env: 'AUTOSCALER_WS_MAX_MESSAGE_BYTES' },
  'api.port': { env: 'PORT' },
  'api.jwt_duration': { env: 'JWT_ACCESS_MINUTES', duration: 'min' },
  'collector.interval': { env: 'AUTOSCALER_SYNC_SECONDS', duration: 's' },
  'collector.timeout': { env: 'SIMULATOR_TIMEOUT_MS', duration: 'ms' },
  'collector.circuit_breaker.timeout': { env: 'AUTOSCALER_BREAKER_RESET_SECONDS', duration: 's' },
  'decision.max_servers': { env: 'AUTOSCALER_MAX_SERVERS' },
  'prometheus.enabled': { env: 'ENABLE_METRICS' },
  'prometheus.port': { env: 'METRICS_PORT' },
};

/**
 * Keys of the original layout that mean nothing here (its own engine's thresholds, buffer sizes, the
 * cookie's fixed name, …): a file written for the original loads, and they are kept only for checks
 * (`api.cookie_http_only` in production). `database.host` … `password` make `database.url`.
 */
const ACCEPTED = new Set(
  [
    'app.name app.shutdown_timeout',
    'database.host database.port database.name database.user database.password database.conn_max_lifetime',
    'database.conn_max_idle_time database.ping_timeout database.migration_timeout',
    'collector.type collector.endpoint collector.retry_attempts collector.circuit_breaker.max_failures',
    'api.write_timeout api.idle_timeout api.jwt_issuer api.cookie_name api.cookie_max_age api.cookie_path',
    'api.cookie_http_only api.default_limit api.max_limit api.cors.allowed_methods api.cors.allowed_headers',
    'api.cors.exposed_headers api.cors.allow_credentials websocket.write_timeout websocket.pong_timeout',
    'websocket.read_buffer_size websocket.write_buffer_size websocket.broadcast_buffer websocket.client_buffer',
    'events.buffer_size',
  ].flatMap((line) => line.split(' ')),
);
/** Whole sections of the original's own engine, accepted as they are. */
const ACCEPTED_SECTIONS = new Set(['analyzer', 'decision', 'predictor', 'scaler']);
const accepted = (path: string) => ACCEPTED.has(path) || ACCEPTED_SECTIONS.has(path.split('.')[0]!);

/** The original path of one of our options, if the original layout has one. */
export const originalPath = (env: string) =>
  Object.entries(ORIGINAL_KEYS).find(([, k]) => k.env === env)?.[0];

/** Every path of the original layout read here, mapped or accepted. */
const PATHS = [...Object.keys(ORIGINAL_KEYS), ...ACCEPTED];
const SECTIONS = new Set([...PATHS.map((k) => k.split('.')[0]!), ...ACCEPTED_SECTIONS]);
/** Paths that have keys below them (`api.cors` of `api.cors.allowed_origins`). */
const PARENTS = new Set(
  PATHS.flatMap((path) => {
    const parts = path.split('.');
    return parts.slice(2).map((_, i) => parts.slice(0, i + 2).join('.'));
  }),
);
/** `AUTOSCALER_API_CORS_ALLOWED_ORIGINS` → `api.cors.allowed_origins`. */
const BY_VARIABLE = new Map(
  PATHS.map((path) => [`AUTOSCALER_${path.replace(/\./g, '_').toUpperCase()}`, path]),
);

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;
type Unit = 'ms' | 's' | 'min';
const IN_SECONDS: Record<Unit, number> = { ms: 0.001, s: 1, min: 60 };

/** A Go-style duration or a number of seconds, in `unit`; anything else is passed on for the option to refuse. */
function toUnit(value: unknown, unit: Unit): unknown {
  const match = DURATION.exec(String(value).trim());
  if (!match) return value;
  const seconds = Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS];
  return Math.round(seconds / IN_SECONDS[unit]);
}

export type OriginalValues = {
  /** Values by our option's variable. */
  values: Map<string, unknown>;
  /** The original path each value came from, by our option's variable (for messages). */
  origin: Map<string, string>;
  /** The accepted keys without a counterpart, by original path. */
  accepted: Map<string, unknown>;
};

export const noOriginalValues = (): OriginalValues => ({
  values: new Map(),
  origin: new Map(),
  accepted: new Map(),
});

function put(out: OriginalValues, path: string, value: unknown) {
  if (!(path in ORIGINAL_KEYS)) {
    out.accepted.set(path, value);
    return;
  }
  const key = ORIGINAL_KEYS[path]!;
  out.values.set(key.env, key.duration ? toUnit(value, key.duration) : value);
  out.origin.set(key.env, path);
}

/**
 * Takes the original-layout keys out of a parsed YAML document (they are removed, so what is left
 * is read as our layout). A section of the original layout that is not ours (`api`, `websocket`)
 * is taken whole, its unknown keys reported.
 */
export function takeOriginalKeys(
  doc: Record<string, unknown>,
  ourSections: ReadonlySet<string>,
  problems: string[],
  source: string,
): OriginalValues {
  const out = noOriginalValues();
  const walk = (node: unknown, path: string, depth: number) => {
    if (path in ORIGINAL_KEYS || accepted(path)) return put(out, path, node);
    if (depth < 3 && node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`, depth + 1);
      return;
    }
    problems.push(`CONFIG_FILE: unknown key "${path}" in ${source}`);
  };
  for (const [section, values] of Object.entries(doc)) {
    if (!SECTIONS.has(section) || values === null || typeof values !== 'object' || Array.isArray(values))
      continue;
    const own = values as Record<string, unknown>;
    for (const key of Object.keys(own)) {
      const path = `${section}.${key}`;
      if (path in ORIGINAL_KEYS || accepted(path) || PARENTS.has(path) || !ourSections.has(section)) {
        walk(own[key], path, 2);
        delete own[key];
      }
    }
    if (!ourSections.has(section)) delete doc[section];
  }
  return out;
}

/** `AUTOSCALER_<SECTION>_<KEY>` variables of the original layout; unknown ones of its sections are reported. */
export function originalEnv(
  env: NodeJS.ProcessEnv,
  problems: string[],
  ours: ReadonlySet<string>,
): OriginalValues {
  const out = noOriginalValues();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith('AUTOSCALER_')) continue;
    const path = BY_VARIABLE.get(name);
    if (path) put(out, path, value);
    else if (SECTIONS.has(name.split('_')[1]!.toLowerCase()) && !ours.has(name))
      // Only the original's sections: the autoscaler's own options (AUTOSCALER_SYNC_SECONDS, …) share the prefix.
      problems.push(`${name}: unknown option`);
  }
  return out;
}

/**
 * `database.url` from the original's `database.host`, `port`, `name`, `user` and `password` (the
 * environment's `AUTOSCALER_DATABASE_*` over the file's), when a host is given and no URL is: the
 * database a file written for the original points at. Goes where its parts came from.
 */
export function composeDatabaseUrl(file: OriginalValues, env: OriginalValues): void {
  const part = (key: string) => {
    const value = env.accepted.get(`database.${key}`) ?? file.accepted.get(`database.${key}`);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const host = part('host');
  if (!host || file.origin.has('DATABASE_URL') || env.origin.has('DATABASE_URL')) return;
  const user = part('user');
  const password = part('password');
  const auth = user
    ? `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@`
    : '';
  const target = [...env.accepted.keys()].some((k) => k.startsWith('database.')) ? env : file;
  target.values.set(
    'DATABASE_URL',
    `postgres://${auth}${host}:${part('port') ?? 5432}/${part('name') ?? 'autoscaler'}`,
  );
  target.origin.set('DATABASE_URL', 'database.host');
}
