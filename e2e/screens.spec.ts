import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { cspViolations, loginViaApi, scenarios } from './lib';

// Every screen on a 390 px phone: the page never scrolls sideways (a long name, a wide table or a
// toolbar that does not wrap would make it), and lists of the time pages are cards, not tables.
const scenario = scenarios();

const SCREENS = [
  '/',
  '/time',
  '/timesheet',
  '/approvals',
  '/presence',
  '/reports',
  '/admin/time',
  '/profile',
  '/admin/users',
  '/admin/audit',
  '/directory',
  '/planning',
  '/planning/utilisation',
  '/planning/work',
  '/planning/calendar',
  '/planning/import',
  '/fleet',
  '/fleet/bookings',
  '/fleet/vehicles',
  '/fleet/dashboard',
  '/fleet/timeline',
  '/fleet/verification',
  '/autoscaler',
  '/no-such-page',
];

async function overflow(page: Page): Promise<string | null> {
  const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>(
    '[document.scrollingElement.scrollWidth, window.innerWidth]',
  );
  return scrollWidth <= innerWidth ? null : `${scrollWidth} px wide in a ${innerWidth} px window`;
}

async function settle(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  // Late data (lists, charts) can still widen a page; a page that polls never goes idle, so cap the wait.
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
}

scenario('[ADMIN][PHONE]: no screen is wider than a 390 px phone', { mobile: true }, async (s) => {
  const wide: string[] = [];
  for (const path of ['/login', '/register']) {
    await settle(s.page, path);
    const o = await overflow(s.page);
    if (o) wide.push(`${path}: ${o}`);
  }
  await loginViaApi(s, 'admin');
  for (const path of SCREENS) {
    await settle(s.page, path);
    const o = await overflow(s.page);
    if (o) wide.push(`${path}: ${o}`);
  }
  assert.deepEqual(wide, []);
  assert.deepEqual(cspViolations(s), []);
});

scenario(
  '[EMPLOYEE][PHONE]: the week and the lists are cards that fit the screen',
  { mobile: true },
  async (s) => {
    await loginViaApi(s, 'employee');
    for (const path of ['/', '/time', '/timesheet', '/profile']) {
      await settle(s.page, path);
      assert.equal(await overflow(s.page), null, path);
    }
    // The phone timesheet lists all seven days instead of a grid seven columns wide.
    await settle(s.page, '/timesheet');
    assert.equal(await s.page.getByTestId('timesheet-days').getByRole('listitem').count(), 7);
    assert.equal(await s.page.getByTestId('timesheet-grid').count(), 0);
    // Sessions on the profile are cards, not a table to scroll sideways.
    await settle(s.page, '/profile');
    await s.page.getByRole('list', { name: 'Your sessions' }).waitFor();
    assert.equal(await s.page.getByRole('table', { name: 'Your sessions' }).count(), 0);
  },
);
