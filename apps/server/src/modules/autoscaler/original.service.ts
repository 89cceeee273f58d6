import type {
  TOriginalCredentials,
  TOriginalRegistered,
  TOriginalTokenResponse,
} from '@clockpilot/contracts';
import type { Actor } from '../../platform/audit';
import { type AppContext, moduleApi } from '../../platform/context';
import { AppError } from '../../platform/errors';

/**
 * The original Autoscaler system's sign-up and sign-in (`{"username","password"}`), on identity's
 * public API: the same password rules, rate limits and audit as ours.
 */
export function createOriginalAuthService(ctx: AppContext) {
  const identity = () => moduleApi(ctx, 'identity');
  return {
    /**
     * The original asks for no email; ours needs one, so the account gets an address under the
     * reserved `.invalid` domain (RFC 2606) that its owner can replace with a real one.
     */
    register: async (body: TOriginalCredentials, actor: Actor): Promise<TOriginalRegistered> => {
      const email = `${body.username.toLowerCase()}@users.invalid`;
      try {
        return {
          ...(await identity().register({ ...body, email }, actor)),
          message: 'user registered successfully',
        };
      } catch (err) {
        // The original answers a password its rules refuse as any other bad field: 400.
        if (err instanceof AppError && err.code === 'weak_password')
          throw new AppError('validation_failed', err.message, err.details);
        throw err;
      }
    },
    /** Ours (`accessToken`, `expiresIn`, `user`) and the original's names for the same (`token`, …). */
    login: async (body: TOriginalCredentials, actor: Actor): Promise<TOriginalTokenResponse> => {
      const signedIn = await identity().login({ login: body.username, password: body.password }, actor);
      return {
        ...signedIn,
        token: signedIn.accessToken,
        expires_in: signedIn.expiresIn,
        username: signedIn.user.username,
      };
    },
  };
}
