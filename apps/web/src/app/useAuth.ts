import { useSyncExternalStore } from 'react';
import { type AuthState, auth } from './auth';

export function useAuth(): AuthState {
  return useSyncExternalStore(auth.subscribe, auth.getState, auth.getState);
}

/** The signed-in user; only for components rendered inside the signed-in layout. */
export function useMe() {
  const { user } = useAuth();
  if (!user) throw new Error('useMe() outside the signed-in layout');
  return user;
}
