import { describe, expect, it } from 'vitest';
import { problemsOf, yamlFile } from '../../test/config';
import { loadConfig, redactedConfig } from './load';

const SECRET = 'a-production-secret-of-more-than-32-chars';
const PUBLIC = 'https://time.example.com';

describe('defaults', () => {
  it('starts on port 5000 with embedded PGlite in ./data and every module on', () => {
    const config = loadConfig({ env: {} });
    expect(config.server.port).toBe(5000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toBe('./data');
    expect(config.database.migrateOnBoot).toBe(true);
    expect(config.server.bodyLimit).toBe(1_048_576);
    expect(config.metrics.enabled).toBe(true);
    expect(config.app.mode).toBe('development');
    expect(config.app.publicUrl).toBe('http://localhost:5000');
    expect(config.app.modules).toContain('time');
    expect(config.server.apiDocs).toBe(true);
    expect(config.auth.cookieSecure).toBe(false);
    expect(loadConfig({ env: { PUBLIC_URL: 'https://cp.example' } }).auth.cookieSecure).toBe(true);
    expect(config.auth.allowRegistration).toBe(true);
    expect(loadConfig({ env: { ALLOW_REGISTRATION: 'false' } }).auth.allowRegistration).toBe(false);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.app.modules)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('production refusals', () => {
  it('lists every problem at once, each with its variable name', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          NODE_ENV: 'production',
          JWT_SECRET: 'short',
          CORS_ALLOWED_ORIGINS: '*',
          COOKIE_SECURE: 'false',
          PORT: 'not-a-port',
        },
      }),
    );
    const names = problems.map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(
      ['COOKIE_SECURE', 'CORS_ALLOWED_ORIGINS', 'DATABASE_URL', 'JWT_SECRET', 'PORT', 'PUBLIC_URL'].sort(),
    );
    expect(problems.find((p) => p.startsWith('JWT_SECRET'))).toMatch(/at least 32 characters/);
    // The secret itself never appears in the message.
    expect(problems.join('\n')).not.toContain('short');
  });

  it('requires JWT_SECRET when it is missing, also under APP_MODE=production', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { APP_MODE: 'production', DATABASE_URL: 'postgres://db/app', PUBLIC_URL: PUBLIC } }),
    );
    expect(problems).toEqual(['JWT_SECRET: required in production']);
  });

  it('requires PUBLIC_URL in production', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { APP_MODE: 'production', DATABASE_URL: 'postgres://db/app', JWT_SECRET: SECRET } }),
    );
    expect(problems).toEqual(['PUBLIC_URL: required in production']);
  });

  it('keeps production on when NODE_ENV=production even if APP_MODE says otherwise', () => {
    expect(
      problemsOf(() => loadConfig({ env: { NODE_ENV: 'production', APP_MODE: 'development' } })),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^JWT_SECRET/)]));
  });

  it('accepts embedded PGlite only with ALLOW_EMBEDDED_DB=true', () => {
    const config = loadConfig({
      env: { NODE_ENV: 'production', JWT_SECRET: SECRET, ALLOW_EMBEDDED_DB: 'true', PUBLIC_URL: PUBLIC },
    });
    expect(config.app.mode).toBe('production');
    expect(config.auth.cookieSecure).toBe(true);
    expect(config.server.apiDocs).toBe(false);
    // Sign-up is opened on purpose in production.
    expect(config.auth.allowRegistration).toBe(false);
  });

  it('refuses switching authentication off', () => {
    expect(
      problemsOf(() =>
        loadConfig({
          env: {
            NODE_ENV: 'production',
            JWT_SECRET: SECRET,
            DATABASE_URL: 'postgres://db/x',
            PUBLIC_URL: PUBLIC,
            AUTH_ENFORCED: 'no',
          },
        }),
      ),
    ).toEqual(['AUTH_ENFORCED: cannot be turned off in production']);
  });

  it('requires a strong simulator token once the autoscaler has a simulator, and not before', () => {
    const base = {
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      DATABASE_URL: 'postgres://db/x',
      PUBLIC_URL: PUBLIC,
    };
    const url = 'http://127.0.0.1:9000';
    const message = 'SIMULATOR_TOKEN: must be at least 32 characters in production when SIMULATOR_URL is set';
    expect(problemsOf(() => loadConfig({ env: { ...base, SIMULATOR_URL: url } }))).toEqual([message]);
    expect(
      problemsOf(() => loadConfig({ env: { ...base, SIMULATOR_URL: url, SIMULATOR_TOKEN: 'short' } })),
    ).toEqual([message]);
    expect(
      loadConfig({ env: { ...base, SIMULATOR_URL: url, SIMULATOR_TOKEN: SECRET } }).simulator.token,
    ).toBe(SECRET);
    expect(loadConfig({ env: base }).autoscaler).toMatchObject({ maxServers: 100, syncSeconds: 15 });
    expect(loadConfig({ env: { ...base, SIMULATOR_URL: url, MODULES: 'identity' } }).simulator.url).toBe(url);
  });
});

describe('/metrics in production', () => {
  const base = {
    NODE_ENV: 'production',
    JWT_SECRET: SECRET,
    DATABASE_URL: 'postgres://db/x',
    PUBLIC_URL: PUBLIC,
  };

  it('keeps /metrics off the public port unless a port or a token guards it', () => {
    expect(loadConfig({ env: base }).metrics.enabled).toBe(false);
    expect(loadConfig({ env: { ...base, METRICS_PORT: '9464' } }).metrics).toMatchObject({
      enabled: true,
      port: 9464,
    });
    expect(loadConfig({ env: { ...base, METRICS_TOKEN: SECRET } }).metrics.enabled).toBe(true);
    expect(loadConfig({ env: {} }).metrics.enabled).toBe(true);
  });

  it('refuses metrics asked for on the public port without a token, a short token, or METRICS_PORT=PORT', () => {
    expect(problemsOf(() => loadConfig({ env: { ...base, ENABLE_METRICS: 'true' } }))).toEqual([
      'ENABLE_METRICS: in production /metrics needs METRICS_PORT (its own listener) or METRICS_TOKEN (a bearer token)',
    ]);
    const short = problemsOf(() => loadConfig({ env: { ...base, METRICS_TOKEN: 'short-token' } }));
    expect(short).toEqual(['METRICS_TOKEN: must be at least 32 characters in production']);
    expect(short.join('\n')).not.toContain('short-token');
    expect(problemsOf(() => loadConfig({ env: { ...base, METRICS_PORT: '5000' } }))).toEqual([
      'METRICS_PORT: must differ from PORT (it is the listener kept off the public port)',
    ]);
  });
});

describe('sources and precedence', () => {
  it('reads the YAML file, lets plain env override it and CLOCKPILOT_ override both', () => {
    const file = yamlFile('server:\n  port: 6001\n  host: 127.0.0.1\nlog:\n  level: debug\n');
    const fromFile = loadConfig({ env: {}, file });
    expect(fromFile.server.port).toBe(6001);
    expect(fromFile.server.host).toBe('127.0.0.1');
    expect(fromFile.log.level).toBe('debug');

    const plain = loadConfig({ env: { PORT: '6002' }, file });
    expect(plain.server.port).toBe(6002);
    expect(plain.server.host).toBe('127.0.0.1');

    const prefixed = loadConfig({ env: { PORT: '6002', CLOCKPILOT_SERVER_PORT: '6003' }, file });
    expect(prefixed.server.port).toBe(6003);
  });

  it('takes the file from CONFIG_FILE when no path is given', () => {
    const file = yamlFile('metrics:\n  enabled: false\n');
    expect(loadConfig({ env: { CONFIG_FILE: file } }).metrics.enabled).toBe(false);
  });

  it('reports unknown sections and keys of the YAML file together with bad values', () => {
    const file = yamlFile('server:\n  prot: 1\n  port: 70000\nlogging:\n  level: info\n');
    const problems = problemsOf(() => loadConfig({ env: {}, file }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CONFIG_FILE: unknown key "server\.prot"/),
        expect.stringMatching(/^CONFIG_FILE: unknown section "logging"/),
        expect.stringMatching(/^PORT: /),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('reports a file that cannot be read or is not a mapping', () => {
    expect(problemsOf(() => loadConfig({ env: {}, file: '/nonexistent/clockpilot.yaml' }))[0]).toMatch(
      /^CONFIG_FILE: cannot read/,
    );
    expect(problemsOf(() => loadConfig({ env: {}, file: yamlFile('- a\n- b\n') }))[0]).toMatch(
      /must hold a mapping/,
    );
  });

  it('reports a mistyped CLOCKPILOT_ variable instead of ignoring it', () => {
    expect(problemsOf(() => loadConfig({ env: { CLOCKPILOT_SERVER_PROT: '1' } }))).toEqual([
      'CLOCKPILOT_SERVER_PROT: unknown option',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ env: { PORT: '' } }).server.port).toBe(5000);
  });

  it('leaves ADMIN_USERNAME to the making of the first admin (identity/first-admin.test.ts)', () => {
    expect(loadConfig({ env: { ADMIN_USERNAME: 'site-admin' } }).auth.adminUsername).toBe('site-admin');
    expect(loadConfig({ env: { ADMIN_USERNAME: ' site_admin ' } }).auth.adminUsername).toBe('site_admin');
  });

  it('checks values that belong together', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: { DB_SSLMODE: 'verify-full', OIDC_ISSUER: 'https://idp.example', MODULES: 'time,payroll' },
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      [
        'DB_SSLROOTCERT',
        'MODULES',
        'OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI',
      ].sort(),
    );
  });
});

describe('redactedConfig', () => {
  it('masks every secret and keeps the rest', () => {
    const config = loadConfig({
      env: {
        JWT_SECRET: SECRET,
        DATABASE_URL: 'postgres://app:hunter2@db/app',
        REDIS_URL: 'redis://:pw@cache:6379',
        ADMIN_PASSWORD: 'admin-pass-123',
        PORT: '6100',
      },
    });
    const shown = redactedConfig(config);
    const text = JSON.stringify(shown);
    for (const secret of [SECRET, 'hunter2', ':pw@', 'admin-pass-123']) expect(text).not.toContain(secret);
    expect(shown.auth!.jwtSecret).toBe('********');
    expect(shown.database!.url).toBe('********');
    expect(shown.server!.port).toBe(6100);
  });
});
