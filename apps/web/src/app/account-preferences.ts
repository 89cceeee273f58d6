import type { TPreferences } from '@clockpilot/contracts';
import { api, auth } from './auth';
import {
  chosenPreferences,
  getPreferences,
  type Preferences,
  replacePreferences,
  setPreferences,
} from './preferences';

const PATH = '/api/v1/auth/me/preferences';
let adoptedFor: string | null = null;

const save = (p: Partial<Preferences>) => api<TPreferences>('PUT', PATH, { body: p });

/**
 * On each sign-in the account's preferences win over this browser's; an account that has none yet
 * takes the ones chosen here, so nobody loses a choice made before accounts kept them.
 */
export function followAccountPreferences(): void {
  const adopt = () => {
    const user = auth.getState().user;
    if (!user) adoptedFor = null;
    if (!user || user.id === adoptedFor) return;
    adoptedFor = user.id;
    const stored = user.preferences ?? {};
    if (Object.keys(stored).length > 0) replacePreferences(stored as Partial<Preferences>);
    else if (Object.keys(chosenPreferences()).length > 0)
      void save(chosenPreferences()).catch(() => undefined);
  };
  auth.subscribe(adopt);
  adopt();
}

/**
 * Applies a change here at once and keeps it with the account when someone is signed in: the whole
 * set, so a choice put back to automatic stays chosen and is not taken for an account without any.
 */
export async function changePreferences(change: Partial<Preferences>): Promise<void> {
  setPreferences(change);
  if (auth.getState().user) await save(getPreferences());
}
