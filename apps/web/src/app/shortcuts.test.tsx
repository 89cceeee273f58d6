import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import ShortcutHelp from './ShortcutHelp';
import { useShortcutKeys, useShortcuts } from './shortcuts';

function ShortcutKeys() {
  useShortcutKeys();
  return <ShortcutHelp />;
}

function Page({ clock, home }: { clock: () => void; home: () => void }) {
  useShortcuts([
    { keys: 'c', label: 'keys.clock', run: clock },
    { keys: 'g h', label: 'keys.goHome', run: home },
  ]);
  return <input aria-label="Note" />;
}

const press = (key: string, target: Element = document.body) => fireEvent.keyDown(target, { key });

describe('keyboard shortcuts', () => {
  it('runs single keys and sequences, never while typing in a field', () => {
    const clock = vi.fn();
    const home = vi.fn();
    renderWithProviders(
      <>
        <ShortcutKeys />
        <Page clock={clock} home={home} />
      </>,
    );
    press('c');
    expect(clock).toHaveBeenCalledTimes(1);
    press('g');
    press('h');
    expect(home).toHaveBeenCalledTimes(1);
    press('h');
    expect(home).toHaveBeenCalledTimes(1);
    press('c', screen.getByLabelText('Note'));
    expect(clock).toHaveBeenCalledTimes(1);
  });

  it('lists the shortcuts in force on ?', async () => {
    renderWithProviders(
      <>
        <ShortcutKeys />
        <Page clock={() => {}} home={() => {}} />
      </>,
    );
    press('?', screen.getByLabelText('Note'));
    expect(screen.queryByTestId('shortcut-list')).toBeNull();
    press('?');
    const list = await screen.findByTestId('shortcut-list');
    expect(list.textContent).toContain('Clock in or out');
    expect(list.textContent).toContain('Go to Home');
    expect(list.textContent).toContain('Show this list');
  });
});
