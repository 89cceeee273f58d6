import { useEffect, useState, useSyncExternalStore } from 'react';
import type { MessageKey } from './i18n';

/**
 * Keyboard shortcuts: a key (`c`) or a two-key sequence (`g h`). The shell, features and pages
 * register theirs while mounted; a later registration of the same keys wins (a page over the shell),
 * so Home's `c` clocks in with the timer's project while elsewhere `c` clocks in plainly. The list
 * shown on `?` is a lazy chunk (`ShortcutHelp.tsx`); this file stays small for the first load.
 */
export type Shortcut = { keys: string; label: MessageKey; run: () => void };

type Layer = { id: number; list: Shortcut[] };
let layers: Layer[] = [];
let helpOpen = false;
let nextId = 1;
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The shortcuts in force, one per key sequence (the newest registration). */
export function activeShortcuts(from: Layer[] = layers): Shortcut[] {
  const byKeys = new Map<string, Shortcut>();
  for (const layer of from) for (const s of layer.list) byKeys.set(s.keys, s);
  return [...byKeys.values()];
}

/** Registers shortcuts while the caller is mounted. `list` may change on every render. */
export function useShortcuts(list: Shortcut[]) {
  const [id] = useState(() => nextId++);
  useEffect(() => {
    layers = [...layers.filter((l) => l.id !== id), { id, list }];
    notify();
  });
  useEffect(
    () => () => {
      layers = layers.filter((l) => l.id !== id);
      notify();
    },
    [id],
  );
}

/** Opens or closes the list of shortcuts (`?`, or the account menu's entry). */
export function setShortcutHelp(open: boolean) {
  helpOpen = open;
  notify();
}
export const openShortcutHelp = () => setShortcutHelp(true);

/** The shortcuts in force and whether their list is open, re-rendering on change. */
export function useShortcutState(): { shortcuts: Shortcut[]; helpOpen: boolean } {
  const current = useSyncExternalStore(subscribe, () => layers);
  const open = useSyncExternalStore(subscribe, () => helpOpen);
  return { shortcuts: activeShortcuts(current), helpOpen: open };
}

/** Typing in a field, a menu or an editable area never triggers a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('[role="listbox"],[role="menu"],[role="combobox"]') !== null
  );
}

/** Listens for shortcuts on the document; used once, by the shell. */
export function useShortcutKeys() {
  useEffect(() => {
    let pending: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === '?') {
        e.preventDefault();
        setShortcutHelp(!helpOpen);
        return;
      }
      // A dialog open elsewhere (a form, a confirmation) keeps its keys to itself.
      if (document.querySelector('[role="dialog"]')) return;
      const typed = pending ? `${pending} ${e.key.toLowerCase()}` : e.key.toLowerCase();
      const list = activeShortcuts();
      const match = list.find((s) => s.keys === typed);
      clearTimeout(timer);
      pending = null;
      if (match) {
        e.preventDefault();
        match.run();
      } else if (list.some((s) => s.keys.startsWith(`${typed} `))) {
        pending = typed;
        timer = setTimeout(() => {
          pending = null;
        }, 1500);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      clearTimeout(timer);
    };
  }, []);
}
