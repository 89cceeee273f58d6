import { Command } from 'commander';
import { packageVersion } from '../config/boot';
import { ConfigError, loadConfig, redactedConfig } from '../config/load';
import { createDatabase } from '../platform/db';
import { migrate, migrationStatus } from '../platform/migrate';
import { COMMANDS } from './commands';

const program = new Command('clockpilot')
  .description('ClockPilot administration')
  .version(packageVersion())
  .option('--config <file>', 'YAML configuration file (or CONFIG_FILE)');

const configFile = () => program.opts<{ config?: string }>().config;

program
  .command('migrate')
  .description('apply pending database migrations')
  .option('--status', 'only show which migrations are applied and pending')
  .action(async (opts: { status?: boolean }) => {
    const config = loadConfig({ file: configFile(), version: packageVersion() });
    const database = await createDatabase(config);
    try {
      if (opts.status) {
        const s = await migrationStatus(database);
        console.log(`applied: ${s.applied.length}, pending: ${s.pending.join(', ') || 'none'}`);
        if (s.changed.length > 0) console.log(`edited after being applied: ${s.changed.join(', ')}`);
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

for (const register of COMMANDS) register(program, configFile);

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
}
