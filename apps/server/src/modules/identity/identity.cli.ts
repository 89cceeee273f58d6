import { ZCreateUserBody } from '@clockpilot/contracts';
import type { CliCommand } from '../../cli/commands';
import { withContext } from '../../cli/context';
import { requireService } from '../../platform/context';
import { AppError } from '../../platform/errors';

export const createUserCommand: CliCommand = (program, configFile) => {
  program
    .command('create-user')
    .description('create an account (refuses weak passwords)')
    .requiredOption('--username <username>', '3 to 50 letters, digits or underscores')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--role <role>', 'admin, manager or employee')
    .option('--password <password>', 'password; omit for an account that signs in through SSO only')
    .option('--display-name <name>', 'name shown in the app (default: the username)')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin', 'UTC')
    .action(
      async (opts: {
        username: string;
        email: string;
        role: string;
        password?: string;
        displayName?: string;
        timeZone: string;
      }) => {
        // The same contract as POST /api/v1/users, so the CLI cannot create what the API would refuse.
        const parsed = ZCreateUserBody.safeParse({
          username: opts.username,
          email: opts.email,
          role: opts.role,
          password: opts.password,
          displayName: opts.displayName,
          timeZone: opts.timeZone,
        });
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            console.error(`--${issue.path.join('.')}: ${issue.message}`);
          process.exitCode = 1;
          return;
        }
        await withContext(configFile(), async (ctx) => {
          try {
            const user = await requireService(ctx, 'identity').createUser(parsed.data, {
              userId: null,
              label: 'cli',
            });
            console.log(`created ${user.role} ${user.username} (${user.id})`);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            console.error(err.message);
            for (const e of err.details.errors ?? []) console.error(`  ${e.message}`);
            process.exitCode = 1;
          }
        });
      },
    );
};
