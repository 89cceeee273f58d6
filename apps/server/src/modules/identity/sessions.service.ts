import type { TChangePasswordBody, TLoginBody, TMe, TPreferences, TSession } from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError, notFound } from '../../platform/errors';
import { securityEvent } from './events';
import { identityRepo as repo } from './identity.repo';
import type { UserRow } from './identity.tables';
import {
  assertStrongPassword,
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords';
import type { IssuedTokens, SessionMeta, Sessions } from './sessions';
import type { AccessTokens } from './tokens';
import type { TotpService } from './totp.service';
import { confirmPassword, passwordPolicy, toUser, userOrThrow } from './users.service';

export type LoginResult = IssuedTokens & { user: TMe };

const invalidCredentials = () => new AppError('unauthenticated', 'Wrong username or password');

/** Signing in and out, access tokens, the caller's own sessions and password. */
export function createSessionsService(
  ctx: AppContext,
  tokens: AccessTokens,
  sessions: Sessions,
  checkSecondFactor: TotpService['checkSecondFactor'],
  enrolmentPending: (u: UserRow) => boolean,
) {
  const { clock } = ctx;

  const toMe = (row: UserRow): TMe => ({
    ...toUser(row),
    preferences: row.preferences,
    totpEnabled: !!row.totpEnabledAt,
    totpEnrollmentRequired: enrolmentPending(row),
    hasPassword: !!row.passwordHash,
  });

  return {
    /** A new login session for an already authenticated user (password, SSO). */
    async startSession(userId: string, meta: SessionMeta): Promise<IssuedTokens> {
      const user = await userOrThrow(ctx.db, userId);
      const issued = await sessions.start(user, meta);
      securityEvent(ctx, 'login_succeeded', { userId, sessionId: issued.sessionId, ip: meta.ip });
      return issued;
    },

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
      const row = await sessions.account(principal.userId);
      if (!row) throw notFound('User');
      return toMe(row);
    },

    /** Replaces the caller's preferences; every replica's remembered account forgets the old ones. */
    async savePreferences(principal: Principal, preferences: TPreferences): Promise<TPreferences> {
      const row = await repo.updateUser(ctx.db, principal.userId, { preferences }, clock.now());
      await sessions.accountChanged(principal.userId);
      return row.preferences;
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
      await confirmPassword(ctx, user, body.currentPassword, 'body.currentPassword', actor);
      assertStrongPassword(body.newPassword, passwordPolicy(ctx, user), 'body.newPassword');
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
      await sessions.accountChanged(user.id);
      await sessions.markRevoked(revoked);
      securityEvent(ctx, 'password_changed', {
        userId: user.id,
        revokedSessions: revoked.length,
        ip: actor.ip,
      });
    },
  };
}
