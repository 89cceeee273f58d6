import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type TSsoError, ZEmail } from '@clockpilot/contracts';
import * as oidc from 'openid-client';
import type { AppContext } from '../../platform/context';
import { identityRepo } from './identity.repo';
import type { IdentityService } from './identity.service';
import type { IssuedTokens, SessionMeta } from './sessions';

/** How long a started sign-in may take at the provider. */
export const OIDC_FLOW_SECONDS = 600;
const SCOPE = 'openid email profile';

/** A refused sign-in; the reason is shown to the person, the detail only logged. */
export class SsoRefused extends Error {
  constructor(
    readonly reason: TSsoError,
    readonly detail?: string,
  ) {
    super(`single sign-on refused: ${reason}`);
  }
}

type Pending = { verifier: string; nonce: string };
const pendingKey = (state: string) => `oidc:state:${createHash('sha256').update(state).digest('base64url')}`;

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A username from the provider's claims that fits the username rule (letters, digits, underscores). */
function usernameFrom(claims: { preferred_username?: unknown; email: string }): string {
  const raw =
    typeof claims.preferred_username === 'string' ? claims.preferred_username : claims.email.split('@')[0]!;
  const base = raw.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return base.length >= 3 ? base : `${base}_user`;
}

/**
 * OpenID Connect sign-in (authorization code + PKCE + state + nonce). The pending flow lives in the
 * shared cache, keyed by the state, which is also bound to the browser by a cookie the routes set, so a
 * callback URL cannot be replayed in another browser (login CSRF).
 */
export function createOidcService(ctx: AppContext, identity: IdentityService) {
  const { config } = ctx;
  const a = config.auth;
  let discovered: Promise<oidc.Configuration> | undefined;

  /** Discovery on first use (and again after a failure), so the server boots while the provider is down. */
  function provider(): Promise<oidc.Configuration> {
    const issuer = new URL(a.oidcIssuer!);
    // Plain-HTTP providers exist only in tests and local development; production insists on TLS.
    const insecure = issuer.protocol === 'http:' && config.app.mode !== 'production';
    discovered ??= oidc
      .discovery(
        issuer,
        a.oidcClientId!,
        a.oidcClientSecret!,
        undefined,
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        ctx.log.app.warn(
          { err: (err as Error).message, issuer: issuer.href },
          'OIDC provider discovery failed',
        );
        throw new SsoRefused('unavailable', (err as Error).message);
      });
    return discovered;
  }

  function refuse(reason: TSsoError, detail: string, fields: Record<string, unknown> = {}): never {
    ctx.metrics.securityEvents.inc({ type: 'sso_refused' });
    ctx.log.security.warn({ event: 'sso_refused', reason, detail, ...fields }, 'single sign-on refused');
    throw new SsoRefused(reason, detail);
  }

  async function provisionedUser(claims: { email: string; name?: unknown; preferred_username?: unknown }) {
    const base = usernameFrom(claims);
    for (let attempt = 0; ; attempt++) {
      const username = attempt === 0 ? base : `${base.slice(0, 43)}_${randomBytes(3).toString('hex')}`;
      try {
        return await identity.createUser(
          {
            username,
            email: claims.email,
            displayName: typeof claims.name === 'string' ? claims.name.slice(0, 100) : undefined,
            role: a.oidcDefaultRole,
            password: null,
          },
          { userId: null, label: 'sso' },
        );
      } catch (err) {
        // A taken username gets a random suffix; anything else (or a third clash) is a real error.
        if ((err as { status?: number }).status !== 409 || attempt >= 2) throw err;
      }
    }
  }

  return {
    enabled: a.oidcEnabled,

    /** Where to send the browser, and the state to bind to it. */
    async begin(): Promise<{ url: string; state: string }> {
      const cfg = await provider();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await ctx.cache.set(
        pendingKey(state),
        JSON.stringify({ verifier, nonce } satisfies Pending),
        OIDC_FLOW_SECONDS,
      );
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: a.oidcRedirectUri!,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state };
    },

    /**
     * Finishes the flow: checks the state against the browser's, redeems the code, and signs in the
     * account with the provider's verified email (creating it when OIDC_AUTO_PROVISION allows).
     */
    async complete(
      callbackQuery: string,
      browserState: string | undefined,
      meta: SessionMeta,
    ): Promise<IssuedTokens> {
      const currentUrl = new URL(a.oidcRedirectUri!);
      currentUrl.search = callbackQuery;
      const state = currentUrl.searchParams.get('state');
      if (!state || !browserState || !sameString(state, browserState)) {
        refuse('state_mismatch', 'state missing or not the one of this browser', { ip: meta.ip });
      }
      // One use only, atomically: a replayed, concurrent or expired state finds nothing.
      const stored = await ctx.cache.take(pendingKey(state));
      if (!stored) refuse('state_mismatch', 'unknown or expired state', { ip: meta.ip });
      const pending = JSON.parse(stored) as Pending;

      const cfg = await provider();
      let claims: oidc.IDToken | oidc.UserInfoResponse;
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(cfg, currentUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims()!;
        // Providers that keep the ID token small put the email in userinfo only.
        if (claims.email === undefined) {
          claims = await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub);
        }
      } catch (err) {
        refuse('provider_error', (err as Error).message, { ip: meta.ip });
      }
      const email = typeof claims.email === 'string' ? claims.email.trim() : undefined;
      if (!email || claims.email_verified !== true) {
        refuse('email_unverified', 'the provider did not vouch for the email', {
          sub: claims.sub,
          ip: meta.ip,
        });
      }
      // The lookup below also matches usernames; a provider may call any attribute value "verified".
      if (!ZEmail.safeParse(email).success) {
        refuse('email_unverified', 'the provider sent an email claim that is not an address', {
          sub: claims.sub,
          ip: meta.ip,
        });
      }
      // Usernames cannot hold "@", so this finds the account by its email only.
      const existing = await identityRepo.userByLogin(ctx.db, email);
      if (existing && !existing.active) {
        refuse('account_inactive', 'account deactivated', { userId: existing.id, ip: meta.ip });
      }
      let userId = existing?.id;
      if (!userId) {
        if (!a.oidcAutoProvision)
          refuse('no_account', 'no account has this email', { sub: claims.sub, ip: meta.ip });
        userId = (await provisionedUser({ ...claims, email })).id;
      }
      return identity.startSession(userId, meta);
    },
  };
}

export type OidcService = ReturnType<typeof createOidcService>;
