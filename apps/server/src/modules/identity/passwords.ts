import { randomBytes, randomInt } from 'node:crypto';
import type { TFieldError } from '@clockpilot/contracts';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../platform/errors';

/**
 * argon2id (the library's default algorithm) at 19 MiB, 2 passes, 1 lane: the OWASP minimum profile,
 * about 40 ms a check on a small server. The parameters live in each PHC string; a login with a hash made
 * with other ones re-hashes the password (see needsRehash).
 */
const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const CURRENT_PREFIX = `$argon2id$v=19$m=${PARAMS.memoryCost},t=${PARAMS.timeCost},p=${PARAMS.parallelism}$`;

export const hashPassword = (password: string) => hash(password, PARAMS);

export const needsRehash = (phc: string) => !phc.startsWith(CURRENT_PREFIX);

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same work as a real check when there is no account (or no password) to check against,
 * so the answer time does not reveal which usernames exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

let common: Set<string> | undefined;
/** The ~49k most common leaked passwords shipped with zxcvbn-ts, compared case-insensitively. */
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/** "Password1!" is "password" with the usual decoration; strip leading/trailing digits and symbols. */
function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const list = commonPasswords();
  return list.has(lower) || (core.length >= 4 && list.has(core));
}

export type PasswordContext = { minLength: number; username?: string; email?: string };

/** Every rule the password breaks, as field errors on `path`; empty when it is acceptable. */
export function passwordProblems(
  password: string,
  ctx: PasswordContext,
  path = 'body.password',
): TFieldError[] {
  const problems: TFieldError[] = [];
  const fail = (code: string, message: string) => problems.push({ path, code, message });
  if (password.length < ctx.minLength) fail('too_short', `Use at least ${ctx.minLength} characters`);
  if (password.length > 128) fail('too_long', 'Use at most 128 characters');
  // Letters of any script count as letters (an "ä" is no symbol), digits as digits.
  if (!/\p{Ll}/u.test(password)) fail('missing_lowercase', 'Add a lowercase letter');
  if (!/\p{Lu}/u.test(password)) fail('missing_uppercase', 'Add an uppercase letter');
  if (!/\p{N}/u.test(password)) fail('missing_digit', 'Add a digit');
  if (!/[^\p{L}\p{N}]/u.test(password)) fail('missing_special', 'Add a symbol or space');
  if (isCommon(password)) fail('common_password', 'This password is among the most common leaked passwords');
  const lower = password.toLowerCase();
  const personal = [ctx.username, ctx.email?.split('@')[0]].filter((s): s is string => !!s && s.length >= 3);
  if (personal.some((p) => lower.includes(p.toLowerCase())))
    fail('contains_username', 'Do not use your username or email in the password');
  return problems;
}

export function assertStrongPassword(password: string, ctx: PasswordContext, path?: string): void {
  const errors = passwordProblems(password, ctx, path);
  if (errors.length > 0) {
    throw new AppError('weak_password', `The password is too weak: ${errors.map((e) => e.code).join(', ')}`, {
      errors,
    });
  }
}

/** A random password that passes the policy: 20 characters from all four classes. */
export function generatePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#%^*-_=+?'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < 20) chars.push(all[randomInt(all.length)]!);
  // Fisher–Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
