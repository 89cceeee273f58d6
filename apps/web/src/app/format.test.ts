import { afterEach, describe, expect, it, vi } from 'vitest';
import { dateText, duration, hm, longDay, numberText, spokenDuration, timeOfDay } from './format';
import { setLanguage } from './i18n';
import { DEFAULT_PREFERENCES, resolveFirstDay, resolveLanguage, setPreferences } from './preferences';

const AT = '2026-11-23T16:05:00.000Z'; // 17:05 in Berlin

afterEach(async () => {
  setPreferences(DEFAULT_PREFERENCES);
  await setLanguage('en');
  vi.unstubAllGlobals();
});

describe('formats follow the person', () => {
  it('writes durations in the chosen style and language', async () => {
    expect(duration(12_660)).toBe('3 h 31 min');
    expect(duration(-300)).toBe('−0 h 05 min');
    setPreferences({ durationStyle: 'clock' });
    expect(duration(12_660)).toBe('3:31');
    setPreferences({ durationStyle: 'units' });
    await setLanguage('de');
    expect(duration(12_660)).toBe('3 Std. 31 Min.');
    expect(spokenDuration(3_660)).toBe('1 Stunde 1 Minute');
    expect(hm(12_660)).toBe('3:31');
  });

  it('uses the chosen clock whatever the language', () => {
    setPreferences({ language: 'en', hourCycle: 'h23' });
    expect(timeOfDay(AT, 'Europe/Berlin')).toBe('17:05');
    setPreferences({ hourCycle: 'h12' });
    expect(timeOfDay(AT, 'Europe/Berlin')).toMatch(/^05:05\sPM$/);
    setPreferences({ language: 'de', hourCycle: 'auto' });
    expect(timeOfDay(AT, 'Europe/Berlin')).toBe('17:05');
  });

  it('writes days and numbers in the language', () => {
    setPreferences({ language: 'de' });
    expect(longDay('2026-11-23')).toBe('Montag, 23. November');
    expect(dateText('2026-11-23', 'long')).toBe('23. November 2026');
    expect(numberText(7.5)).toBe('7,5');
    setPreferences({ language: 'en' });
    expect(numberText(7.5)).toBe('7.5');
  });
});

describe('preferences', () => {
  it('takes the browser language when the app has it, else English', () => {
    vi.stubGlobal('navigator', { languages: ['fr-FR', 'de-AT', 'en'], language: 'fr-FR' });
    expect(resolveLanguage()).toBe('de');
    vi.stubGlobal('navigator', { languages: ['fr-FR'], language: 'fr-FR' });
    expect(resolveLanguage()).toBe('en');
    setPreferences({ language: 'de' });
    expect(resolveLanguage()).toBe('de');
  });

  it('starts the week on the chosen day, else on the locale’s', () => {
    setPreferences({ language: 'de' });
    expect(resolveFirstDay()).toBe(1);
    setPreferences({ firstDayOfWeek: 7 });
    expect(resolveFirstDay()).toBe(7);
  });

  it('keeps the choice in the browser and ignores values it does not know', () => {
    setPreferences({ durationStyle: 'clock', hourCycle: 'h99' as never });
    const stored = JSON.parse(localStorage.getItem('clockpilot-preferences') ?? '{}');
    expect(stored.durationStyle).toBe('clock');
    expect(stored.hourCycle).toBe('auto');
  });
});
