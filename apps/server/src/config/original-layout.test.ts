import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemsOf, yamlFile } from '../../test/config';
import { migrateArg } from './boot';
import { loadConfig } from './load';

// The original Autoscaler system's YAML layout and AUTOSCALER_<SECTION>_<KEY> variables.
const SECRET = 'a-production-secret-of-more-than-32-chars';

const ORIGINAL = `
app:
  mode: development
  port: 6100
database:
  ssl_mode: require
  max_connections: 25
api:
  jwt_secret: ${SECRET}
  cookie_secure: false
  rate_limit: 120
  request_timeout: 45s
  cors:
    allowed_origins: [https://a.example, https://b.example]
log:
  level: warn
`;

describe('original configuration layout', () => {
  it('maps every original key onto our options, next to keys of our own layout', () => {
    const config = loadConfig({ env: {}, file: yamlFile(ORIGINAL) });
    expect(config.app.mode).toBe('development');
    expect(config.server.port).toBe(6100);
    expect(config.database.sslmode).toBe('require');
    expect(config.database.poolSize).toBe(25);
    expect(config.auth.jwtSecret).toBe(SECRET);
    expect(config.auth.cookieSecure).toBe(false);
    expect(config.security.apiRateLimitPerMinute).toBe(120);
    expect(config.server.requestTimeoutMs).toBe(45_000);
    expect(config.security.corsAllowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.log.level).toBe('warn');
  });

  it('lets AUTOSCALER_<SECTION>_<KEY> override the file, above the plain variables', () => {
    const env = {
      AUTOSCALER_DATABASE_MAX_CONNECTIONS: '40',
      DATABASE_POOL_SIZE: '30',
      AUTOSCALER_API_CORS_ALLOWED_ORIGINS: 'https://c.example',
      AUTOSCALER_API_REQUEST_TIMEOUT: '2m',
      // The autoscaler's own options share the prefix and are left alone.
      AUTOSCALER_SYNC_SECONDS: '15',
    };
    const config = loadConfig({ env, file: yamlFile(ORIGINAL) });
    expect(config.database.poolSize).toBe(40);
    expect(config.security.corsAllowedOrigins).toEqual(['https://c.example']);
    expect(config.server.requestTimeoutMs).toBe(120_000);
  });

  it('names unknown and wrong original keys by their original path', () => {
    const file = yamlFile('api:\n  rate_limit: lots\n  cors:\n    allowed: [x]\n  colour: blue\n');
    const problems = problemsOf(() => loadConfig({ env: { AUTOSCALER_API_JWT: 'x' }, file }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CONFIG_FILE: unknown key "api\.cors\.allowed"/),
        expect.stringMatching(/^CONFIG_FILE: unknown key "api\.colour"/),
        expect.stringMatching(/^api\.rate_limit: /),
        'AUTOSCALER_API_JWT: unknown option',
      ]),
    );
  });

  it('refuses unsafe production values in the original words', () => {
    const file = yamlFile(
      'app:\n  mode: production\n  public_url: https://as.example\napi:\n  jwt_secret: short\n  cookie_secure: false\n  cors:\n    allowed_origins: ["*"]\n',
    );
    expect(problemsOf(() => loadConfig({ env: {}, file }))).toEqual(
      expect.arrayContaining([
        'api.jwt_secret must be at least 32 characters in production',
        'api.cookie_secure must be true in production',
        'api.cors.allowed_origins must not contain "*" in production',
      ]),
    );
    const missing = yamlFile(
      'app:\n  mode: production\n  public_url: https://as.example\napi:\n  rate_limit: 60\n',
    );
    expect(problemsOf(() => loadConfig({ env: {}, file: missing }))).toContain(
      'api.jwt_secret is required in production',
    );
    // Set in our own spelling, the problem keeps our name.
    expect(problemsOf(() => loadConfig({ env: { APP_MODE: 'production', JWT_SECRET: 'short' } }))).toContain(
      'JWT_SECRET: must be at least 32 characters in production',
    );
  });

  it('loads the shipped production template with the secrets from the environment', () => {
    const template = readFileSync(new URL('../../../../configs/config.prod.yaml', import.meta.url), 'utf8');
    // The WebSocket keys land on the autoscaler loop's options; this test covers the rest.
    const file = yamlFile(template.replace(/^websocket:[\s\S]*$/m, ''));
    const env = { AUTOSCALER_API_JWT_SECRET: SECRET, AUTOSCALER_DATABASE_URL: 'postgres://db.example/cp' };
    const config = loadConfig({ env, file });
    expect(config.app.mode).toBe('production');
    expect(config.auth.cookieSecure).toBe(true);
    expect(config.database.url).toBe('postgres://db.example/cp');
    expect(problemsOf(() => loadConfig({ env: {}, file }))).toContain(
      'api.jwt_secret is required in production',
    );
  });

  it('loads a file written for the original whole: its engine’s keys accepted, its database and Prometheus used', () => {
    const file = yamlFile(`
app: { name: cloud-autoscaler, mode: development, log_level: debug, shutdown_timeout: 30s }
database: { host: db.internal, port: 6543, name: scaler, user: ops, password: "p@ss word", ssl_mode: disable, conn_max_lifetime: 30m }
collector: { type: http, endpoint: "http://sim:9000/metrics", interval: 10s, timeout: 5s, circuit_breaker: { max_failures: 5, timeout: 45s } }
analyzer: { thresholds: { cpu_high: 80, cpu_low: 30 }, trend_window: 2m }
decision: { cooldown_period: 60s, min_servers: 2, max_servers: 40, max_scale_step: 5 }
predictor: { enabled: false }
scaler: { type: simulator, provision_time: 30s }
api: { port: 8080, write_timeout: 30s, idle_timeout: 120s, rate_limit: 60, jwt_secret: ${SECRET}, jwt_duration: 24h, cookie_name: auth_token, cookie_http_only: true, cors: { allowed_origins: ["*"], allowed_methods: [GET, POST], allow_credentials: true } }
websocket: { max_connections: 500, ping_interval: 30s, pong_timeout: 60s, write_timeout: 10s, client_buffer: 256 }
prometheus: { enabled: true, port: 9090 }
events: { buffer_size: 1000 }
`);
    const config = loadConfig({ env: {}, file });
    expect(config.database.url).toBe('postgres://ops:p%40ss%20word@db.internal:6543/scaler');
    expect(config.server.port).toBe(8080);
    expect(config.metrics).toMatchObject({ enabled: true, port: 9090 });
    expect(config.auth.jwtAccessMinutes).toBe(24 * 60);
    expect(config.autoscaler).toMatchObject({ syncSeconds: 10, maxServers: 40, breakerResetSeconds: 45 });
    expect(config.simulator.timeoutMs).toBe(5000);
    // An AUTOSCALER_DATABASE_* variable replaces its part (the original's secrets come that way).
    const env = { AUTOSCALER_DATABASE_PASSWORD: 'from-env' };
    expect(loadConfig({ env, file }).database.url).toBe('postgres://ops:from-env@db.internal:6543/scaler');
  });

  it('puts the environment into its variables, with defaults, and names a required one missing', () => {
    const $ = (inner: string) => `\${${inner}}`;
    const file = yamlFile(
      `api:\n  port: ${$('API_PORT:-8081')}\n  jwt_secret: ${$('JWT_SECRET:?JWT secret required')}\n`,
    );
    const config = loadConfig({ env: { JWT_SECRET: SECRET }, file });
    expect([config.server.port, config.auth.jwtSecret]).toEqual([8081, SECRET]);
    expect(loadConfig({ env: { JWT_SECRET: SECRET, API_PORT: '7000' }, file }).server.port).toBe(7000);
    expect(problemsOf(() => loadConfig({ env: {}, file }))).toContainEqual(
      expect.stringMatching(/^CONFIG_FILE: api\.jwt_secret in .*: JWT secret required/),
    );
  });

  it('refuses in production what the original refuses: cookies readable by scripts, a database without TLS', () => {
    const file = yamlFile(
      `app:\n  mode: production\n  public_url: https://as.example\ndatabase:\n  ssl_mode: disable\napi:\n  jwt_secret: ${SECRET}\n  cookie_http_only: false\n`,
    );
    expect(problemsOf(() => loadConfig({ env: {}, file }))).toEqual(
      expect.arrayContaining([
        'api.cookie_http_only must be true in production',
        'database.ssl_mode should not be disabled in production',
      ]),
    );
  });

  it('--migrate on start applies migrations whatever MIGRATE_ON_BOOT says', () => {
    const env = { MIGRATE_ON_BOOT: 'false' };
    expect(
      loadConfig({ env: migrateArg(['node', 'main.js', '--migrate'], env) }).database.migrateOnBoot,
    ).toBe(true);
    expect(loadConfig({ env: migrateArg(['node', 'main.js'], env) }).database.migrateOnBoot).toBe(false);
  });
});
