import type {
  TAuditEvent,
  TAuditQuery,
  TPage,
  TRegisterBody,
  TRole,
  TUpdateUserBody,
  TUser,
  TUserListQuery,
} from '@clockpilot/contracts';
import { ZUsername } from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db';
import { AppError, type ConstraintTable, fromConstraint, notFound } from '../../platform/errors';
import { keyset } from '../../platform/pagination';
import { AUDIT_KEYSET, auditRepo } from './audit.repo';
import { securityEvent } from './events';
import { type NewUser, identityRepo as repo, USER_KEYSET } from './identity.repo';
import type { UserRow } from './identity.tables';
import { assertStrongPassword, generatePassword, hashPassword, verifyPassword } from './passwords';
import type { Sessions } from './sessions';

export type CreateUserInput = {
  username: string;
  email: string;
  displayName?: string;
  role: TRole;
  timeZone?: string;
  /** null or absent: an account that signs in through SSO only. */
  password?: string | null;
};

const FIRST_ADMIN_LOCK = 7_391_002;
const ADMIN_SET_LOCK = 7_391_003;

/** A unique index on username or email answers 409 naming the field the person has to change. */
const CONSTRAINTS: ConstraintTable = {
  users_username_lower_key: {
    code: 'conflict',
    message: 'Another account already uses this username',
    path: 'body.username',
    field: { code: 'taken', message: 'This username is already taken' },
  },
  users_email_lower_key: {
    code: 'conflict',
    message: 'Another account already uses this email',
    path: 'body.email',
    field: { code: 'taken', message: 'This email is already taken' },
  },
};
const mapConstraint = (err: unknown): never => {
  throw fromConstraint(CONSTRAINTS, err);
};

export function toUser(row: UserRow): TUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    timeZone: row.timeZone,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function userOrThrow(db: DbOrTx, id: string, forUpdate = false): Promise<UserRow> {
  const row = await repo.userById(db, id, { forUpdate });
  if (!row) throw notFound('User');
  return row;
}

/** The password rules for an account: length from the configuration, not like its own names. */
export const passwordPolicy = (ctx: AppContext, u: { username?: string; email?: string }) => ({
  minLength: ctx.config.auth.passwordMinLength,
  username: u.username,
  email: u.email,
});

/** A signed-in user proves it is still them before a sensitive change; a miss is a security event. */
export async function confirmPassword(
  ctx: AppContext,
  user: UserRow,
  password: string,
  path: string,
  actor: Actor,
): Promise<void> {
  if (user.passwordHash && (await verifyPassword(user.passwordHash, password))) return;
  securityEvent(ctx, 'login_failed', { userId: user.id, ip: actor.ip, reason: 'reauthentication_failed' });
  throw new AppError('unprocessable', 'The password is wrong', {
    errors: [{ path, code: 'wrong_password', message: 'Wrong password' }],
  });
}

/** Accounts: creation (first admin, registration, administrators), lookup, administration, audit trail. */
export function createUsersService(
  ctx: AppContext,
  sessions: Sessions,
  removeSecondFactor: (userId: string, actor: Actor) => Promise<void>,
) {
  const { config, clock } = ctx;

  /** Checks and hashes the password before any transaction opens: argon2 takes tens of milliseconds. */
  async function prepareUser(input: CreateUserInput): Promise<NewUser> {
    // An account without a password signs in only through single sign-on; without it, never.
    if (!input.password && !config.auth.oidcIssuer) {
      const message = 'Without single sign-on (OIDC_ISSUER) an account needs a password to sign in';
      throw new AppError('unprocessable', message, { errors: [{ path: 'body.password', message }] });
    }
    if (input.password) assertStrongPassword(input.password, passwordPolicy(ctx, input));
    return {
      username: input.username,
      email: input.email,
      displayName: input.displayName?.trim() || input.username,
      role: input.role,
      timeZone: input.timeZone ?? 'UTC',
      passwordHash: input.password ? await hashPassword(input.password) : null,
      at: clock.now(),
    };
  }

  async function insertUser(tx: Tx, prepared: NewUser, actor: Actor): Promise<TUser> {
    const user = toUser(await repo.insertUser(tx, prepared).catch(mapConstraint));
    await recordAudit(tx, actor, {
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      after: user,
    });
    await ctx.events.emit('identity.user.created', { tx, user });
    return user;
  }

  let firstStartDone = false;
  const service = {
    async getUser(id: string): Promise<TUser | null> {
      const row = await repo.userById(ctx.db, id);
      return row ? toUser(row) : null;
    },

    /** By username or email, whatever the case. */
    async findUser(login: string): Promise<TUser | null> {
      const row = await repo.userByLogin(ctx.db, login);
      return row ? toUser(row) : null;
    },

    async createUser(input: CreateUserInput, actor: Actor): Promise<TUser> {
      const prepared = await prepareUser(input);
      return ctx.db.transaction((tx) => insertUser(tx, prepared, actor));
    },

    async register(body: TRegisterBody, actor: Actor): Promise<TUser> {
      if (!config.auth.allowRegistration) throw notFound('Registration');
      // Anyone may register, so a registered account is an outside customer (it may rent vehicles);
      // an admin gives staff roles.
      const user = await service.createUser(
        { ...body, role: 'customer' },
        { ...actor, label: actor.label ?? 'self-registration' },
      );
      securityEvent(ctx, 'user_registered', { userId: user.id, ip: actor.ip });
      return user;
    },

    async listUsers(q: TUserListQuery): Promise<TPage<TUser>> {
      const page = keyset({
        ...USER_KEYSET,
        sort: q.sort,
        dir: q.order,
        cursor: q.cursor,
        limit: q.limit,
      });
      const rows = await repo.listUsers(ctx.db, { role: q.role, active: q.active, q: q.q }, page);
      return page.page(rows.map((r) => ({ ...toUser(r), _k: r._k })));
    },

    async listAudit(q: TAuditQuery): Promise<TPage<TAuditEvent>> {
      const page = keyset({
        ...AUDIT_KEYSET,
        sort: 'occurredAt',
        dir: 'desc',
        cursor: q.cursor,
        limit: q.limit,
      });
      const rows = await auditRepo.list(
        ctx.db,
        {
          actor: q.actor,
          action: q.action,
          entityType: q.entityType,
          entityId: q.entityId,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
        },
        page,
      );
      return page.page(
        rows.map(({ event, actorName, _k }) => ({
          ...event,
          actorName,
          occurredAt: event.occurredAt.toISOString(),
          _k,
        })),
      );
    },

    async getUserOrThrow(id: string): Promise<TUser> {
      return toUser(await userOrThrow(ctx.db, id));
    },
    async updateUser(id: string, patch: TUpdateUserBody, actor: Actor): Promise<TUser> {
      const demoted = patch.role !== undefined && patch.role !== 'admin';
      const deactivated = patch.active === false;
      const { user, revoked } = await ctx.db.transaction(async (tx) => {
        // Changes that may remove an admin queue here before any row lock: two admins demoting each
        // other would otherwise each hold their own row and deadlock on the other's.
        if (demoted || deactivated) await repo.lockForTransaction(tx, ADMIN_SET_LOCK);
        const before = await userOrThrow(tx, id, true);
        if (before.role === 'admin' && before.active && (demoted || deactivated)) {
          const admins = await repo.lockActiveAdmins(tx);
          if (admins.length <= 1) {
            throw new AppError('conflict', 'The last active admin cannot be demoted or deactivated', {
              errors: [
                {
                  path: demoted ? 'body.role' : 'body.active',
                  code: 'last_admin',
                  message: 'Make another account an admin first',
                },
              ],
            });
          }
        }
        const after = await repo.updateUser(tx, id, patch, clock.now()).catch(mapConstraint);
        await recordAudit(tx, actor, {
          action: 'user.updated',
          entityType: 'user',
          entityId: id,
          before: toUser(before),
          after: toUser(after),
        });
        await ctx.events.emit('identity.user.updated', { tx, user: toUser(after), before: toUser(before) });
        const ended = deactivated && before.active ? await sessions.revoke(tx, id, 'deactivated') : [];
        return { user: after, revoked: ended };
      });
      await sessions.accountChanged(id);
      await sessions.markRevoked(revoked);
      if (patch.role !== undefined || patch.active !== undefined) await sessions.invalidateAccessTokens(id);
      return toUser(user);
    },

    /**
     * Removes another user's second factor (phone and recovery codes lost). Their next login works with
     * the password alone, or leads to enrolment when their role requires a second factor.
     */
    async resetSecondFactor(id: string, actor: Actor): Promise<void> {
      await userOrThrow(ctx.db, id);
      await removeSecondFactor(id, actor);
    },

    /** Sets another user's password and ends all their sessions. */
    async resetPassword(id: string, password: string, actor: Actor): Promise<void> {
      const target = await userOrThrow(ctx.db, id);
      assertStrongPassword(password, passwordPolicy(ctx, target));
      const passwordHash = await hashPassword(password);
      const revoked = await ctx.db.transaction(async (tx) => {
        await repo.updateUser(tx, id, { passwordHash, passwordChangedAt: clock.now() }, clock.now());
        await recordAudit(tx, actor, { action: 'user.password_reset', entityType: 'user', entityId: id });
        return sessions.revoke(tx, id, 'password_reset');
      });
      await sessions.accountChanged(id);
      await sessions.markRevoked(revoked);
      await sessions.invalidateAccessTokens(id);
      securityEvent(ctx, 'password_reset', { userId: id, by: actor.userId, ip: actor.ip });
    },

    /** The first-start hint stays until an admin has signed in; after that it never comes back. */
    async firstStartPending(): Promise<boolean> {
      if (firstStartDone) return false;
      firstStartDone = await repo.anyAdminSignedIn(ctx.db);
      return !firstStartDone;
    },

    /**
     * On an empty database, creates the first admin from ADMIN_* or with a generated password printed
     * once. An advisory lock held for the transaction makes replicas starting together create one admin.
     */
    async ensureFirstAdmin(print: (text: string) => void): Promise<TUser | null> {
      if (await repo.anyUser(ctx.db)) return null; // the usual boot: skip hashing a password for nothing
      const { adminUsername, adminPassword, adminEmail } = config.auth;
      const username = firstAdminUsername(adminUsername);
      const password = adminPassword ?? generatePassword();
      if (adminPassword)
        assertStrongPassword(
          adminPassword,
          passwordPolicy(ctx, { username, email: adminEmail }),
          'ADMIN_PASSWORD',
        );
      const prepared = await prepareUser({
        username,
        email: adminEmail ?? `${username}@${new URL(config.app.publicUrl).hostname}`,
        displayName: 'Administrator',
        role: 'admin',
        password,
      });
      const created = await ctx.db.transaction(async (tx) => {
        await repo.lockForTransaction(tx, FIRST_ADMIN_LOCK);
        if (await repo.anyUser(tx)) return null;
        return insertUser(tx, prepared, { userId: null, label: 'first-run' });
      });
      if (!created) return null;
      ctx.log.app.info({ userId: created.id, username }, 'first admin created');
      if (!adminPassword) print(firstAdminBanner(username, password, `${config.app.publicUrl}/login`));
      return created;
    },
  };
  return service;
}

/** ADMIN_USERNAME (default `admin`); a name no account may have stops the start, saying which rule. */
function firstAdminUsername(configured: string | undefined): string {
  const parsed = ZUsername.safeParse(configured ?? 'admin');
  if (parsed.success) return parsed.data;
  throw new Error(`ADMIN_USERNAME: ${parsed.error.issues[0]?.message} (got "${configured}")`);
}

function firstAdminBanner(username: string, password: string, url: string): string {
  const lines = [
    'ClockPilot: first admin account created',
    '',
    `  Sign in at  ${url}`,
    `  Username    ${username}`,
    `  Password    ${password}`,
    '',
    'This password is shown only once. Change it after signing in.',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  const bar = '═'.repeat(width);
  return [`╔${bar}╗`, ...lines.map((l) => `║ ${l.padEnd(width - 1)}║`), `╚${bar}╝`, ''].join('\n');
}
