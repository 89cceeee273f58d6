import { existsSync, readFileSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './load';

/** The server package's version, from src/config (tsx) or from the bundle in dist/. */
export function packageVersion(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    const file = new URL(rel, import.meta.url);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (pkg.name === '@clockpilot/server') return pkg.version;
  }
  throw new Error('package.json of @clockpilot/server not found');
}

/** `--config FILE` from the command line, if given. */
export function configFileArg(argv = process.argv): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
}

/**
 * `--migrate` on the command line (the original system's start flag): apply pending migrations at
 * start whatever MIGRATE_ON_BOOT says, as the highest-priority override.
 */
export function migrateArg(argv = process.argv, env = process.env): NodeJS.ProcessEnv {
  return argv.includes('--migrate') ? { ...env, CLOCKPILOT_DATABASE_MIGRATE_ON_BOOT: 'true' } : env;
}

/** Loads the configuration or stops the process with every problem listed, before anything listens. */
export function loadConfigOrExit(file = configFileArg()): Config {
  try {
    return loadConfig({ file, env: migrateArg(), version: packageVersion() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ClockPilot cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
