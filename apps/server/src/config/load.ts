import { readFileSync } from 'node:fs';
import cronParser from 'cron-parser';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { interpolate } from './interpolate';
import { MODULE_NAMES, OPTIONS, type Option } from './options';
import {
  composeDatabaseUrl,
  noOriginalValues,
  type OriginalValues,
  originalEnv,
  originalPath,
  takeOriginalKeys,
} from './original-layout';

type Opt = (typeof OPTIONS)[number];

/** Five fields in UTC, as the job runner schedules them (minute precision). */
function validCron(expr: string): boolean {
  if (expr.split(/\s+/).length !== 5) return false;
  try {
    cronParser.parseExpression(expr, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}
type CamelCase<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<CamelCase<B>>}` : S;
type Sections = {
  [S in Opt['section']]: {
    [O in Extract<Opt, { section: S }> as CamelCase<O['key']>]: z.output<O['schema']>;
  };
};
export type ModuleName = (typeof MODULE_NAMES)[number];

/** The validated, frozen configuration every part of the server reads. */
export type Config = Readonly<
  Omit<Sections, 'app' | 'server' | 'auth' | 'security' | 'metrics'> & {
    app: Sections['app'] & {
      mode: 'development' | 'test' | 'production';
      publicUrl: string;
      modules: ModuleName[];
      version: string;
    };
    server: Sections['server'] & { apiDocs: boolean };
    auth: Sections['auth'] & { cookieSecure: boolean; allowRegistration: boolean; oidcEnabled: boolean };
    security: Sections['security'];
    metrics: Sections['metrics'] & { enabled: boolean };
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type LoadOptions = {
  env?: NodeJS.ProcessEnv;
  /** YAML file path; overrides CONFIG_FILE. */
  file?: string;
  version?: string;
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const prefixedEnv = (o: Option) => `CLOCKPILOT_${o.section}_${o.key}`.toUpperCase();

type FileValues = { ours: Record<string, Record<string, unknown>>; original: OriginalValues };
const noFile = (): FileValues => ({ ours: {}, original: noOriginalValues() });

function readFile(path: string, env: NodeJS.ProcessEnv, problems: string[]): FileValues {
  let doc: unknown;
  try {
    doc = interpolate(parseYaml(readFileSync(path, 'utf8')), env, problems, path);
  } catch (err) {
    problems.push(`CONFIG_FILE: cannot read ${path}: ${(err as Error).message}`);
    return noFile();
  }
  if (doc == null) return noFile();
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(`CONFIG_FILE: ${path} must hold a mapping of sections`);
    return noFile();
  }
  const known = new Map<string, Set<string>>();
  for (const o of OPTIONS) {
    if (!known.has(o.section)) known.set(o.section, new Set());
    known.get(o.section)!.add(o.key);
  }
  const original = takeOriginalKeys(doc as Record<string, unknown>, new Set(known.keys()), problems, path);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, values] of Object.entries(doc as Record<string, unknown>)) {
    const keys = known.get(section);
    if (!keys) {
      problems.push(`CONFIG_FILE: unknown section "${section}" in ${path}`);
      continue;
    }
    if (values == null || typeof values !== 'object' || Array.isArray(values)) {
      problems.push(`CONFIG_FILE: section "${section}" in ${path} must be a mapping`);
      continue;
    }
    for (const key of Object.keys(values)) {
      if (!keys.has(key)) problems.push(`CONFIG_FILE: unknown key "${section}.${key}" in ${path}`);
    }
    out[section] = values as Record<string, unknown>;
  }
  return { ours: out, original };
}

/** Builds the configuration once; throws ConfigError listing every problem. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  const filePath = opts.file ?? env.CONFIG_FILE;
  const { ours: file, original: fileOriginal } = filePath ? readFile(filePath, env, problems) : noFile();
  const byEnv = new Set((OPTIONS as readonly Option[]).map((o) => o.env));
  const envOriginal = originalEnv(env, problems, byEnv);
  composeDatabaseUrl(fileOriginal, envOriginal);
  for (const [name, path] of [...fileOriginal.origin, ...envOriginal.origin]) {
    if (!byEnv.has(name)) problems.push(`${path}: not supported by this build (it sets ${name})`);
  }
  // A setup in the original layout hears about its problems by the original's keys, in its words.
  const fromOriginal = new Map<string, string>();
  const originalInUse = fileOriginal.origin.size + envOriginal.origin.size > 0;
  const refuse = (name: string, ours: string, theirs: string) => {
    const path = fromOriginal.get(name) ?? (originalInUse ? originalPath(name) : undefined);
    problems.push(path ? `${path} ${theirs}` : `${name}: ${ours}`);
  };

  const known = new Set((OPTIONS as readonly Option[]).map(prefixedEnv));
  for (const name of Object.keys(env)) {
    // A mistyped override would otherwise be ignored without a word.
    if (name.startsWith('CLOCKPILOT_') && !known.has(name)) problems.push(`${name}: unknown option`);
  }

  const sections: Record<string, Record<string, unknown>> = {};
  const failed = new Set<string>();
  for (const o of OPTIONS as readonly Option[]) {
    const ours = env[prefixedEnv(o)];
    const raw =
      ours ??
      envOriginal.values.get(o.env) ??
      env[o.env] ??
      fileOriginal.values.get(o.env) ??
      file[o.section]?.[o.key];
    const path =
      ours === undefined
        ? (envOriginal.origin.get(o.env) ??
          (env[o.env] === undefined ? fileOriginal.origin.get(o.env) : undefined))
        : undefined;
    if (path) fromOriginal.set(o.env, path);
    const input = raw === '' ? undefined : raw;
    const parsed = o.schema.safeParse(input);
    sections[o.section] ??= {};
    if (parsed.success) {
      sections[o.section]![camel(o.key)] = parsed.data;
    } else {
      failed.add(o.env);
      const msg = parsed.error.issues.map((i) => i.message).join('; ');
      problems.push(`${path ?? o.env}: ${msg}${o.secret ? '' : ` (got ${JSON.stringify(input)})`}`);
    }
  }

  // The checks below read only values that parsed, so one run reports every problem at once.
  const s = sections as unknown as Sections;
  const nodeEnv = env.NODE_ENV;
  // Either switch turns production on: a stray APP_MODE cannot switch the safety checks off.
  const production = s.app.mode === 'production' || nodeEnv === 'production';
  const mode = production ? 'production' : (s.app.mode ?? (nodeEnv === 'test' ? 'test' : 'development'));
  const publicUrl = (s.app.publicUrl ?? `http://localhost:${s.server.port ?? 5000}`).replace(/\/$/, '');

  const requested = s.app.modules ?? [];
  const unknownModules = requested.filter((m) => !(MODULE_NAMES as readonly string[]).includes(m));
  if (unknownModules.length > 0) problems.push(`MODULES: unknown module(s) ${unknownModules.join(', ')}`);
  const modules = (requested.length > 0 ? requested : [...MODULE_NAMES]) as ModuleName[];

  const oidcKeys = ['oidcIssuer', 'oidcClientId', 'oidcClientSecret', 'oidcRedirectUri'] as const;
  const oidcSet = oidcKeys.filter((k) => s.auth[k] !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < oidcKeys.length) {
    problems.push(
      'OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI: set all four to enable single sign-on, or none',
    );
  }
  if (s.database.sslmode?.startsWith('verify') && !s.database.sslrootcert && !failed.has('DB_SSLROOTCERT')) {
    problems.push(`DB_SSLROOTCERT: required when DB_SSLMODE=${s.database.sslmode}`);
  }
  if (s.backup.gpgRecipient && s.backup.ageRecipient)
    problems.push('BACKUP_GPG_RECIPIENT, BACKUP_AGE_RECIPIENT: set one of them, not both');
  const schedule = s.backup.schedule;
  if (schedule !== undefined && schedule !== 'off' && !validCron(schedule))
    problems.push(
      `BACKUP_SCHEDULE: must be a five-field cron expression or "off" (got ${JSON.stringify(schedule)})`,
    );
  for (const role of s.auth.requireTotpRoles ?? []) {
    if (!['admin', 'manager', 'employee'].includes(role))
      problems.push(`REQUIRE_TOTP_ROLES: unknown role ${role}`);
  }

  const cookieSecure = s.auth.cookieSecure ?? (production || publicUrl.startsWith('https://'));
  // Sign-up makes customers only (no company data), as the original systems' guides expect of a
  // fresh install; a production install opens it on purpose.
  const allowRegistration = s.auth.allowRegistration ?? !production;
  const origins = s.security.corsAllowedOrigins ?? [];
  const corsAllowedOrigins = origins.length > 0 ? origins : [new URL(publicUrl).origin];

  // In production /metrics reaches the public port only behind a token (it names routes and load).
  const metricsGuarded = s.metrics.port !== undefined || s.metrics.token !== undefined;
  const metricsEnabled = s.metrics.enabled ?? (metricsGuarded || !production);
  if (s.metrics.port !== undefined && s.metrics.port === s.server.port)
    problems.push('METRICS_PORT: must differ from PORT (it is the listener kept off the public port)');

  if (production) {
    if (metricsEnabled && !metricsGuarded)
      problems.push(
        'ENABLE_METRICS: in production /metrics needs METRICS_PORT (its own listener) or METRICS_TOKEN (a bearer token)',
      );
    if (s.metrics.token !== undefined && s.metrics.token.length < 32)
      problems.push('METRICS_TOKEN: must be at least 32 characters in production');
    // Links, token issuer and the trusted origin all come from it; a guessed localhost breaks sign-in.
    if (!s.app.publicUrl && !failed.has('PUBLIC_URL')) problems.push('PUBLIC_URL: required in production');
    if (!s.auth.jwtSecret) refuse('JWT_SECRET', 'required in production', 'is required in production');
    else if (s.auth.jwtSecret.length < 32)
      refuse(
        'JWT_SECRET',
        'must be at least 32 characters in production',
        'must be at least 32 characters in production',
      );
    if (!s.database.url && !failed.has('DATABASE_URL') && s.database.allowEmbedded === false) {
      problems.push(
        'DATABASE_URL: required in production (or set ALLOW_EMBEDDED_DB=true for a single-node install)',
      );
    }
    if (corsAllowedOrigins.includes('*'))
      refuse('CORS_ALLOWED_ORIGINS', '"*" is refused in production', 'must not contain "*" in production');
    if (!cookieSecure)
      refuse('COOKIE_SECURE', 'insecure cookies are refused in production', 'must be true in production');
    if (s.auth.enforced === false) problems.push('AUTH_ENFORCED: cannot be turned off in production');
    // The original refuses these too; here the cookie is always HttpOnly and TLS is DB_SSLMODE's choice.
    const acceptedValue = (path: string) => envOriginal.accepted.get(path) ?? fileOriginal.accepted.get(path);
    if (String(acceptedValue('api.cookie_http_only')) === 'false')
      problems.push('api.cookie_http_only must be true in production');
    if (fromOriginal.get('DB_SSLMODE') && s.database.sslmode === 'disable')
      problems.push('database.ssl_mode should not be disabled in production');
    // The simulator accepts scale calls from whoever holds the token; only the autoscaler's loop needs it.
    if (modules.includes('autoscaler') && s.simulator.url && (s.simulator.token?.length ?? 0) < 32)
      problems.push(
        'SIMULATOR_TOKEN: must be at least 32 characters in production when SIMULATOR_URL is set',
      );
  } else if (s.auth.jwtSecret !== undefined && s.auth.jwtSecret.length < 32) {
    problems.push('JWT_SECRET: must be at least 32 characters');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config = {
    ...s,
    app: { ...s.app, mode, publicUrl, modules, version: opts.version ?? '0.0.0' },
    server: { ...s.server, apiDocs: s.server.apiDocs ?? !production },
    auth: { ...s.auth, cookieSecure, allowRegistration, oidcEnabled: oidcSet.length === oidcKeys.length },
    security: { ...s.security, corsAllowedOrigins },
    metrics: { ...s.metrics, enabled: metricsEnabled },
  };
  return deepFreeze(config) as Config;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The effective configuration with secrets masked, for `clockpilot config check` and logs. */
export function redactedConfig(config: Config): Record<string, Record<string, unknown>> {
  const secretKeys = new Set(
    (OPTIONS as readonly Option[]).filter((o) => o.secret).map((o) => `${o.section}.${camel(o.key)}`),
  );
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, values] of Object.entries(config)) {
    out[section] = {};
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      out[section][key] = secretKeys.has(`${section}.${key}`) && value !== undefined ? '********' : value;
    }
  }
  return out;
}
