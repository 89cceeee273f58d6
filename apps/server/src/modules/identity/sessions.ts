import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import type { DbOrTx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { securityEvent } from './events';
import { identityRepo as repo } from './identity.repo';
import type { SessionRow, UserRow } from './identity.tables';
import { createRevocationMemo } from './revocation-memo';
import { type AccessTokens, deriveKey, newRefreshToken, seal, sha256, unseal } from './tokens';

export type SessionMeta = { ip?: string; userAgent?: string };

export type IssuedTokens = {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
  /** Seconds until the session's absolute end: the refresh cookie's Max-Age. */
  refreshExpiresIn: number;
};

const HOUR = 3_600_000;
const SESSION_RETENTION_MS = 30 * 24 * HOUR;
const revokedKey = (sid: string) => `identity:session-revoked:${sid}`;
const authzKey = (userId: string) => `identity:authz-version:${userId}`;
const accountKey = (userId: string) => `identity:account:${userId}`;
const apiTokenKey = (tokenHash: string) => `identity:api-token:${tokenHash}`;
/** The successor refresh token is sealed under a key only the holder of its predecessor can derive. */
const successorKey = (previous: string) => deriveKey(previous, 'refresh-successor');

const sessionEnded = () => new AppError('unauthenticated', 'The session has ended; sign in again');

/**
 * Login sessions (refresh-token families, RFC 9700 §4.14.2): each refresh rotates the token; presenting
 * a spent token again revokes the family, except the one just replaced within the grace window (two
 * tabs refreshing at once), which answers with the same successor.
 */
export function createSessions(
  ctx: AppContext,
  tokens: AccessTokens,
  enrolmentPending: (u: UserRow) => boolean,
) {
  const { config, clock } = ctx;
  const graceMs = config.auth.refreshGraceSeconds * 1000;
  const idleMs = config.auth.refreshIdleHours * HOUR;
  const absoluteMs = config.auth.refreshDays * 24 * HOUR;
  const accessTtl = tokens.lifetimeSeconds;
  const memo = createRevocationMemo(ctx);

  const sign = async (user: UserRow, sid: string) => {
    const av = await ctx.cache.get(authzKey(user.id));
    return tokens.sign({
      sub: user.id,
      role: user.role,
      sid,
      ...(enrolmentPending(user) ? { enr: true } : {}),
      ...(av ? { av } : {}),
    });
  };

  const issued = async (user: UserRow, session: SessionRow, refreshToken: string): Promise<IssuedTokens> => ({
    accessToken: await sign(user, session.id),
    expiresIn: accessTtl,
    refreshToken,
    sessionId: session.id,
    refreshExpiresIn: Math.floor((session.expiresAt.getTime() - clock.now().getTime()) / 1000),
  });

  /** Access tokens of these sessions stop working now, not when they expire. */
  async function markRevoked(sessionIds: string[]) {
    await Promise.all(
      sessionIds.map(async (sid) => {
        await ctx.cache.set(revokedKey(sid), '1', accessTtl + 60);
        await memo.changed(revokedKey(sid));
      }),
    );
  }

  const isLive = (s: SessionRow, now: Date) =>
    !s.revokedAt && s.expiresAt > now && s.lastUsedAt.getTime() + idleMs > now.getTime();

  return {
    async start(user: UserRow, meta: SessionMeta): Promise<IssuedTokens> {
      if (!user.active) throw new AppError('unauthenticated', 'This account is deactivated');
      const now = clock.now();
      const refreshToken = newRefreshToken();
      const session = await ctx.db.transaction(async (tx) => {
        const s = await repo.insertSession(tx, {
          userId: user.id,
          at: now,
          expiresAt: new Date(now.getTime() + absoluteMs),
          ip: meta.ip,
          userAgent: meta.userAgent?.slice(0, 500),
        });
        await repo.insertRefreshToken(tx, { sessionId: s.id, tokenHash: sha256(refreshToken), at: now });
        await repo.markSignedIn(tx, user.id, now);
        return s;
      });
      return issued(user, session, refreshToken);
    },

    async refresh(presented: string, meta: SessionMeta): Promise<IssuedTokens & { user: UserRow }> {
      const now = clock.now();
      const outcome = await ctx.db.transaction(async (tx) => {
        const found = await repo.refreshTokenForUpdate(tx, sha256(presented));
        if (!found) return { kind: 'unknown' as const };
        const { token, session } = found;
        if (!isLive(session, now)) {
          if (!session.revokedAt)
            await repo.revokeSessions(tx, session.userId, { at: now, reason: 'expired', only: session.id });
          return { kind: 'ended' as const };
        }
        const user = await repo.userById(tx, session.userId);
        if (!user?.active) {
          await repo.revokeSessions(tx, session.userId, {
            at: now,
            reason: 'user_inactive',
            only: session.id,
          });
          return { kind: 'ended' as const };
        }

        if (!token.usedAt) {
          const next = newRefreshToken();
          const row = await repo.insertRefreshToken(tx, {
            sessionId: session.id,
            tokenHash: sha256(next),
            at: now,
          });
          await repo.markRefreshTokenUsed(tx, token.id, {
            at: now,
            replacedBy: row.id,
            sealedSuccessor: seal(successorKey(presented), next),
          });
          await repo.touchSession(tx, session.id, now);
          return { kind: 'ok' as const, user, session, refreshToken: next };
        }

        // Spent already: the twin of a concurrent refresh, or a stolen copy being replayed.
        const successor = token.replacedBy ? await repo.refreshTokenById(tx, token.replacedBy) : undefined;
        const withinGrace = now.getTime() - token.usedAt.getTime() <= graceMs;
        const again =
          withinGrace && successor && !successor.usedAt && token.sealedSuccessor
            ? unseal(successorKey(presented), token.sealedSuccessor)
            : null;
        if (again) {
          await repo.touchSession(tx, session.id, now);
          return { kind: 'ok' as const, user, session, refreshToken: again };
        }
        await repo.revokeSessions(tx, session.userId, {
          at: now,
          reason: 'refresh_token_reuse',
          only: session.id,
        });
        return { kind: 'reuse' as const, session };
      });

      switch (outcome.kind) {
        case 'ok':
          return {
            ...(await issued(outcome.user, outcome.session, outcome.refreshToken)),
            user: outcome.user,
          };
        case 'reuse':
          await markRevoked([outcome.session.id]);
          securityEvent(
            ctx,
            'refresh_token_reuse',
            { userId: outcome.session.userId, sessionId: outcome.session.id, ip: meta.ip },
            'a spent refresh token was presented again; the session is revoked',
          );
          throw sessionEnded();
        default:
          throw sessionEnded();
      }
    },

    /** The session a refresh token belongs to, if any (logout). */
    async sessionOfToken(presented: string): Promise<SessionRow | undefined> {
      return repo.sessionByTokenHash(ctx.db, sha256(presented));
    },

    async revoke(
      db: DbOrTx,
      userId: string,
      reason: string,
      which: { keep?: string; only?: string } = {},
    ): Promise<string[]> {
      // The caller marks the ids revoked (markRevoked) once its transaction has committed.
      return repo.revokeSessions(db, userId, { at: clock.now(), reason, ...which });
    },

    markRevoked,

    /**
     * Access tokens the user holds stop working now (role change, deactivation, password reset): tokens
     * carry the user's authorisation version, and this moves it on. It outlives every session, so an
     * old token can never match again.
     */
    async invalidateAccessTokens(userId: string) {
      await ctx.cache.set(authzKey(userId), randomBytes(9).toString('base64url'), absoluteMs / 1000);
      await memo.changed(authzKey(userId));
    },

    /** Whether an access token of this session, signed at authorisation version `av`, may still be used. */
    async accessStillValid(userId: string, sid: string, av: string | undefined): Promise<boolean> {
      const [revoked, current] = await Promise.all([memo.read(revokedKey(sid)), memo.read(authzKey(userId))]);
      return !revoked && current === av;
    },

    /**
     * The account row as last committed, remembered in the process (`/auth/me` on every page load).
     * Whatever changes the row calls `accountChanged` after its commit. Not for decisions that must
     * trust the database (account administration re-reads it).
     */
    account(userId: string): Promise<UserRow | undefined> {
      return memo.read(accountKey(userId), () => repo.userById(ctx.db, userId));
    },

    /** Call once a change to the user's row has committed: every replica reads it again. */
    accountChanged(userId: string): Promise<void> {
      return memo.changed(accountKey(userId));
    },

    /**
     * An API token's row by its hash, remembered like the account row; its owner is read with
     * `account`. Unknown tokens are not remembered: made-up ones would push everything else out.
     */
    apiToken<T>(tokenHash: string, load: () => Promise<T>): Promise<T> {
      return memo.read(apiTokenKey(tokenHash), load, (row) => row != null);
    },

    /** Call once a change to an API token's row (its revocation) has committed. */
    apiTokenChanged(tokenHash: string): Promise<void> {
      return memo.changed(apiTokenKey(tokenHash));
    },

    /**
     * Forgets sessions that ended more than SESSION_RETENTION ago; until then they stay listed for
     * investigations. Idempotent, so replicas may run it side by side.
     */
    async prune(): Promise<number> {
      const endedBefore = new Date(clock.now().getTime() - SESSION_RETENTION_MS);
      return repo.deleteEndedSessions(ctx.db, endedBefore, idleMs);
    },

    async live(userId: string): Promise<SessionRow[]> {
      const now = clock.now();
      return repo.liveSessions(ctx.db, userId, now, new Date(now.getTime() - idleMs));
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
