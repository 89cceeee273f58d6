import { z } from 'zod';
import { ZId, ZIsoDateTime, ZPage, ZPageQuery, ZSortDir, ZString, ZTimeZone } from './common';
import { ROLES } from './permissions';

export const ZRole = z.enum(ROLES);

export const ZUsername = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_]{3,50}$/, '3 to 50 letters, digits or underscores');
export const ZEmail = z.email().max(254);
export const ZDisplayName = ZString.trim().min(1).max(100);
/** The length cap protects the hash function; the strength rules are checked by the server. */
export const ZPassword = ZString.min(1).max(128);

export const ZUser = z.object({
  id: ZId,
  username: ZString,
  email: ZString,
  displayName: ZString,
  role: ZRole,
  active: z.boolean(),
  timeZone: ZString,
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
});
export type TUser = z.infer<typeof ZUser>;

/**
 * How a person wants the app to speak and count, kept with the account so it follows them to every
 * browser. Each key is optional: one left out means "as the browser's locale has it".
 */
export const ZPreferences = z.object({
  language: z.enum(['auto', 'en', 'de']).optional(),
  hourCycle: z.enum(['auto', 'h23', 'h12']).optional(),
  /** 1 = Monday, 6 = Saturday, 7 = Sunday (as Intl's week info numbers them). */
  firstDayOfWeek: z.union([z.literal('auto'), z.literal(1), z.literal(6), z.literal(7)]).optional(),
  /** `clock`: `3:31`; `units`: `3 h 31 min`. */
  durationStyle: z.enum(['clock', 'units']).optional(),
});
export type TPreferences = z.infer<typeof ZPreferences>;
/** What a save may send: unknown keys are refused (an answer drops them, for replicas of other versions). */
export const ZPreferencesBody = ZPreferences.strict();

/** The signed-in user, with what the UI needs to guide them through their second factor. */
export const ZMe = ZUser.extend({
  preferences: ZPreferences,
  totpEnabled: z.boolean(),
  /** Their role must have a second factor and they have none yet: only /auth routes work until they enrol. */
  totpEnrollmentRequired: z.boolean(),
  hasPassword: z.boolean(),
});
export type TMe = z.infer<typeof ZMe>;

// --- auth ---

export const ZLoginBody = z.object({
  /** Username or email. */
  login: ZString.trim().min(1).max(254),
  password: ZPassword,
  /** A 6-digit code from the authenticator app, or one of the recovery codes. */
  totp: ZString.trim().min(6).max(32).optional(),
});
export type TLoginBody = z.infer<typeof ZLoginBody>;

export const ZTokenResponse = z.object({
  accessToken: ZString,
  tokenType: z.literal('Bearer'),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  user: ZMe,
});
export type TTokenResponse = z.infer<typeof ZTokenResponse>;

export const ZRegisterBody = z.object({
  username: ZUsername,
  email: ZEmail,
  displayName: ZDisplayName.optional(),
  password: ZPassword,
  timeZone: ZTimeZone.optional(),
});
export type TRegisterBody = z.infer<typeof ZRegisterBody>;

/** `POST /auth/register` and `POST /auth/login` of the original Autoscaler system. */
export const ZOriginalCredentials = z.object({ username: ZUsername, password: ZPassword });
export type TOriginalCredentials = z.infer<typeof ZOriginalCredentials>;
/** The original's sign-in answer (`token`, `expires_in`, `username`) beside ours. */
export const ZOriginalTokenResponse = ZTokenResponse.extend({
  token: ZString,
  expires_in: z.number().int(),
  username: ZString,
});
export type TOriginalTokenResponse = z.infer<typeof ZOriginalTokenResponse>;
/** The original's sign-up answer (`id`, `username`, `message`): the new account with its message. */
export const ZOriginalRegistered = ZUser.extend({ message: ZString });
export type TOriginalRegistered = z.infer<typeof ZOriginalRegistered>;

export const ZChangePasswordBody = z.object({
  currentPassword: ZPassword,
  newPassword: ZPassword,
});
export type TChangePasswordBody = z.infer<typeof ZChangePasswordBody>;

export const ZSession = z.object({
  id: ZId,
  userAgent: ZString.nullable(),
  ip: ZString.nullable(),
  createdAt: ZIsoDateTime,
  lastUsedAt: ZIsoDateTime,
  expiresAt: ZIsoDateTime,
  /** The session this request was made with. */
  current: z.boolean(),
});
export type TSession = z.infer<typeof ZSession>;
export const ZSessionList = z.object({ items: z.array(ZSession) });

export const ZRevokedCount = z.object({ revoked: z.number().int() });

// --- TOTP ---

export const ZTotpSetup = z.object({
  /** otpauth:// URI for authenticator apps. */
  otpauthUri: ZString,
  /** The same URI as a PNG QR code data URL. */
  qrCodeDataUrl: ZString,
  /** The secret in Base32, for typing in by hand. Shown only during setup. */
  secret: ZString,
});
export type TTotpSetup = z.infer<typeof ZTotpSetup>;

export const ZTotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'six digits');
export const ZTotpConfirmBody = z.object({ code: ZTotpCode });
export const ZRecoveryCodes = z.object({
  /** One-time codes for when the authenticator is lost; shown once. */
  recoveryCodes: z.array(ZString),
});
export type TRecoveryCodes = z.infer<typeof ZRecoveryCodes>;
/** The caller's password, confirming a sensitive change (disable TOTP, new recovery codes). */
export const ZPasswordConfirmBody = z.object({ password: ZPassword });
export const ZTotpDisableBody = ZPasswordConfirmBody;

// --- users admin ---

export const ZUserSort = z.enum(['username', 'createdAt', 'role']);

export const ZUserListQuery = ZPageQuery.extend({
  role: ZRole.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Matches username, email or display name, case-insensitively. */
  q: ZString.trim().min(1).max(100).optional(),
  sort: ZUserSort.default('username'),
  order: ZSortDir.default('asc'),
});
export type TUserListQuery = z.infer<typeof ZUserListQuery>;
export const ZUserPage = ZPage(ZUser);

export const ZCreateUserBody = z.object({
  username: ZUsername,
  email: ZEmail,
  displayName: ZDisplayName.optional(),
  role: ZRole,
  timeZone: ZTimeZone.default('UTC'),
  /** Omit for an account that signs in through SSO only. */
  password: ZPassword.optional(),
});
export type TCreateUserBody = z.input<typeof ZCreateUserBody>;

export const ZUpdateUserBody = z
  .object({
    displayName: ZDisplayName,
    role: ZRole,
    active: z.boolean(),
    timeZone: ZTimeZone,
    email: ZEmail,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Give at least one field to change');
export type TUpdateUserBody = z.infer<typeof ZUpdateUserBody>;

export const ZResetPasswordBody = z.object({ password: ZPassword });

// --- audit ---

export const ZAuditQuery = ZPageQuery.extend({
  actor: ZId.optional(),
  action: ZString.max(100).optional(),
  entityType: ZString.max(100).optional(),
  entityId: ZString.max(200).optional(),
  from: ZIsoDateTime.optional(),
  to: ZIsoDateTime.optional(),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const ZAuditEvent = z.object({
  id: ZId,
  occurredAt: ZIsoDateTime,
  actorId: ZString.nullable(),
  actorLabel: ZString.nullable(),
  /** The acting user's display name, while the account exists. */
  actorName: ZString.nullable(),
  action: ZString,
  entityType: ZString,
  entityId: ZString.nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: ZString.nullable(),
  userAgent: ZString.nullable(),
  requestId: ZString.nullable(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
export const ZAuditPage = ZPage(ZAuditEvent);
