import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { type MessageKey, t } from './i18n';

/**
 * Keyboard shortcuts: a key (`c`) or a two-key sequence (`g h`). The shell, features and pages
 * register theirs while mounted; a later registration of the same keys wins (a page over the shell),
 * so Home's `c` clocks in with the timer's project while elsewhere `c` clocks in plainly.
 */
export type Shortcut = { keys: string; label: MessageKey; run: () => void };

let layers: Array<{ id: number; list: Shortcut[] }> = [];
let nextId = 1;
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** The shortcuts in force, one per key sequence (the newest registration). */
export function activeShortcuts(from = layers): Shortcut[] {
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

const HELP_EVENT = 'clockpilot:shortcut-help';
/** Opens the list of shortcuts (the account menu's entry; `?` does the same). */
export const openShortcutHelp = () => window.dispatchEvent(new Event(HELP_EVENT));

/** Typing in a field, a menu or an editable area never triggers a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('[role="listbox"],[role="menu"],[role="combobox"]') !== null
  );
}

/** Listens for shortcuts on the document and shows the list on `?`; mounted once by the shell. */
export function ShortcutKeys() {
  const [helpOpen, setHelpOpen] = useState(false);
  const current = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => layers,
  );

  useEffect(() => {
    const toggle = () => setHelpOpen((open) => !open);
    window.addEventListener(HELP_EVENT, toggle);
    return () => window.removeEventListener(HELP_EVENT, toggle);
  }, []);

  useEffect(() => {
    let pending: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === '?') {
        e.preventDefault();
        setHelpOpen((open) => !open);
        return;
      }
      // A dialog open elsewhere (a form, a confirmation) keeps its keys to itself.
      if (document.querySelector('[role="dialog"]')) return;
      const key = e.key.toLowerCase();
      const typed = pending ? `${pending} ${key}` : key;
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

  const list = activeShortcuts(current);
  return (
    <Modal opened={helpOpen} onClose={() => setHelpOpen(false)} title={t('keys.title')} size="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('keys.intro')}
        </Text>
        <Table verticalSpacing={6} data-testid="shortcut-list">
          <Table.Tbody>
            {[{ keys: '?', label: 'keys.help' as MessageKey }, ...list].map((s) => (
              <Table.Tr key={s.keys}>
                <Table.Td w={120}>
                  <Group gap={4} wrap="nowrap">
                    {s.keys.split(' ').map((k, i) => (
                      <Group key={k + String(i)} gap={4} wrap="nowrap">
                        {i > 0 && (
                          <Text size="xs" c="dimmed">
                            {t('keys.then')}
                          </Text>
                        )}
                        <Kbd>{k}</Kbd>
                      </Group>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{t(s.label)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}
