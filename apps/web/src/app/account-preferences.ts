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
/** Whose set this browser holds: an account's id, or nothing when the choices were made signed out. */
const HOLDER = 'clockpilot-preferences-holder';
let adoptedFor: string | null = null;

const save = (p: Partial<Preferences>) => api<TPreferences>('PUT', PATH, { body: p });

function holder(): string | null {
  try {
    return globalThis.localStorage?.getItem(HOLDER) ?? null;
  } catch {
    return null;
  }
}

function hold(userId: string | null): void {
  try {
    if (userId) globalThis.localStorage?.setItem(HOLDER, userId);
    else globalThis.localStorage?.removeItem(HOLDER);
  } catch {
    // Private mode without storage: the holder lasts for this tab only, as the preferences do.
  }
}

/**
 * On each sign-in the account's preferences win over this browser's. An account that has none yet
 * takes the choices made here while signed out (so nobody loses one made before accounts kept them),
 * never another account's set left in this browser.
 */
export function followAccountPreferences(): void {
  const adopt = () => {
    const user = auth.getState().user;
    if (!user) adoptedFor = null;
    if (!user || user.id === adoptedFor) return;
    adoptedFor = user.id;
    const stored = (user.preferences ?? {}) as Partial<Preferences>;
    const own = holder() === null ? chosenPreferences() : {};
    if (Object.keys(stored).length > 0) replacePreferences(stored);
    else if (Object.keys(own).length > 0) void save(own).catch(() => undefined);
    else replacePreferences({});
    hold(user.id);
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
  const user = auth.getState().user;
  hold(user?.id ?? null);
  if (user) await save(getPreferences());
}
