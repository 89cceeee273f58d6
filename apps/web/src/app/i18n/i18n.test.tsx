import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClockButtons } from '../../features/time/ClockButtons';
import { renderWithProviders } from '../../test/render';
import { currentLanguage, setLanguage, t, tn } from '.';

afterEach(() => setLanguage('en'));

describe('languages', () => {
  it('renders the interface in German once its catalog is loaded', async () => {
    await setLanguage('de');
    expect(currentLanguage()).toBe('de');
    expect(document.documentElement.lang).toBe('de');
    renderWithProviders(<ClockButtons state="in" running={null} onAction={() => {}} />);
    expect(screen.getByRole('button', { name: 'Pause beginnen' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ausstempeln' })).toBeTruthy();
  });

  it('fills placeholders and picks the plural form of the language', async () => {
    expect(t('home.hello', { name: 'Ada' })).toBe('Hello, Ada');
    expect(tn('week.copied', 1)).toBe('1 entry copied from last week');
    expect(tn('week.copied', 3)).toBe('3 entries copied from last week');
    await setLanguage('de');
    expect(tn('week.copied', 1)).toBe('1 Eintrag aus der letzten Woche kopiert');
    expect(tn('week.copied', 0)).toBe('0 Einträge aus der letzten Woche kopiert');
  });
});
