import type {
  TChangePasswordBody,
  TMe,
  TRecoveryCodes,
  TSession,
  TTotpSetup,
} from '@clockpilot/contracts/identity';
import type { TApiToken, TApiTokenCreated, TCreateApiTokenBody } from '@clockpilot/contracts/identity-tokens';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setUser } from '../../app/auth';

/** The signed-in person's own account endpoints. */
export const ACCOUNT = {
  me: '/api/v1/auth/me',
  password: '/api/v1/auth/password',
  sessions: '/api/v1/auth/sessions',
  session: (id: string) => `/api/v1/auth/sessions/${id}`,
  revokeAll: '/api/v1/auth/sessions/revoke-all',
  totpSetup: '/api/v1/auth/totp/setup',
  totpConfirm: '/api/v1/auth/totp/confirm',
  totpDisable: '/api/v1/auth/totp/disable',
  tokens: '/api/v1/tokens',
  token: (id: string) => `/api/v1/tokens/${id}`,
} as const;

export const accountKeys = {
  sessions: ['account', 'sessions'] as const,
  tokens: ['account', 'tokens'] as const,
};

/** Reloads the cached user (after the second factor was turned on or off). */
async function reloadMe() {
  setUser(await api<TMe>('GET', ACCOUNT.me));
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TChangePasswordBody) => api<void>('POST', ACCOUNT.password, { body }),
    // The server ends every other session when the password changes.
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

export function useSessions() {
  return useQuery({
    queryKey: accountKeys.sessions,
    queryFn: ({ signal }) => api<{ items: TSession[] }>('GET', ACCOUNT.sessions, { signal }),
  });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', ACCOUNT.session(id)),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

export function useRevokeAllSessions() {
  return useMutation({
    mutationFn: () => api<{ revoked: number }>('POST', ACCOUNT.revokeAll),
  });
}

export function useTotpSetup() {
  return useMutation({ mutationFn: () => api<TTotpSetup>('POST', ACCOUNT.totpSetup) });
}

export function useTotpConfirm() {
  return useMutation({
    mutationFn: (code: string) => api<TRecoveryCodes>('POST', ACCOUNT.totpConfirm, { body: { code } }),
    onSuccess: () => reloadMe().catch(() => undefined),
  });
}

export function useTotpDisable() {
  return useMutation({
    mutationFn: (password: string) => api<void>('POST', ACCOUNT.totpDisable, { body: { password } }),
    onSuccess: () => reloadMe().catch(() => undefined),
  });
}

export function useApiTokens(enabled = true) {
  return useQuery({
    queryKey: accountKeys.tokens,
    queryFn: ({ signal }) => api<{ items: TApiToken[] }>('GET', ACCOUNT.tokens, { signal }),
    enabled,
  });
}

export function useCreateApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateApiTokenBody) => api<TApiTokenCreated>('POST', ACCOUNT.tokens, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

export function useRevokeApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', ACCOUNT.token(id)),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}
