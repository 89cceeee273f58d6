import type { CliCommand } from '../../cli/commands';
import { withContext } from '../../cli/context';
import { progress } from '../../cli/progress';
import { AppError } from '../../platform/errors';
import { SEED_DEMO_STEPS, seedDemo } from './seed-demo';

export const seedDemoCommand: CliCommand = (program, configFile) => {
  program
    .command('seed-demo')
    .description(
      'create a demo company: teams, people with accounts, clients, projects, activities (and time entries)',
    )
    .option('--password <password>', 'password of every demo account (default: a random one, printed once)')
    .option('--weeks <n>', 'weeks of demo time entries, when the time module provides them', '4')
    .action(async (opts: { password?: string; weeks: string }) => {
      const weeks = Number(opts.weeks);
      if (!Number.isInteger(weeks) || weeks < 0 || weeks > 52)
        throw new Error('--weeks must be a whole number from 0 to 52');
      await withContext(configFile(), async (ctx) => {
        const bar = progress('seeding', SEED_DEMO_STEPS);
        try {
          const result = await seedDemo(ctx, { password: opts.password, weeks, tick: () => bar.tick() });
          bar.stop();
          console.log(
            `\ndemo company created: ${result.users.length} accounts, ${result.teams} teams, ${result.clients} clients, ${result.projects} projects, ${result.activities} activities`,
          );
          if (result.timeEntries !== undefined)
            console.log(`time entries: ${JSON.stringify(result.timeEntries)}`);
          for (const u of result.users)
            console.log(`  ${u.username.padEnd(14)} ${u.role.padEnd(9)} ${u.name}`);
          console.log(
            opts.password
              ? '\nevery demo account uses the password given with --password'
              : `\npassword of every demo account (shown only now): ${result.password}`,
          );
        } catch (err) {
          bar.stop();
          // A second run is refused with its reason, not a stack trace.
          if (err instanceof AppError) {
            console.error(err.message);
            process.exitCode = 1;
            return;
          }
          throw err;
        }
      });
    });
};
