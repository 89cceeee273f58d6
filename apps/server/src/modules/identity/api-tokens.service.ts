import { createHash, randomBytes } from 'node:crypto';
import {
  API_TOKEN_PREFIX,
  type TApiToken,
  type TApiTokenCreated,
  type TApiTokenScope,
  type TCreateApiTokenBody,
} from '@clockpilot/contracts';
import { type Actor, recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError, forbidden, notFound, unprocessable } from '../../platform/errors';
import { apiTokensRepo as repo, TOUCH_EVERY_MS } from './api-tokens.repo';
import type { ApiTokenRow } from './api-tokens.tables';
import type { Sessions } from './sessions';

const DAY_MS = 86_400_000;
const DEFAULT_LIFETIME_DAYS = 90;
const MAX_LIFETIME_DAYS = 366;
/** cpat_ + 32 random bytes in base64url. */
const TOKEN_SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export const isApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX);
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const invalidToken = () =>
  new AppError('unauthenticated', 'The API token is not valid', {
    headers: { 'www-authenticate': 'Bearer realm="clockpilot", error="invalid_token"' },
  });

function toApiToken(row: ApiTokenRow): TApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export function createApiTokenService(
  ctx: AppContext,
  sessions: Pick<Sessions, 'account' | 'apiToken' | 'apiTokenChanged'>,
) {
  const { clock } = ctx;

  /** A token cannot mint or revoke tokens: that takes a signed-in person (and their second factor). */
  function assertInteractive(principal: Principal) {
    if (principal.apiTokenId)
      throw forbidden('API tokens are managed from a signed-in session, not with a token');
  }

  return {
    async create(principal: Principal, body: TCreateApiTokenBody, actor: Actor): Promise<TApiTokenCreated> {
      assertInteractive(principal);
      const now = clock.now();
      const expiresAt = body.expiresAt
        ? new Date(body.expiresAt)
        : new Date(now.getTime() + DEFAULT_LIFETIME_DAYS * DAY_MS);
      if (expiresAt <= now) throw unprocessable('body.expiresAt', 'The expiry must be in the future');
      if (expiresAt.getTime() - now.getTime() > MAX_LIFETIME_DAYS * DAY_MS) {
        throw unprocessable('body.expiresAt', `A token lives at most ${MAX_LIFETIME_DAYS} days`);
      }
      // Write implies read: a token that may change data may also look at it.
      const scopes: TApiTokenScope[] = body.scopes.includes('write') ? ['read', 'write'] : ['read'];
      const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const row = await ctx.db.transaction(async (tx) => {
        const inserted = await repo.insert(tx, {
          userId: principal.userId,
          name: body.name,
          tokenHash: hashToken(token),
          prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
          scopes,
          createdAt: now,
          expiresAt,
        });
        await recordAudit(tx, actor, {
          action: 'api_token.created',
          entityType: 'api_token',
          entityId: inserted.id,
          after: toApiToken(inserted),
        });
        return inserted;
      });
      return { ...toApiToken(row), token };
    },

    async list(principal: Principal): Promise<TApiToken[]> {
      return (await repo.listForUser(ctx.db, principal.userId)).map(toApiToken);
    },

    async revoke(principal: Principal, id: string, actor: Actor): Promise<void> {
      assertInteractive(principal);
      const revoked = await ctx.db.transaction(async (tx) => {
        const row = await repo.revoke(tx, principal.userId, id, clock.now());
        if (!row) throw notFound('API token');
        await recordAudit(tx, actor, {
          action: 'api_token.revoked',
          entityType: 'api_token',
          entityId: row.id,
          before: toApiToken(row),
        });
        return row;
      });
      await sessions.apiTokenChanged(revoked.tokenHash);
    },

    /**
     * `cpat_…` bearer → principal with the token's scopes and the owner's current role. Tokens serve the
     * business API; the account itself (password, second factor, sessions) takes a signed-in person.
     */
    async authenticate(token: string, opts: { authRoute: boolean }): Promise<Principal> {
      if (!TOKEN_SHAPE.test(token)) throw invalidToken();
      const hash = hashToken(token);
      // The token's row and its owner's come from the process's memo, which a revocation, a role
      // change or a deactivation empties on every replica once committed: no statement per call.
      const row = await sessions.apiToken(hash, () => repo.findByHash(ctx.db, hash));
      const owner = row && (await sessions.account(row.userId));
      const now = clock.now();
      if (!row || row.revokedAt || row.expiresAt <= now || !owner?.active) throw invalidToken();
      if (opts.authRoute) throw forbidden('API tokens cannot manage the account; sign in instead');
      // Most calls send no update at all; the remembered row keeps the last touch of this process.
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
        row.lastUsedAt = now;
        await repo.touch(ctx.db, row.id, now);
      }
      return { userId: row.userId, role: owner.role, apiTokenId: row.id, scopes: row.scopes };
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
