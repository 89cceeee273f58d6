import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, mockApi } from '../test/render';

// Each case loads the modules afresh: the signed-in state and the adopted account are per page load.
async function load() {
  vi.resetModules();
  const prefs = await import('./preferences');
  const account = await import('./account-preferences');
  const { auth } = await import('./auth');
  return { prefs, account, auth };
}

const puts = (fetchMock: ReturnType<typeof mockApi>) =>
  fetchMock.mock.calls
    .filter(([, init]) => init?.method === 'PUT')
    .map(([url, init]) => [String(url), JSON.parse(String(init?.body))]);

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('preferences kept with the account', () => {
  it('takes the account’s preferences on sign-in over this browser’s', async () => {
    localStorage.setItem('clockpilot-preferences', JSON.stringify({ language: 'en', hourCycle: 'h12' }));
    mockApi(async () => json({}), 'employee', ['identity'], { language: 'de', durationStyle: 'clock' });
    const { prefs, account, auth } = await load();
    account.followAccountPreferences();
    await auth.ready();
    // The account's set replaces the browser's: the clock it did not choose is back to automatic.
    expect(prefs.getPreferences()).toMatchObject({
      language: 'de',
      durationStyle: 'clock',
      hourCycle: 'auto',
    });
    expect(JSON.parse(localStorage.getItem('clockpilot-preferences')!).language).toBe('de');
  });

  it('gives an account without preferences the ones chosen in this browser', async () => {
    localStorage.setItem('clockpilot-preferences', JSON.stringify({ hourCycle: 'h12' }));
    const fetchMock = mockApi(async (_url, init) => json(JSON.parse(String(init.body ?? '{}'))), 'employee');
    const { account, auth } = await load();
    account.followAccountPreferences();
    await auth.ready();
    await vi.waitFor(() =>
      expect(puts(fetchMock)).toEqual([['/api/v1/auth/me/preferences', { hourCycle: 'h12' }]]),
    );
  });

  it('never gives an account the set another account left in this browser', async () => {
    localStorage.setItem('clockpilot-preferences', JSON.stringify({ language: 'de', hourCycle: 'h12' }));
    localStorage.setItem('clockpilot-preferences-holder', '00000000-0000-4000-8000-0000000000ff');
    const fetchMock = mockApi(async (_url, init) => json(JSON.parse(String(init.body ?? '{}'))), 'employee');
    const { prefs, account, auth } = await load();
    account.followAccountPreferences();
    await auth.ready();
    expect(prefs.getPreferences()).toMatchObject({ language: 'auto', hourCycle: 'auto' });
    expect(puts(fetchMock)).toEqual([]);
  });

  it('saves a change with the account as the whole set, so a return to automatic is kept too', async () => {
    const fetchMock = mockApi(async (_url, init) => json(JSON.parse(String(init.body ?? '{}'))), 'employee');
    const { prefs, account, auth } = await load();
    account.followAccountPreferences();
    await auth.ready();
    await account.changePreferences({ firstDayOfWeek: 7 });
    expect(prefs.getPreferences().firstDayOfWeek).toBe(7);
    await account.changePreferences({ firstDayOfWeek: 'auto' });
    const all = { language: 'auto', hourCycle: 'auto', durationStyle: 'units' };
    expect(puts(fetchMock)).toEqual([
      ['/api/v1/auth/me/preferences', { ...all, firstDayOfWeek: 7 }],
      ['/api/v1/auth/me/preferences', { ...all, firstDayOfWeek: 'auto' }],
    ]);
  });
});
