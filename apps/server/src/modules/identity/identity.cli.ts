import { ZCreateUserBody } from '@clockpilot/contracts';
import type { Command } from 'commander';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import type { RunWith } from '../../platform/module';
import type { IdentityServices } from '.';
import { generatePassword } from './passwords';

/**
 * Creates an account from command-line options, validated by the same contract as POST /api/v1/users
 * so the CLI cannot create what the API would refuse. `allowed` may refuse once the context is known.
 */
async function createAccount(
  run: RunWith<IdentityServices>,
  opts: {
    username: string;
    email: string;
    role: string;
    password?: string;
    displayName?: string;
    timeZone: string;
  },
  allowed: (ctx: AppContext) => boolean = () => true,
) {
  const parsed = ZCreateUserBody.safeParse({
    username: opts.username,
    email: opts.email,
    role: opts.role,
    password: opts.password,
    displayName: opts.displayName,
    timeZone: opts.timeZone,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    process.exitCode = 1;
    return;
  }
  await run(async ({ identity }, ctx) => {
    if (!allowed(ctx)) {
      process.exitCode = 1;
      return;
    }
    try {
      const user = await identity.createUser(parsed.data, { userId: null, label: 'cli' });
      console.log(`created ${user.role} ${user.username} (${user.id})`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      console.error(err.message);
      for (const e of err.details.errors ?? []) console.error(`  ${e.message}`);
      process.exitCode = 1;
    }
  });
}

/** `clockpilot identity create-user` and `clockpilot identity reset-password`. */
export function identityCli(group: Command, run: RunWith<IdentityServices>) {
  group
    .command('create-user')
    .description('create an account (refuses weak passwords)')
    .requiredOption('--username <username>', '3 to 50 letters, digits or underscores')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--role <role>', 'admin, manager or employee')
    .option('--password <password>', 'password; may be omitted only with single sign-on (OIDC_ISSUER)')
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
      }) => createAccount(run, opts),
    );

  // The original system's command: staff = manager, superuser = admin. For development installs.
  group
    .command('create-dev-user')
    .description('create a development account (refused in production unless --force)')
    .requiredOption('--username <username>', '3 to 50 letters, digits or underscores')
    .requiredOption('--password <password>', 'password (the password policy applies)')
    .requiredOption('--email <email>', 'email address')
    .option('--staff', 'a manager')
    .option('--superuser', 'an admin')
    .option('--force', 'allow it in production')
    .action(
      async (opts: {
        username: string;
        password: string;
        email: string;
        staff?: boolean;
        superuser?: boolean;
        force?: boolean;
      }) => {
        const role = opts.superuser ? 'admin' : opts.staff ? 'manager' : 'employee';
        await createAccount(run, { ...opts, role, timeZone: 'UTC' }, (ctx) => {
          if (ctx.config.app.mode !== 'production' || opts.force) return true;
          console.error('refused in production: development accounts need --force here');
          return false;
        });
      },
    );

  group
    .command('reset-password')
    .description("set an account's password and end its sessions (e.g. a locked-out admin)")
    .requiredOption('--user <login>', 'username or email')
    .option('--password <password>', 'the new password (default: a generated one, printed once)')
    .option('--remove-totp', 'also remove the second factor (authenticator and recovery codes lost)')
    .action(async (opts: { user: string; password?: string; removeTotp?: boolean }) => {
      await run(async ({ identity }) => {
        const actor = { userId: null, label: 'cli' };
        const user = await identity.findUser(opts.user);
        if (!user) {
          console.error(`no account ${opts.user}`);
          process.exitCode = 1;
          return;
        }
        const password = opts.password ?? generatePassword();
        try {
          await identity.resetPassword(user.id, password, actor);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          console.error(err.message);
          for (const e of err.details.errors ?? []) console.error(`  ${e.message}`);
          process.exitCode = 1;
          return;
        }
        if (opts.removeTotp) await identity.resetSecondFactor(user.id, actor);
        console.log(`password of ${user.username} reset; their sessions are ended`);
        if (!opts.password) console.log(`new password (shown only now): ${password}`);
        if (opts.removeTotp) console.log('second factor removed');
      });
    });
}
