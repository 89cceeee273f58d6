import type {
  TAuditEvent,
  TAuditQuery,
  TChangePasswordBody,
  TLoginBody,
  TMe,
  TPage,
  TRegisterBody,
  TRole,
  TSession,
  TUpdateUserBody,
  TUser,
  TUserListQuery,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db';
import { AppError, notFound, pgErrorOf } from '../../platform/errors';
import { keyset } from '../../platform/pagination';
import { AUDIT_KEYSET, auditRepo } from './audit.repo';
import { securityEvent } from './events';
import { type NewUser, identityRepo as repo, USER_KEYSET } from './identity.repo';
import type { UserRow } from './identity.tables';
import {
  assertStrongPassword,
  burnPasswordCheck,
  generatePassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords';
import { createSessions, type IssuedTokens, type SessionMeta } from './sessions';
import { type AccessTokens, seal, unseal } from './tokens';
import {
  hashRecoveryCode,
  isRecoveryCodeShape,
  newRecoveryCodes,
  newTotpSecret,
  totpEnrolment,
  verifyTotp,
} from './totp';

export type CreateUserInput = {
  username: string;
  email: string;
  displayName?: string;
  role: TRole;
  timeZone?: string;
  /** null or absent: an account that signs in through SSO only. */
  password?: string | null;
};

export type UserCreatedHandler = (tx: Tx, user: TUser) => Promise<void>;

export type LoginResult = IssuedTokens & { user: TMe };

const FIRST_ADMIN_LOCK = 7_391_002;
const ADMIN_SET_LOCK = 7_391_003;

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

/** A unique index on username or email answers 409 naming the field the person has to change. */
function uniqueConflict(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === '23505') {
    const field = pg.constraint?.includes('username')
      ? 'username'
      : pg.constraint?.includes('email')
        ? 'email'
        : undefined;
    if (field) {
      throw new AppError('conflict', `Another account already uses this ${field}`, {
        errors: [{ path: `body.${field}`, code: 'taken', message: `This ${field} is already taken` }],
      });
    }
  }
  throw err;
}

const invalidCredentials = () => new AppError('unauthenticated', 'Wrong username or password');

export function createIdentityService(ctx: AppContext, tokens: AccessTokens, keys: { totp: Uint8Array }) {
  const { config, clock } = ctx;
  const createdHandlers: UserCreatedHandler[] = [];
  const totpRoles = new Set(config.auth.requireTotpRoles);
  const enrolmentPending = (u: UserRow) => totpRoles.has(u.role) && !u.totpEnabledAt;
  const sessions = createSessions(ctx, tokens, enrolmentPending);
  const policy = (u: { username?: string; email?: string }) => ({
    minLength: config.auth.passwordMinLength,
    username: u.username,
    email: u.email,
  });

  const toMe = (row: UserRow): TMe => ({
    ...toUser(row),
    totpEnabled: !!row.totpEnabledAt,
    totpEnrollmentRequired: enrolmentPending(row),
    hasPassword: !!row.passwordHash,
  });

  async function userOrThrow(db: DbOrTx, id: string, forUpdate = false): Promise<UserRow> {
    const row = await repo.userById(db, id, { forUpdate });
    if (!row) throw notFound('User');
    return row;
  }

  /** Checks and hashes the password before any transaction opens: argon2 takes tens of milliseconds. */
  async function prepareUser(input: CreateUserInput): Promise<NewUser> {
    if (input.password) assertStrongPassword(input.password, policy(input));
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
    const user = toUser(await repo.insertUser(tx, prepared).catch(uniqueConflict));
    await recordAudit(tx, actor, {
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      after: user,
    });
    for (const handler of createdHandlers) await handler(tx, user);
    return user;
  }

  /** Checks a TOTP code or a recovery code; records the step or spends the code. */
  async function checkSecondFactor(user: UserRow, given: string, meta: SessionMeta): Promise<boolean> {
    const now = clock.now();
    if (isRecoveryCodeShape(given)) {
      const used = await repo.useRecoveryCode(ctx.db, user.id, hashRecoveryCode(given), now);
      if (used) securityEvent(ctx, 'recovery_code_used', { userId: user.id, ip: meta.ip });
      return used;
    }
    const secret = user.totpSecret ? unseal(keys.totp, user.totpSecret) : null;
    const step = secret ? verifyTotp(secret, given, now, user.totpLastStep) : null;
    if (step === null) return false;
    // Only a step later than the last accepted one may pass, even for two logins racing with one code.
    return repo.advanceTotpStep(ctx.db, user.id, step);
  }

  /** A signed-in user proves it is still them before a sensitive change; a miss is a security event. */
  async function confirmPassword(user: UserRow, password: string, path: string, actor: Actor): Promise<void> {
    if (user.passwordHash && (await verifyPassword(user.passwordHash, password))) return;
    securityEvent(ctx, 'login_failed', { userId: user.id, ip: actor.ip, reason: 'reauthentication_failed' });
    throw new AppError('unprocessable', 'The password is wrong', {
      errors: [{ path, code: 'wrong_password', message: 'Wrong password' }],
    });
  }

  async function removeSecondFactor(userId: string, actor: Actor): Promise<void> {
    await ctx.db.transaction(async (tx) => {
      await repo.updateUser(
        tx,
        userId,
        { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
        clock.now(),
      );
      await repo.replaceRecoveryCodes(tx, userId, []);
      await recordAudit(tx, actor, { action: 'user.totp_disabled', entityType: 'user', entityId: userId });
    });
    securityEvent(ctx, 'totp_disabled', { userId, by: actor.userId, ip: actor.ip });
  }

  const service = {
    // --- what other modules use ---

    /** Runs `handler` inside the transaction that creates each user (directory links the person). */
    onUserCreated(handler: UserCreatedHandler): void {
      createdHandlers.push(handler);
    },

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

    /** A new login session for an already authenticated user (password, SSO). */
    async startSession(userId: string, meta: SessionMeta): Promise<IssuedTokens> {
      const user = await userOrThrow(ctx.db, userId);
      const issued = await sessions.start(user, meta);
      securityEvent(ctx, 'login_succeeded', { userId, sessionId: issued.sessionId, ip: meta.ip });
      return issued;
    },

    // --- authentication ---

    /** Bearer access token → principal; throws 401 for a bad or expired token. */
    async authenticate(token: string, opts: { recheck: boolean; authRoute: boolean }): Promise<Principal> {
      const result = await tokens.verify(token);
      if (!result.ok) {
        if (result.reason === 'expired') {
          throw new AppError('token_expired', 'The access token expired', {
            headers: {
              'www-authenticate':
                'Bearer realm="clockpilot", error="invalid_token", error_description="The access token expired"',
            },
          });
        }
        throw new AppError('unauthenticated', 'Authentication required', {
          headers: { 'www-authenticate': 'Bearer realm="clockpilot", error="invalid_token"' },
        });
      }
      const { sub, sid, enr, av } = result.claims;
      let role = result.claims.role;
      if (!(await sessions.accessStillValid(sub, sid, av))) {
        throw new AppError('unauthenticated', 'The session has ended', {
          headers: { 'www-authenticate': 'Bearer realm="clockpilot", error="invalid_token"' },
        });
      }
      if (opts.recheck) {
        // Account administration and the audit trail trust the database, not a token minted minutes ago.
        const row = await repo.userById(ctx.db, sub);
        if (!row?.active) throw new AppError('unauthenticated', 'Authentication required');
        role = row.role;
      }
      if (enr && !opts.authRoute) {
        throw new AppError('totp_enrollment_required', 'Set up two-factor authentication to continue');
      }
      return { userId: sub, role, sessionId: sid, scopes: ['read', 'write'] };
    },

    async login(input: TLoginBody, meta: SessionMeta): Promise<LoginResult> {
      const user = await repo.userByLogin(ctx.db, input.login);
      const ok = user?.passwordHash
        ? await verifyPassword(user.passwordHash, input.password)
        : await burnPasswordCheck(input.password).then(() => false);
      if (!user || !ok || !user.active) {
        securityEvent(ctx, 'login_failed', {
          userId: user?.id,
          ip: meta.ip,
          reason: !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive',
        });
        throw invalidCredentials();
      }
      if (user.totpEnabledAt) {
        if (!input.totp) {
          throw new AppError('totp_required', 'Enter the code from your authenticator app', {
            errors: [{ path: 'body.totp', code: 'totp_required', message: 'A one-time code is required' }],
          });
        }
        if (!(await checkSecondFactor(user, input.totp, meta))) {
          securityEvent(ctx, 'totp_failed', { userId: user.id, ip: meta.ip });
          throw new AppError('totp_invalid', 'The one-time code is not valid', {
            errors: [
              { path: 'body.totp', code: 'totp_invalid', message: 'The code is wrong or was already used' },
            ],
          });
        }
      }
      if (needsRehash(user.passwordHash!)) {
        // Only now is the plain password at hand to move the hash to the current parameters; not a change
        // anyone made, so updatedAt stays.
        const passwordHash = await hashPassword(input.password);
        await repo.updateUser(ctx.db, user.id, { passwordHash }, user.updatedAt);
      }
      const issued = await sessions.start(user, meta);
      securityEvent(ctx, 'login_succeeded', { userId: user.id, sessionId: issued.sessionId, ip: meta.ip });
      return { ...issued, user: toMe(user) };
    },

    async refresh(refreshToken: string, meta: SessionMeta): Promise<LoginResult> {
      const { user, ...issued } = await sessions.refresh(refreshToken, meta);
      return { ...issued, user: toMe(user) };
    },

    /** Ends the session the refresh token belongs to; unknown tokens end nothing. */
    async logout(refreshToken: string): Promise<void> {
      const session = await sessions.sessionOfToken(refreshToken);
      if (!session || session.revokedAt) return;
      const ids = await sessions.revoke(ctx.db, session.userId, 'logout', { only: session.id });
      await sessions.markRevoked(ids);
    },

    pruneSessions: () => sessions.prune(),

    async me(principal: Principal): Promise<TMe> {
      return toMe(await userOrThrow(ctx.db, principal.userId));
    },

    async listSessions(principal: Principal): Promise<TSession[]> {
      const rows = await sessions.live(principal.userId);
      return rows.map((s) => ({
        id: s.id,
        userAgent: s.userAgent,
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        current: s.id === principal.sessionId,
      }));
    },

    /** Ends one of the caller's own sessions; another person's session id is simply not found. */
    async revokeSession(principal: Principal, sessionId: string, actor: Actor): Promise<void> {
      const ids = await sessions.revoke(ctx.db, principal.userId, 'revoked_by_user', { only: sessionId });
      if (ids.length === 0) throw notFound('Session');
      await sessions.markRevoked(ids);
      securityEvent(ctx, 'session_revoked', { userId: principal.userId, sessionId, ip: actor.ip });
    },

    async revokeAllSessions(principal: Principal, actor: Actor): Promise<number> {
      const ids = await sessions.revoke(ctx.db, principal.userId, 'logout_everywhere');
      await sessions.markRevoked(ids);
      securityEvent(ctx, 'session_revoked', { userId: principal.userId, count: ids.length, ip: actor.ip });
      return ids.length;
    },

    /** Changes the caller's password and ends their other sessions. */
    async changePassword(principal: Principal, body: TChangePasswordBody, actor: Actor): Promise<void> {
      const user = await userOrThrow(ctx.db, principal.userId);
      await confirmPassword(user, body.currentPassword, 'body.currentPassword', actor);
      assertStrongPassword(body.newPassword, policy(user), 'body.newPassword');
      const passwordHash = await hashPassword(body.newPassword);
      const revoked = await ctx.db.transaction(async (tx) => {
        await repo.updateUser(tx, user.id, { passwordHash, passwordChangedAt: clock.now() }, clock.now());
        await recordAudit(tx, actor, {
          action: 'user.password_changed',
          entityType: 'user',
          entityId: user.id,
        });
        return sessions.revoke(tx, user.id, 'password_changed', { keep: principal.sessionId });
      });
      await sessions.markRevoked(revoked);
      securityEvent(ctx, 'password_changed', {
        userId: user.id,
        revokedSessions: revoked.length,
        ip: actor.ip,
      });
    },

    async register(body: TRegisterBody, actor: Actor): Promise<TUser> {
      if (!config.auth.allowRegistration) throw notFound('Registration');
      const user = await service.createUser(
        { ...body, role: 'employee' },
        { ...actor, label: actor.label ?? 'self-registration' },
      );
      securityEvent(ctx, 'user_registered', { userId: user.id, ip: actor.ip });
      return user;
    },

    // --- TOTP ---

    async totpSetup(principal: Principal) {
      const user = await userOrThrow(ctx.db, principal.userId);
      if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already on');
      const secret = newTotpSecret();
      // Stored sealed and not yet enabled: logins ignore it until a code confirms the app has it.
      await repo.updateUser(
        ctx.db,
        user.id,
        { totpSecret: seal(keys.totp, secret), totpLastStep: null },
        clock.now(),
      );
      return totpEnrolment(secret, `${user.username} (${new URL(config.app.publicUrl).host})`);
    },

    async totpConfirm(principal: Principal, code: string, actor: Actor): Promise<string[]> {
      const user = await userOrThrow(ctx.db, principal.userId);
      if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already on');
      const secret = user.totpSecret ? unseal(keys.totp, user.totpSecret) : null;
      if (!secret) throw new AppError('conflict', 'Start the setup first');
      const step = verifyTotp(secret, code, clock.now(), null);
      if (step === null) {
        securityEvent(ctx, 'totp_failed', { userId: user.id, ip: actor.ip, stage: 'enrolment' });
        throw new AppError('unprocessable', 'The code does not match', {
          errors: [
            { path: 'body.code', code: 'totp_invalid', message: 'Wrong code; check the time on your phone' },
          ],
        });
      }
      const codes = newRecoveryCodes();
      await ctx.db.transaction(async (tx) => {
        await repo.updateUser(tx, user.id, { totpEnabledAt: clock.now(), totpLastStep: step }, clock.now());
        await repo.replaceRecoveryCodes(tx, user.id, codes.map(hashRecoveryCode));
        await recordAudit(tx, actor, { action: 'user.totp_enabled', entityType: 'user', entityId: user.id });
      });
      securityEvent(ctx, 'totp_enabled', { userId: user.id, ip: actor.ip });
      return codes;
    },

    /** New recovery codes (the old ones stop working), after the password. */
    async regenerateRecoveryCodes(principal: Principal, password: string, actor: Actor): Promise<string[]> {
      const user = await userOrThrow(ctx.db, principal.userId);
      await confirmPassword(user, password, 'body.password', actor);
      if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is off');
      const codes = newRecoveryCodes();
      await ctx.db.transaction(async (tx) => {
        await repo.replaceRecoveryCodes(tx, user.id, codes.map(hashRecoveryCode));
        await recordAudit(tx, actor, {
          action: 'user.recovery_codes_regenerated',
          entityType: 'user',
          entityId: user.id,
        });
      });
      return codes;
    },

    async totpDisable(principal: Principal, password: string, actor: Actor): Promise<void> {
      const user = await userOrThrow(ctx.db, principal.userId);
      await confirmPassword(user, password, 'body.password', actor);
      if (totpRoles.has(user.role)) {
        throw new AppError(
          'conflict',
          `Accounts with the ${user.role} role must keep two-factor authentication`,
        );
      }
      await removeSecondFactor(user.id, actor);
    },

    // --- account administration ---

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
        rows.map(({ event, _k }) => ({ ...event, occurredAt: event.occurredAt.toISOString(), _k })),
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
        const after = await repo.updateUser(tx, id, patch, clock.now()).catch(uniqueConflict);
        await recordAudit(tx, actor, {
          action: 'user.updated',
          entityType: 'user',
          entityId: id,
          before: toUser(before),
          after: toUser(after),
        });
        const ended = deactivated && before.active ? await sessions.revoke(tx, id, 'deactivated') : [];
        return { user: after, revoked: ended };
      });
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
      assertStrongPassword(password, policy(target));
      const passwordHash = await hashPassword(password);
      const revoked = await ctx.db.transaction(async (tx) => {
        await repo.updateUser(tx, id, { passwordHash, passwordChangedAt: clock.now() }, clock.now());
        await recordAudit(tx, actor, { action: 'user.password_reset', entityType: 'user', entityId: id });
        return sessions.revoke(tx, id, 'password_reset');
      });
      await sessions.markRevoked(revoked);
      await sessions.invalidateAccessTokens(id);
      securityEvent(ctx, 'password_reset', { userId: id, by: actor.userId, ip: actor.ip });
    },

    /**
     * On an empty database, creates the first admin from ADMIN_* or with a generated password printed
     * once. An advisory lock held for the transaction makes replicas starting together create one admin.
     */
    async ensureFirstAdmin(print: (text: string) => void): Promise<TUser | null> {
      if (await repo.anyUser(ctx.db)) return null; // the usual boot: skip hashing a password for nothing
      const { adminUsername, adminPassword, adminEmail } = config.auth;
      const username = adminUsername ?? 'admin';
      const password = adminPassword ?? generatePassword();
      if (adminPassword)
        assertStrongPassword(adminPassword, policy({ username, email: adminEmail }), 'ADMIN_PASSWORD');
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

export type IdentityService = ReturnType<typeof createIdentityService>;
