import { buildApp } from '../app';
import { loadConfigOrExit } from '../config/boot';
import type { AppContext } from '../platform/context';
import { createDatabase } from '../platform/db';
import { createLoggers } from '../platform/logger';

/** Runs a command against the configured database with every enabled module's services. */
export async function withContext<T>(
  file: string | undefined,
  fn: (ctx: AppContext) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfigOrExit(file);
  // Commands print their own output; the logs keep to warnings unless LOG_LEVEL asks for more.
  const loggers = createLoggers({
    ...config,
    log: { ...config.log, level: process.env.LOG_LEVEL ?? 'warn' },
  } as typeof config);
  const database = await createDatabase(config);
  const built = await buildApp(config, { database, loggers });
  try {
    if (opts.migrate !== false) await built.start();
    return await fn(built.ctx);
  } finally {
    await built.close();
  }
}
