import { readFileSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './load';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** `--config FILE` from the command line, if given. */
export function configFileArg(argv = process.argv): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
}

/** Loads the configuration or stops the process with every problem listed, before anything listens. */
export function loadConfigOrExit(file = configFileArg()): Config {
  try {
    return loadConfig({ file, version: packageVersion() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ClockPilot cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
