import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { cspViolations, loginViaApi, openSession, type Session, step } from './lib';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

function scenario(name: string, fn: (s: Session) => Promise<void>) {
  test(name, async () => {
    const s = await openSession(browser);
    try {
      await step(s, name, () => fn(s));
    } finally {
      await s.context.close();
    }
  });
}

scenario('[EMPLOYEE][FORBIDDEN]: sees the forbidden page on admin and manager pages', async (s) => {
  await loginViaApi(s, 'employee');
  for (const path of ['/admin/users', '/admin/audit', '/approvals', '/reports']) {
    await s.page.goto(path);
    await s.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  }
  const nav = s.page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Home' }).waitFor();
  for (const hidden of ['Users', 'Approvals', 'Reports', 'Audit log']) {
    assert.equal(
      await nav.getByRole('link', { name: hidden }).count(),
      0,
      `${hidden} should not be in the menu`,
    );
  }
  await s.page.goto('/no/such/page');
  await s.page.getByRole('heading', { name: 'Page not found' }).waitFor();
  assert.deepEqual(cspViolations(s), []);
});

scenario('[ADMIN][SHELL]: sees the administration menu', async (s) => {
  await loginViaApi(s, 'admin');
  await s.page.goto('/');
  const nav = s.page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Users' }).waitFor();
  await nav.getByRole('link', { name: 'Approvals' }).waitFor();
});

scenario('[EMPLOYEE][SESSION]: survives a page reload through the refresh cookie', async (s) => {
  await loginViaApi(s, 'employee');
  await s.page.goto('/timesheet');
  await s.page.getByRole('heading', { name: 'Timesheet' }).waitFor();
  await s.page.reload();
  await s.page.getByRole('heading', { name: 'Timesheet' }).waitFor();
  assert.match(s.page.url(), /\/timesheet$/);
  // Nothing secret in web storage: the access token lives in memory only.
  const storage = await s.page.evaluate('JSON.stringify([localStorage, sessionStorage])');
  assert.doesNotMatch(String(storage), /eyJ/);
});

scenario('[EMPLOYEE][LOGOUT]: logs out, and the session is gone', async (s) => {
  await loginViaApi(s, 'employee');
  await s.page.goto('/');
  await s.page.getByTestId('user-menu').click();
  await s.page.getByRole('menuitem', { name: 'Log out' }).click();
  await s.page.waitForURL(/\/login/);
  await s.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await s.page.goto('/time');
  await s.page.waitForURL(/\/login\?redirect=%2Ftime/);
  const refresh = await s.context.request.post('/api/v1/auth/refresh', {
    headers: { origin: new URL(s.page.url()).origin },
  });
  assert.equal(refresh.status(), 401);
});
