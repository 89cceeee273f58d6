import { useSyncExternalStore } from 'react';
import { getPreferences, type Language, resolveLanguage, subscribePreferences } from '../preferences';
import { en } from './en';

/**
 * The UI's words. English is bundled (the source catalog and the fallback); every other language is
 * one lazy chunk fetched before the first render that needs it. Keys are typed, so a mistyped key
 * fails typecheck; `catalog.test.ts` also holds every key used in code and both catalogs together.
 */
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
type Vars = Record<string, string | number>;

const loaders: Record<Exclude<Language, 'en'>, () => Promise<Catalog>> = {
  de: () => import('./de').then((m) => m.de),
};

let language: Language = 'en';
/** The language last asked for: a catalog still loading must not undo a later choice. */
let requested: Language = 'en';
let messages: Catalog = en;
let plurals = new Intl.PluralRules('en');
const listeners = new Set<() => void>();

/** Switches the catalog (fetching it first when needed); components re-render through `useLanguage`. */
export async function setLanguage(next: Language): Promise<void> {
  requested = next;
  const catalog = next === 'en' ? en : await loaders[next]();
  if (requested !== next) return;
  language = next;
  messages = catalog;
  plurals = new Intl.PluralRules(next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const l of listeners) l();
}

/** Loads the language the preferences ask for, now and whenever they change. */
export function followPreferredLanguage(): Promise<void> {
  subscribePreferences(() => {
    const wanted = resolveLanguage(getPreferences());
    if (wanted !== requested) void setLanguage(wanted);
  });
  return setLanguage(resolveLanguage(getPreferences()));
}

export function currentLanguage(): Language {
  return language;
}

function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Whether a key built at run time (from a server's code) is in the catalog. */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/** The text of a key in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, vars?: Vars): string {
  return fill(messages[key] ?? en[key] ?? key, vars);
}

/**
 * A counted text: the catalog holds `one|other` (the forms English and German need), chosen by the
 * language's plural rule; `{count}` is filled in.
 */
export function tn(key: MessageKey, count: number, vars?: Vars): string {
  const [one, other = one] = (messages[key] ?? en[key]).split('|');
  const form = plurals.select(count) === 'one' ? one : other;
  return fill(form as string, { count, ...vars });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders the caller when the language changes; returns it. */
export function useLanguage(): Language {
  return useSyncExternalStore(subscribe, currentLanguage, currentLanguage);
}
