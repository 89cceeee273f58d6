import { Command } from 'commander';
import { packageVersion } from '../config/boot';
import { ConfigError, loadConfig, redactedConfig } from '../config/load';
import { MODULES } from '../modules';
import { createDatabase } from '../platform/db';
import { AppError } from '../platform/errors';
import { migrate, migrationStatus, prepareRollback } from '../platform/migrate';
import { seedDemo, seedSteps } from '../platform/seed';
import { registerBackup } from './backup';
import { withRuntime } from './context';
import { progress } from './progress';

/** Older top-level names of module commands, still accepted. */
const SHORTCUTS: Record<string, string[]> = {
  'create-user': ['identity', 'create-user'],
  'reset-password': ['identity', 'reset-password'],
  'create-dev-user': ['identity', 'create-dev-user'],
};

const program = new Command('clockpilot')
  .description('ClockPilot administration')
  .version(packageVersion())
  .option('--config <file>', 'YAML configuration file (or CONFIG_FILE)');

const configFile = () => program.opts<{ config?: string }>().config;

program
  .command('migrate')
  .description('apply pending database migrations')
  .option('--status', 'only show which migrations are applied and pending')
  .option(
    '--rollback-to <migration>',
    'before rolling back to a release whose newest migration is this one (e.g. 0055): run the rollback steps of those after it',
  )
  .action(async (opts: { status?: boolean; rollbackTo?: string }) => {
    const config = loadConfig({ file: configFile(), version: packageVersion() });
    const database = await createDatabase(config);
    try {
      if (opts.status) {
        const s = await migrationStatus(database);
        console.log(`applied: ${s.applied.length}, pending: ${s.pending.join(', ') || 'none'}`);
        if (s.changed.length > 0) console.log(`edited after being applied: ${s.changed.join(', ')}`);
        return;
      }
      if (opts.rollbackTo !== undefined) {
        const ran = await prepareRollback(database, opts.rollbackTo);
        console.log(ran.length === 0 ? 'no rollback steps to run' : `rollback steps run: ${ran.join(', ')}`);
        return;
      }
      const applied = await migrate(database, { onApplied: (name) => console.log(`applied ${name}`) });
      console.log(applied.length === 0 ? 'database is up to date' : `${applied.length} migration(s) applied`);
    } finally {
      await database.close();
    }
  });

const configCmd = program.command('config').description('configuration');
configCmd
  .command('check')
  .description('validate the configuration and print it with secrets redacted')
  .action(() => {
    const config = loadConfig({ file: configFile(), version: packageVersion() });
    console.log(JSON.stringify(redactedConfig(config), null, 2));
    console.log('configuration is valid');
  });

const dbCmd = program.command('db').description('database');
dbCmd
  .command('health-check')
  .description('check that the database answers and migrations are current')
  .action(async () => {
    const config = loadConfig({ file: configFile(), version: packageVersion() });
    const database = await createDatabase(config);
    try {
      const latency = await database.ping();
      const s = await migrationStatus(database);
      console.log(`database (${database.driver}): up, ${latency.toFixed(1)} ms`);
      console.log(`migrations: ${s.applied.length} applied, ${s.pending.length} pending`);
      if (s.pending.length > 0 || s.changed.length > 0) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

program
  .command('seed-demo')
  .description('create a demo company in every enabled module (accounts, people, teams, catalogue, time)')
  .option('--password <password>', 'password of every demo account (default: a random one, printed once)')
  .option('--weeks <n>', 'weeks of history, for modules that make some (time entries)', '4')
  .action(async (opts: { password?: string; weeks: string }) => {
    const weeks = Number(opts.weeks);
    if (!Number.isInteger(weeks) || weeks < 0 || weeks > 52)
      throw new Error('--weeks must be a whole number from 0 to 52');
    await withRuntime(configFile(), async (runtime) => {
      const bar = progress('seeding', seedSteps(runtime));
      try {
        const result = await seedDemo(runtime, { password: opts.password, weeks, tick: () => bar.tick() });
        bar.stop();
        console.log(`\ndemo company created\n${result.lines.join('\n')}`);
        console.log(
          opts.password
            ? '\nevery demo account uses the password given with --password'
            : `\npassword of every demo account (shown only now): ${result.password}`,
        );
      } catch (err) {
        bar.stop();
        // A second run is refused with its reason, not a stack trace.
        if (!(err instanceof AppError)) throw err;
        console.error(err.message);
        process.exitCode = 1;
      }
    });
  });

registerBackup(program, configFile);

// Each module's commands live in a group of its name: `clockpilot identity create-user`.
for (const def of MODULES) {
  if (!def.cli) continue;
  const group = program.command(def.name).description(`${def.name} module`);
  def.cli(group, (fn) =>
    withRuntime(configFile(), (runtime) => fn(runtime.services(def.name as never), runtime.ctx)),
  );
}

const shortcut = SHORTCUTS[process.argv[2] ?? ''];
if (shortcut) process.argv.splice(2, 1, ...shortcut);

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
}
