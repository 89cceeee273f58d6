import { loadConfigOrExit } from '../config/boot';
import type { Config } from '../config/load';
import { MODULES } from '../modules';
import { createDatabase } from '../platform/db';
import { createLoggers } from '../platform/logger';
import { createRuntime, type Runtime } from '../platform/runtime';

/**
 * Runs a command against the configured database with every enabled module's services, built
 * without the HTTP app: no routes, security plugins, API docs or web files, and no job runner.
 */
export async function withRuntime<T>(
  file: string | undefined,
  fn: (runtime: Runtime) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfigOrExit(file);
  // Commands print their own output; the logs keep to warnings unless LOG_LEVEL asks for more.
  const loggers = createLoggers({
    ...config,
    log: { ...config.log, level: (process.env.LOG_LEVEL ?? 'warn') as Config['log']['level'] },
  });
  const database = await createDatabase(config);
  const runtime = await createRuntime(config, { database, loggers }, MODULES);
  try {
    if (opts.migrate !== false) await runtime.start();
    return await fn(runtime);
  } finally {
    await runtime.close();
    loggers.flush();
  }
}
