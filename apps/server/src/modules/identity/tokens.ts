import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ROLES, type TRole } from '@clockpilot/contracts';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../../config/load';
import type { Clock } from '../../platform/context';

const ALG = 'HS256';
const TYP = 'at+jwt'; // RFC 9068: an access token, never confused with an ID token.
const AUDIENCE = 'clockpilot-api';

export type AccessClaims = {
  sub: string;
  role: TRole;
  sid: string;
  /** Set while a role that must use TOTP has not enrolled yet. */
  enr?: true;
  /** The user's authorisation version when signed; a role change or deactivation moves it on. */
  av?: string;
};

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'invalid' | 'expired' };

export type AccessTokens = {
  readonly lifetimeSeconds: number;
  sign(claims: AccessClaims): Promise<string>;
  verify(token: string): Promise<VerifyResult>;
};

/** Verified tokens remembered per process; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;

export function createAccessTokens(config: Config, clock: Clock, key: Uint8Array): AccessTokens {
  const issuer = config.app.publicUrl;
  const lifetimeSeconds = config.auth.jwtAccessMinutes * 60;
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  // A signature check is the largest piece of work of an authenticated request and its answer for
  // the same string never changes; only the expiry is checked again. Revocation is checked by the
  // caller on every request, so remembering a valid signature keeps no ended session alive.
  const verified = new Map<string, { claims: AccessClaims; exp: number }>();
  const remember = (token: string, claims: AccessClaims, exp: number) => {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(token, { claims, exp });
  };
  return {
    lifetimeSeconds,
    async sign(claims) {
      const now = nowSeconds();
      const { sub, ...extra } = claims;
      return new SignJWT(extra)
        .setProtectedHeader({ alg: ALG, typ: TYP })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetimeSeconds)
        .setJti(randomBytes(12).toString('base64url'))
        .sign(key);
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.exp > nowSeconds()) return { ok: true, claims: known.claims };
        verified.delete(token);
        return { ok: false, reason: 'expired' };
      }
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALG],
          issuer,
          audience: AUDIENCE,
          typ: TYP,
          currentDate: clock.now(),
          requiredClaims: ['sub', 'exp', 'iat', 'sid'],
        });
        const role = payload.role as TRole;
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || !ROLES.includes(role)) {
          return { ok: false, reason: 'invalid' };
        }
        const claims: AccessClaims = {
          sub: payload.sub,
          role,
          sid: payload.sid,
          ...(payload.enr === true ? { enr: true } : {}),
          ...(typeof payload.av === 'string' ? { av: payload.av } : {}),
        };
        remember(token, claims, payload.exp as number);
        return { ok: true, claims };
      } catch (err) {
        return { ok: false, reason: err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
}

/** An opaque refresh token: 32 random bytes. Only its SHA-256 is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** AES-256-GCM sealing: `iv.tag.ciphertext` in base64url. */
export function seal(key: Uint8Array, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(key: Uint8Array, sealed: string): string | null {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** A 32-byte key for one purpose, derived from a secret (HKDF-SHA-256), so keys never double up. */
export function deriveKey(secret: Uint8Array | string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'clockpilot', purpose, 32));
}
