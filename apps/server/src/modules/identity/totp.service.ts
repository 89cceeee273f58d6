import type { Actor } from '../../platform/audit';
import { recordAudit } from '../../platform/audit';
import type { Principal } from '../../platform/auth';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { securityEvent } from './events';
import { identityRepo as repo } from './identity.repo';
import type { UserRow } from './identity.tables';
import type { SessionMeta, Sessions } from './sessions';
import { seal, unseal } from './tokens';
import {
  hashRecoveryCode,
  isRecoveryCodeShape,
  newRecoveryCodes,
  newTotpSecret,
  totpEnrolment,
  verifyTotp,
} from './totp';
import { confirmPassword, userOrThrow } from './users.service';

/**
 * The second factor: enrolment, recovery codes, switching it off, and checking a code at login.
 * Secrets are stored sealed under `totpKey`; roles in `requiredFor` must keep it on.
 */
export function createTotpService(
  ctx: AppContext,
  totpKey: Uint8Array,
  requiredFor: ReadonlySet<string>,
  sessions: Pick<Sessions, 'accountChanged'>,
) {
  const { config, clock } = ctx;

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
    await sessions.accountChanged(userId);
    securityEvent(ctx, 'totp_disabled', { userId, by: actor.userId, ip: actor.ip });
  }

  return {
    removeSecondFactor,

    /** Checks a TOTP code or a recovery code; records the step or spends the code. */
    async checkSecondFactor(user: UserRow, given: string, meta: SessionMeta): Promise<boolean> {
      const now = clock.now();
      if (isRecoveryCodeShape(given)) {
        const used = await repo.useRecoveryCode(ctx.db, user.id, hashRecoveryCode(given), now);
        if (used) securityEvent(ctx, 'recovery_code_used', { userId: user.id, ip: meta.ip });
        return used;
      }
      const secret = user.totpSecret ? unseal(totpKey, user.totpSecret) : null;
      const step = secret ? verifyTotp(secret, given, now, user.totpLastStep) : null;
      if (step === null) return false;
      // Only a step later than the last accepted one may pass, even for two logins racing with one code.
      return repo.advanceTotpStep(ctx.db, user.id, step);
    },

    async totpSetup(principal: Principal) {
      const user = await userOrThrow(ctx.db, principal.userId);
      if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already on');
      const secret = newTotpSecret();
      // Stored sealed and not yet enabled: logins ignore it until a code confirms the app has it.
      await repo.updateUser(
        ctx.db,
        user.id,
        { totpSecret: seal(totpKey, secret), totpLastStep: null },
        clock.now(),
      );
      await sessions.accountChanged(user.id);
      return totpEnrolment(secret, `${user.username} (${new URL(config.app.publicUrl).host})`);
    },

    async totpConfirm(principal: Principal, code: string, actor: Actor): Promise<string[]> {
      const user = await userOrThrow(ctx.db, principal.userId);
      if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already on');
      const secret = user.totpSecret ? unseal(totpKey, user.totpSecret) : null;
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
      await sessions.accountChanged(user.id);
      securityEvent(ctx, 'totp_enabled', { userId: user.id, ip: actor.ip });
      return codes;
    },

    /** New recovery codes (the old ones stop working), after the password. */
    async regenerateRecoveryCodes(principal: Principal, password: string, actor: Actor): Promise<string[]> {
      const user = await userOrThrow(ctx.db, principal.userId);
      await confirmPassword(ctx, user, password, 'body.password', actor);
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
      await confirmPassword(ctx, user, password, 'body.password', actor);
      if (requiredFor.has(user.role)) {
        throw new AppError(
          'conflict',
          `Accounts with the ${user.role} role must keep two-factor authentication`,
        );
      }
      await removeSecondFactor(user.id, actor);
    },
  };
}

export type TotpService = ReturnType<typeof createTotpService>;
