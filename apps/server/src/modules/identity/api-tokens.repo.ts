import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { type ApiTokenRow, apiTokens } from './api-tokens.tables';

export type NewApiToken = Pick<
  ApiTokenRow,
  'userId' | 'name' | 'tokenHash' | 'prefix' | 'scopes' | 'createdAt' | 'expiresAt'
>;

/** Last-used is written at most this often per token, not on every request. */
export const TOUCH_EVERY_MS = 60_000;

export const apiTokensRepo = {
  async insert(db: DbOrTx, t: NewApiToken): Promise<ApiTokenRow> {
    const [row] = await db.insert(apiTokens).values(t).returning();
    return row!;
  },

  async listForUser(db: DbOrTx, userId: string): Promise<ApiTokenRow[]> {
    return db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  },

  /** Revokes one of the user's live tokens; undefined when they have no such token. */
  async revoke(db: DbOrTx, userId: string, id: string, at: Date): Promise<ApiTokenRow | undefined> {
    const [row] = await db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning();
    return row;
  },

  async findByHash(db: DbOrTx, tokenHash: string): Promise<ApiTokenRow | undefined> {
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
    return row;
  },

  async touch(db: DbOrTx, id: string, at: Date): Promise<void> {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: at })
      .where(
        and(
          eq(apiTokens.id, id),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(at.getTime() - TOUCH_EVERY_MS))),
        ),
      );
  },
};
