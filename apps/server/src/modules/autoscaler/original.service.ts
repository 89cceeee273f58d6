import type { TOriginalCredentials, TTokenResponse, TUser } from '@clockpilot/contracts';
import type { Actor } from '../../platform/audit';
import { type AppContext, moduleApi } from '../../platform/context';

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
    register: (body: TOriginalCredentials, actor: Actor): Promise<TUser> =>
      identity().register({ ...body, email: `${body.username.toLowerCase()}@users.invalid` }, actor),
    login: (body: TOriginalCredentials, actor: Actor): Promise<TTokenResponse> =>
      identity().login({ login: body.username, password: body.password }, actor),
  };
}
