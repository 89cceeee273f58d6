import { useSyncExternalStore } from 'react';

/**
 * How this person wants the app to speak and count: language, clock, first day of the week and the
 * way durations are written. Kept in the browser, so the login page already speaks the chosen
 * language before anyone is signed in, and with the account (account-preferences.ts), so the choice
 * follows the person to every browser.
 */
export type Preferences = {
  /** `auto`: the browser's language when the app has it, else English. */
  language: 'auto' | Language;
  /** `auto`: the locale's own habit (24 h in Germany, 12 h in the US). */
  hourCycle: 'auto' | 'h23' | 'h12';
  /** 1 = Monday … 7 = Sunday (as in Intl's week info); `auto`: the locale's. */
  firstDayOfWeek: 'auto' | 1 | 6 | 7;
  /** `clock`: `3:31`; `units`: `3 h 31 min`. */
  durationStyle: 'clock' | 'units';
};

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

const KEY = 'clockpilot-preferences';
export const DEFAULT_PREFERENCES: Preferences = {
  language: 'auto',
  hourCycle: 'auto',
  firstDayOfWeek: 'auto',
  durationStyle: 'units',
};

const listeners = new Set<() => void>();
let current = read();

function read(): Preferences {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const stored = raw ? (JSON.parse(raw) as Partial<Preferences>) : {};
    return { ...DEFAULT_PREFERENCES, ...sanitize(stored) };
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

/** Drops stored values this version does not know (an old or hand-edited entry). */
function sanitize(p: Partial<Preferences>): Partial<Preferences> {
  const out: Partial<Preferences> = {};
  if (p.language === 'auto' || LANGUAGES.includes(p.language as Language)) out.language = p.language;
  if (p.hourCycle === 'auto' || p.hourCycle === 'h23' || p.hourCycle === 'h12') out.hourCycle = p.hourCycle;
  if (p.firstDayOfWeek === 'auto' || [1, 6, 7].includes(p.firstDayOfWeek as number))
    out.firstDayOfWeek = p.firstDayOfWeek;
  if (p.durationStyle === 'clock' || p.durationStyle === 'units') out.durationStyle = p.durationStyle;
  return out;
}

export function getPreferences(): Preferences {
  return current;
}

export function setPreferences(change: Partial<Preferences>): void {
  store({ ...current, ...sanitize(change) });
}

/** Replaces every preference (a key left out goes back to its default): the account's set on sign-in. */
export function replacePreferences(all: Partial<Preferences>): void {
  store({ ...DEFAULT_PREFERENCES, ...sanitize(all) });
}

/** The preferences that differ from the defaults: what an account keeps. */
export function chosenPreferences(p: Preferences = current): Partial<Preferences> {
  return Object.fromEntries(
    Object.entries(p).filter(([key, value]) => DEFAULT_PREFERENCES[key as keyof Preferences] !== value),
  );
}

function store(next: Preferences): void {
  current = next;
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(current));
  } catch {
    // Private mode without storage: the choice lasts for this tab.
  }
  for (const l of listeners) l();
}

export function subscribePreferences(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePreferences(): Preferences {
  return useSyncExternalStore(subscribePreferences, getPreferences, getPreferences);
}

/** The browser's preferred languages, most wanted first. */
function browserLanguages(): readonly string[] {
  const nav = globalThis.navigator;
  return nav?.languages?.length ? nav.languages : [nav?.language ?? 'en'];
}

/** The app language: the chosen one, else the first browser language the app has, else English. */
export function resolveLanguage(p: Preferences = current): Language {
  if (p.language !== 'auto') return p.language;
  for (const tag of browserLanguages()) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/**
 * The locale for numbers and dates: the browser's own tag when it is of the app language (`de-AT`
 * keeps Austrian habits), else the bare language.
 */
export function resolveLocale(p: Preferences = current): string {
  const language = resolveLanguage(p);
  const own = browserLanguages().find((tag) => tag.toLowerCase().split('-')[0] === language);
  return own ?? language;
}

/** The first day of the week, 1 = Monday … 7 = Sunday. */
export function resolveFirstDay(p: Preferences = current): 1 | 6 | 7 {
  if (p.firstDayOfWeek !== 'auto') return p.firstDayOfWeek;
  try {
    const locale = new Intl.Locale(resolveLocale(p)) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const first = locale.getWeekInfo?.().firstDay ?? locale.weekInfo?.firstDay;
    if (first === 6 || first === 7) return first;
  } catch {
    // An engine without week info: Monday, as ISO 8601 and most of the world.
  }
  return 1;
}
