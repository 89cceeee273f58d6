import type { TRole } from '@clockpilot/contracts';
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  isNotNull,
  isNull,
  lt,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import type { SortKey } from '../../platform/pagination';
import {
  authSessions,
  type RefreshTokenRow,
  refreshTokens,
  type SessionRow,
  totpRecoveryCodes,
  type UserRow,
  users,
} from './identity.tables';

export type NewUser = {
  username: string;
  email: string;
  displayName: string;
  role: TRole;
  timeZone: string;
  passwordHash: string | null;
  at: Date;
};

export type UserPatch = Partial<
  Pick<
    UserRow,
    | 'displayName'
    | 'email'
    | 'role'
    | 'active'
    | 'timeZone'
    | 'passwordHash'
    | 'passwordChangedAt'
    | 'totpSecret'
    | 'totpEnabledAt'
    | 'totpLastStep'
    | 'preferences'
  >
>;

export type UserListFilter = { role?: TRole; active?: boolean; q?: string };
/** The keyset part of a list query (platform/pagination.ts). */
export type PageSpec = { key: SQL<string>; where: SQL | undefined; orderBy: SQL[]; fetch: number };

export const USER_KEYSET = {
  sorts: {
    username: { expr: sql`lower(${users.username})`, type: 'text' },
    createdAt: { expr: users.createdAt, type: 'timestamptz' },
    role: { expr: users.role, type: 'text' },
  } satisfies Record<string, SortKey>,
  id: users.id,
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const identityRepo = {
  async insertUser(db: DbOrTx, u: NewUser): Promise<UserRow> {
    const [row] = await db
      .insert(users)
      .values({
        username: u.username,
        email: u.email,
        displayName: u.displayName,
        role: u.role,
        timeZone: u.timeZone,
        passwordHash: u.passwordHash,
        passwordChangedAt: u.passwordHash ? u.at : null,
        createdAt: u.at,
        updatedAt: u.at,
      })
      .returning();
    return row!;
  },

  async userById(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
    const q = db.select().from(users).where(eq(users.id, id));
    const [row] = opts.forUpdate ? await q.for('update') : await q;
    return row;
  },

  /** By username or email, whatever the case. */
  async userByLogin(db: DbOrTx, login: string): Promise<UserRow | undefined> {
    const l = login.toLowerCase();
    const [row] = await db
      .select()
      .from(users)
      .where(or(sql`lower(${users.username}) = ${l}`, sql`lower(${users.email}) = ${l}`))
      .limit(1);
    return row;
  },

  async updateUser(db: DbOrTx, id: string, patch: UserPatch, at: Date): Promise<UserRow> {
    const [row] = await db
      .update(users)
      .set({ ...patch, updatedAt: at })
      .where(eq(users.id, id))
      .returning();
    return row!;
  },

  /** Records the TOTP step just used; false when that step (or a later one) was already used. */
  async advanceTotpStep(db: DbOrTx, id: string, step: number): Promise<boolean> {
    const rows = await db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, id), sql`coalesce(${users.totpLastStep}, -1) < ${step}`))
      .returning({ id: users.id });
    return rows.length > 0;
  },

  /** A transaction-scoped advisory lock: one holder at a time across every replica. */
  async lockForTransaction(tx: DbOrTx, key: number): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
  },

  async markSignedIn(db: DbOrTx, userId: string, at: Date) {
    await db.update(users).set({ lastSignInAt: at }).where(eq(users.id, userId));
  },

  async anyAdminSignedIn(db: DbOrTx): Promise<boolean> {
    const rows = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), isNotNull(users.lastSignInAt)))
      .limit(1);
    return rows.length > 0;
  },

  async anyUser(db: DbOrTx): Promise<boolean> {
    const rows = await db.select({ id: users.id }).from(users).limit(1);
    return rows.length > 0;
  },

  /**
   * Locks every active admin row and returns their ids. Two admins demoting each other at once then
   * queue behind each other, and the second sees the first's change.
   */
  async lockActiveAdmins(tx: DbOrTx): Promise<string[]> {
    const rows = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true)))
      .orderBy(asc(users.id))
      .for('update');
    return rows.map((r) => r.id);
  },

  async listUsers(db: DbOrTx, f: UserListFilter, page: PageSpec): Promise<Array<UserRow & { _k: string }>> {
    const where: Array<SQL | undefined> = [page.where];
    if (f.role) where.push(eq(users.role, f.role));
    if (f.active !== undefined) where.push(eq(users.active, f.active));
    if (f.q) {
      const like = `%${escapeLike(f.q.toLowerCase())}%`;
      where.push(
        or(
          sql`lower(${users.username}) like ${like}`,
          sql`lower(${users.email}) like ${like}`,
          sql`lower(${users.displayName}) like ${like}`,
        ),
      );
    }
    return db
      .select({ ...getTableColumns(users), _k: page.key })
      .from(users)
      .where(and(...where))
      .orderBy(...page.orderBy)
      .limit(page.fetch);
  },

  // --- sessions and refresh tokens ---

  async insertSession(
    db: DbOrTx,
    s: { userId: string; at: Date; expiresAt: Date; ip?: string; userAgent?: string },
  ): Promise<SessionRow> {
    const [row] = await db
      .insert(authSessions)
      .values({
        userId: s.userId,
        createdAt: s.at,
        lastUsedAt: s.at,
        expiresAt: s.expiresAt,
        ip: s.ip ?? null,
        userAgent: s.userAgent ?? null,
      })
      .returning();
    return row!;
  },

  async insertRefreshToken(db: DbOrTx, t: { sessionId: string; tokenHash: string; at: Date }) {
    const [row] = await db
      .insert(refreshTokens)
      .values({ sessionId: t.sessionId, tokenHash: t.tokenHash, issuedAt: t.at })
      .returning();
    return row!;
  },

  /** The token and its session, the session row locked: every refresh of a family runs one at a time. */
  async refreshTokenForUpdate(
    tx: DbOrTx,
    tokenHash: string,
  ): Promise<{ token: RefreshTokenRow; session: SessionRow } | undefined> {
    const [row] = await tx
      .select({ token: refreshTokens, session: authSessions })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .for('update', { of: authSessions });
    if (!row) return undefined;
    // Re-read the token after the lock: a concurrent refresh may have just used it.
    const [token] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, row.token.id));
    return { token: token!, session: row.session };
  },

  async sessionByTokenHash(db: DbOrTx, tokenHash: string): Promise<SessionRow | undefined> {
    const [row] = await db
      .select({ session: authSessions })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, tokenHash));
    return row?.session;
  },

  async refreshTokenById(db: DbOrTx, id: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.id, id));
    return row;
  },

  async markRefreshTokenUsed(
    db: DbOrTx,
    id: string,
    r: { at: Date; replacedBy: string; sealedSuccessor: string },
  ): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ usedAt: r.at, replacedBy: r.replacedBy, sealedSuccessor: r.sealedSuccessor })
      .where(eq(refreshTokens.id, id));
  },

  async touchSession(db: DbOrTx, id: string, at: Date): Promise<void> {
    await db.update(authSessions).set({ lastUsedAt: at }).where(eq(authSessions.id, id));
  },

  /** Live sessions of a user (not revoked, not past their absolute or idle end). */
  async liveSessions(db: DbOrTx, userId: string, now: Date, idleSince: Date): Promise<SessionRow[]> {
    return db
      .select()
      .from(authSessions)
      .where(
        and(
          eq(authSessions.userId, userId),
          isNull(authSessions.revokedAt),
          gt(authSessions.expiresAt, now),
          gt(authSessions.lastUsedAt, idleSince),
        ),
      )
      .orderBy(desc(authSessions.lastUsedAt));
  },

  /** Revokes the user's unrevoked sessions, except `keep`; returns the ids revoked. */
  async revokeSessions(
    db: DbOrTx,
    userId: string,
    r: { at: Date; reason: string; keep?: string; only?: string },
  ): Promise<string[]> {
    const rows = await db
      .update(authSessions)
      .set({ revokedAt: r.at, revokedReason: r.reason })
      .where(
        and(
          eq(authSessions.userId, userId),
          isNull(authSessions.revokedAt),
          r.keep ? ne(authSessions.id, r.keep) : undefined,
          r.only ? eq(authSessions.id, r.only) : undefined,
        ),
      )
      .returning({ id: authSessions.id });
    return rows.map((x) => x.id);
  },

  /** Deletes sessions (and, by cascade, their refresh tokens) that ended before `endedBefore`. */
  async deleteEndedSessions(db: DbOrTx, endedBefore: Date, idleLimitMs: number): Promise<number> {
    const rows = await db
      .delete(authSessions)
      .where(
        or(
          lt(authSessions.revokedAt, endedBefore),
          lt(authSessions.expiresAt, endedBefore),
          lt(authSessions.lastUsedAt, new Date(endedBefore.getTime() - idleLimitMs)),
        ),
      )
      .returning({ id: authSessions.id });
    return rows.length;
  },

  // --- TOTP recovery codes ---

  async replaceRecoveryCodes(db: DbOrTx, userId: string, hashes: string[]): Promise<void> {
    await db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, userId));
    if (hashes.length > 0)
      await db.insert(totpRecoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
  },

  /** Spends a recovery code; false when it is unknown or already used. */
  async useRecoveryCode(db: DbOrTx, userId: string, codeHash: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(totpRecoveryCodes)
      .set({ usedAt: at })
      .where(
        and(
          eq(totpRecoveryCodes.userId, userId),
          eq(totpRecoveryCodes.codeHash, codeHash),
          isNull(totpRecoveryCodes.usedAt),
        ),
      )
      .returning({ id: totpRecoveryCodes.id });
    return rows.length > 0;
  },
};
