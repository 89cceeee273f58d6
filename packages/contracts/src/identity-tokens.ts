import { z } from 'zod';
import { ZId, ZIsoDateTime, ZString } from './common';

/** Every personal API token starts with this, so secret scanners and the server recognise one. */
export const API_TOKEN_PREFIX = 'cpat_';

export const ZApiTokenScope = z.enum(['read', 'write']);
export type TApiTokenScope = z.infer<typeof ZApiTokenScope>;

export const ZCreateApiTokenBody = z.object({
  name: ZString.trim().min(1).max(100),
  /** `read` allows GET only; `write` allows changes too (and implies read). */
  scopes: z
    .array(ZApiTokenScope)
    .min(1)
    .max(2)
    .refine((s) => new Set(s).size === s.length, 'Each scope once'),
  /** At most a year ahead; default 90 days. */
  expiresAt: ZIsoDateTime.optional(),
});
export type TCreateApiTokenBody = z.infer<typeof ZCreateApiTokenBody>;

export const ZApiToken = z.object({
  id: ZId,
  name: ZString,
  scopes: z.array(ZApiTokenScope),
  /** The first characters of the token, to tell tokens apart; never enough to use one. */
  prefix: ZString,
  createdAt: ZIsoDateTime,
  expiresAt: ZIsoDateTime,
  lastUsedAt: ZIsoDateTime.nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;

/** The answer to a creation: the only time the secret is shown. */
export const ZApiTokenCreated = ZApiToken.extend({ token: ZString });
export type TApiTokenCreated = z.infer<typeof ZApiTokenCreated>;

export const ZApiTokenList = z.object({ items: z.array(ZApiToken) });
