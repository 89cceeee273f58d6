import type { AppContext } from '../../platform/context';
import type { UserRow } from './identity.tables';
import { createSessions } from './sessions';
import { createSessionsService } from './sessions.service';
import type { AccessTokens } from './tokens';
import { createTotpService } from './totp.service';
import { createUsersService } from './users.service';

/**
 * The identity service as routes and other modules see it: accounts (users.service.ts), sign-in and
 * sessions (sessions.service.ts) and the second factor (totp.service.ts), composed into one object.
 */
export function createIdentityService(ctx: AppContext, tokens: AccessTokens, keys: { totp: Uint8Array }) {
  const totpRoles = new Set<string>(ctx.config.auth.requireTotpRoles);
  const enrolmentPending = (u: UserRow) => totpRoles.has(u.role) && !u.totpEnabledAt;
  const sessions = createSessions(ctx, tokens, enrolmentPending);
  const { checkSecondFactor, removeSecondFactor, ...totp } = createTotpService(
    ctx,
    keys.totp,
    totpRoles,
    sessions,
  );
  const service = {
    ...createUsersService(ctx, sessions, removeSecondFactor),
    ...createSessionsService(ctx, tokens, sessions, checkSecondFactor, enrolmentPending),
    ...totp,
  };
  // The sessions' memo also serves API tokens (api-tokens.service.ts), so one channel forgets both.
  return { service, sessions };
}

export type IdentityService = ReturnType<typeof createIdentityService>['service'];
