import { parseArgs } from 'node:util';
import { z } from 'zod';

/** The simulator's configuration, read once at start from the environment and the command line. */
export type SimulatorConfig = {
  host: string;
  port: number;
  /** Bearer token every API call but /health must present; none in development means no authentication. */
  token: string | undefined;
  production: boolean;
  /** Simulated seconds per real second; 0 stops the clock (time then moves only through `advance`). */
  speed: number;
  /** Real milliseconds between clock ticks. */
  tickMs: number;
  /** Longest simulated step; a tick is cut into steps no longer than this. */
  stepSeconds: number;
  maxClusters: number;
  bodyLimitBytes: number;
  logLevel: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid simulator configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const number = (min: number, max: number) => z.coerce.number().finite().min(min).max(max);
const ZEnv = z.object({
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_PORT: number(0, 65535).int().default(9000),
  SIMULATOR_TOKEN: z.string().optional(),
  SIMULATOR_SPEED: number(0, 100_000).default(1),
  SIMULATOR_TICK_MS: number(10, 60_000).int().default(1000),
  SIMULATOR_STEP_SECONDS: number(0.01, 3600).default(1),
  SIMULATOR_MAX_CLUSTERS: number(1, 1_000_000).int().default(10_000),
  SIMULATOR_BODY_LIMIT_BYTES: number(1024, 64 * 1024 * 1024)
    .int()
    .default(16 * 1024 * 1024 + 65536),
  SIMULATOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
  APP_MODE: z.string().optional(),
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Reads the configuration; command-line flags (`--port`, `--host`, `--speed`) win over the environment. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: string[]): SimulatorConfig {
  let flags: { port?: string; host?: string; speed?: string };
  try {
    flags = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, speed: { type: 'string' } },
    }).values;
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
  const parsed = ZEnv.safeParse({
    ...env,
    ...(flags.port !== undefined ? { SIMULATOR_PORT: flags.port } : {}),
    ...(flags.host !== undefined ? { SIMULATOR_HOST: flags.host } : {}),
    ...(flags.speed !== undefined ? { SIMULATOR_SPEED: flags.speed } : {}),
  });
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production' || e.APP_MODE === 'production';
  const token = e.SIMULATOR_TOKEN || undefined;
  const problems: string[] = [];
  if (production && !token) problems.push('SIMULATOR_TOKEN is required in production');
  else if (production && token!.length < 32)
    problems.push('SIMULATOR_TOKEN must be at least 32 characters in production');
  if (!token && !LOOPBACK.test(e.SIMULATOR_HOST))
    problems.push(
      `SIMULATOR_TOKEN is required to listen on ${e.SIMULATOR_HOST}, which is not a loopback address`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: e.SIMULATOR_HOST,
    port: e.SIMULATOR_PORT,
    token,
    production,
    speed: e.SIMULATOR_SPEED,
    tickMs: e.SIMULATOR_TICK_MS,
    stepSeconds: e.SIMULATOR_STEP_SECONDS,
    maxClusters: e.SIMULATOR_MAX_CLUSTERS,
    bodyLimitBytes: e.SIMULATOR_BODY_LIMIT_BYTES,
    logLevel: e.SIMULATOR_LOG_LEVEL ?? e.LOG_LEVEL,
  };
}
