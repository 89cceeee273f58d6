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

  it('--migrate on start applies migrations whatever MIGRATE_ON_BOOT says', () => {
    const env = { MIGRATE_ON_BOOT: 'false' };
    expect(
      loadConfig({ env: migrateArg(['node', 'main.js', '--migrate'], env) }).database.migrateOnBoot,
    ).toBe(true);
    expect(loadConfig({ env: migrateArg(['node', 'main.js'], env) }).database.migrateOnBoot).toBe(false);
  });
});
