import type { TCreateUserBody, TUpdateUserBody, TUser } from '@clockpilot/contracts/identity';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/auth';

export const ADMIN = {
  users: '/api/v1/users',
  user: (id: string) => `/api/v1/users/${id}`,
  resetPassword: (id: string) => `/api/v1/users/${id}/password`,
  audit: '/api/v1/audit',
} as const;

export const adminKeys = {
  users: ['admin', 'users'] as const,
  audit: ['admin', 'audit'] as const,
};

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateUserBody) => api<TUser>('POST', ADMIN.users, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.users }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TUpdateUserBody }) =>
      api<TUser>('PATCH', ADMIN.user(id), { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.users }),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api<void>('POST', ADMIN.resetPassword(id), { body: { password } }),
  });
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@_~';
const ALPHABET = UPPER + LOWER + DIGITS + SYMBOLS;

/** A uniformly random integer in [0, n) (rejection sampling avoids modulo bias). */
function randomInt(n: number): number {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    crypto.getRandomValues(buf);
    const v = buf[0]!;
    if (v < limit) return v % n;
  }
}

const pick = (set: string): string => set[randomInt(set.length)]!;

/**
 * A random password of `length` characters without look-alikes (0/O, 1/l/I), holding at least one
 * upper-case letter, lower-case letter, digit and symbol, as the password policy asks.
 */
export function generatePassword(length = 20): string {
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALPHABET));
  // Shuffle so the required classes are not always first (Fisher–Yates).
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
