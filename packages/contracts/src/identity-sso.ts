import { z } from 'zod';
import { ZString } from './common';

/** Tells the login page whether to offer single sign-on. */
export const ZSsoConfig = z.object({
  enabled: z.boolean(),
  /** Where the browser goes to start signing in with the provider. */
  loginUrl: ZString.nullable(),
});
export type TSsoConfig = z.infer<typeof ZSsoConfig>;

/** Whether the login page still explains where the first administrator's password is. */
export const ZFirstStart = z.object({
  /** True until an administrator has signed in for the first time. */
  pending: z.boolean(),
});
export type TFirstStart = z.infer<typeof ZFirstStart>;

/** Why an SSO sign-in was refused; the callback sends the browser to `/login?sso_error=<reason>`. */
export const SSO_ERRORS = [
  'state_mismatch',
  'provider_error',
  'email_unverified',
  'no_account',
  'account_inactive',
  'unavailable',
] as const;
export const ZSsoError = z.enum(SSO_ERRORS);
export type TSsoError = z.infer<typeof ZSsoError>;

/** The authorization response (RFC 6749 §4.1.2, RFC 9207 `iss`). */
export const ZOidcCallbackQuery = z.object({
  code: ZString.max(4096).optional(),
  state: ZString.max(512).optional(),
  iss: ZString.max(2048).optional(),
  session_state: ZString.max(1024).optional(),
  error: ZString.max(200).optional(),
  error_description: ZString.max(2000).optional(),
});
