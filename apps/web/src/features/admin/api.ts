import type { TCreateUserBody, TUpdateUserBody, TUser } from '@clockpilot/contracts/identity';
import type {
  TTimeLock,
  TTimeLockCreate,
  TTimeLockList,
  TTimeSettings,
  TTimeSettingsBody,
} from '@clockpilot/contracts/time';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/auth';

export const ADMIN = {
  users: '/api/v1/users',
  user: (id: string) => `/api/v1/users/${id}`,
  resetPassword: (id: string) => `/api/v1/users/${id}/password`,
  audit: '/api/v1/audit',
  locks: '/api/v1/time/locks',
  lock: (id: string) => `/api/v1/time/locks/${id}`,
  settings: '/api/v1/time/settings',
} as const;

export const adminKeys = {
  users: ['admin', 'users'] as const,
  audit: ['admin', 'audit'] as const,
  locks: ['time', 'locks'] as const,
  settings: ['time', 'settings'] as const,
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

export function useLocks() {
  return useQuery({
    queryKey: adminKeys.locks,
    queryFn: ({ signal }) => api<TTimeLockList>('GET', ADMIN.locks, { signal }),
  });
}

export function useLockMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { create: TTimeLockCreate } | { release: string }) =>
      'create' in a
        ? api<TTimeLock>('POST', ADMIN.locks, { body: a.create })
        : api<TTimeLock>('DELETE', ADMIN.lock(a.release)),
    // Locks change what can be edited anywhere in time.
    onSuccess: () => qc.invalidateQueries({ queryKey: ['time'] }),
  });
}

export function useTimeSettings(enabled = true) {
  return useQuery({
    queryKey: adminKeys.settings,
    queryFn: ({ signal }) => api<TTimeSettings>('GET', ADMIN.settings, { signal }),
    enabled,
  });
}

export function useSaveTimeSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TTimeSettingsBody) => api<TTimeSettings>('PUT', ADMIN.settings, { body }),
    onSuccess: (saved) => qc.setQueryData(adminKeys.settings, saved),
  });
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password of `length` characters from an alphabet without look-alikes (0/O, 1/l/I). */
export function generatePassword(length = 20): string {
  const out: string[] = [];
  const buf = new Uint32Array(1);
  // Rejection sampling keeps every character equally likely.
  const limit = Math.floor(0x1_0000_0000 / ALPHABET.length) * ALPHABET.length;
  while (out.length < length) {
    crypto.getRandomValues(buf);
    const n = buf[0]!;
    if (n < limit) out.push(ALPHABET[n % ALPHABET.length]!);
  }
  return out.join('');
}
