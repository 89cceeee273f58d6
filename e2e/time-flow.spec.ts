import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { BASE, cspViolations, loginViaApi, scenarios, USERS } from './lib';

// One story, in order: the employee's week goes from the first clock-in to an approved timesheet.
const scenario = scenarios();

scenario(
  '[EMPLOYEE][LOGIN]: signs in through the form on a phone and lands on home',
  { mobile: true },
  async (s) => {
    const res = await s.page.goto('/time');
    assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self' 'nonce-/);
    await s.page.waitForURL(/\/login\?redirect=%2Ftime/);
    await s.page.getByLabel('Username or email').fill(USERS.employee.login);
    await s.page.getByLabel(/^Password/).fill('wrong-password');
    await s.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await s.page.getByTestId('login-error').waitFor();
    await s.page.getByLabel(/^Password/).fill(USERS.employee.password);
    await s.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Back on the page that was asked for.
    await s.page.waitForURL(/\/time$/);
    await s.page.getByRole('heading', { name: 'My time' }).waitFor();
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario(
  '[EMPLOYEE][CLOCK]: clocks in, takes a break, clocks out and sees the entry',
  { mobile: true },
  async (s) => {
    await loginViaApi(s, 'employee');
    // Other scenarios may have recorded time this week already: this one adds exactly one entry.
    await s.page.goto('/time');
    await s.page.getByTestId('entries').or(s.page.getByText('No time recorded this week')).first().waitFor();
    const before = await s.page.getByTestId('entry-row').count();
    await s.page.goto('/');
    const state = s.page.getByTestId('clock-state');
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    await s.page.getByRole('button', { name: 'Clock in' }).click();
    await state.filter({ hasText: 'Working' }).waitFor();
    await s.page.waitForTimeout(1100);
    await s.page.getByRole('button', { name: 'Start break' }).click();
    await state.filter({ hasText: 'On a break' }).waitFor();
    await s.page.waitForTimeout(1100);
    await s.page.getByRole('button', { name: 'End break' }).click();
    await state.filter({ hasText: 'Working' }).waitFor();
    await s.page.waitForTimeout(1100);
    await s.page.getByRole('button', { name: 'Clock out' }).click();
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    await s.page.getByRole('button', { name: 'Clock in' }).waitFor();

    await s.page.goto('/time');
    await s.page.getByTestId('entry-row').first().waitFor();
    assert.equal(await s.page.getByTestId('entry-row').count(), before + 1);
    // The entry dialog (date-time pickers, scroll lock) runs under the strict CSP too.
    await s.page.getByRole('button', { name: 'Add entry' }).click();
    const dialog = s.page.getByRole('dialog', { name: 'Add entry' });
    await dialog.getByText(/^Start \(Europe\/Berlin\)/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // One tap continues the past entry as a running timer.
    await s.page
      .getByRole('button', { name: /^Continue entry/ })
      .first()
      .click();
    await s.page.goto('/');
    await state.filter({ hasText: 'Working' }).waitFor();
    await s.page.getByRole('button', { name: 'Clock out' }).click();
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    // Nothing wider than the 390 px screen, on each of the employee's pages.
    for (const path of ['/', '/time', '/timesheet', '/timesheet?week=2026-W01', '/profile']) {
      await s.page.goto(path);
      await s.page.getByRole('heading', { level: 1 }).waitFor();
      await s.page.waitForLoadState('networkidle');
      const width = await s.page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px phone`);
    }
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario(
  '[EMPLOYEE][TIMER]: clocks in on a project with a note, edits the note while running, clocks out',
  {},
  async (s) => {
    await loginViaApi(s, 'employee');
    await s.page.goto('/');
    const state = s.page.getByTestId('clock-state');
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    const work = s.page.getByTestId('timer-work');
    await work.getByLabel('Project', { exact: true }).click();
    await s.page.getByRole('option', { name: 'ACME-WEB · Website relaunch' }).click();
    await work.getByRole('textbox', { name: 'Note' }).fill('Kick-off call');
    await s.page.getByRole('button', { name: 'Clock in' }).click();
    await state.filter({ hasText: 'Working' }).waitFor();
    // The running time shows in the tab, as in the desktop trackers people know.
    await s.page.waitForFunction('/^\\d\\d:\\d\\d:\\d\\d · ClockPilot$/.test(document.title)');
    // A change while the timer runs is saved on the open entry when the field is left.
    const saved = s.page.waitForResponse(
      (r) => r.url().includes('/api/v1/time/entries/') && r.request().method() !== 'GET' && r.ok(),
    );
    await work.getByRole('textbox', { name: 'Note' }).fill('Kick-off call with Acme');
    await work.getByRole('textbox', { name: 'Note' }).blur();
    await saved;
    await s.page.getByRole('button', { name: 'Clock out' }).click();
    await state.filter({ hasText: 'Clocked out' }).waitFor();

    await s.page.goto('/time');
    const row = s.page.getByTestId('entry-row').filter({ hasText: 'Kick-off call with Acme' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Website relaunch/);
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario('[EMPLOYEE][CALENDAR]: draws an entry on the calendar week and drags it later', {}, async (s) => {
  await loginViaApi(s, 'employee');
  await s.page.goto('/time');
  // The view toggle is kept in the URL.
  await s.page.locator('label', { hasText: /^Calendar$/ }).click();
  await s.page.waitForURL(/view=calendar/);
  await s.page.getByTestId('week-calendar').waitFor();
  // A day other than today, whose afternoon is free.
  const today = await s.page.evaluate<string>(
    'new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" })',
  );
  const column = s.page.locator(`[data-day]:not([data-day="${today}"])`).first();
  const box = (await column.boundingBox())!;
  const blocks = column.getByTestId('calendar-block');
  const hourY = async (h: number) => (await column.boundingBox())!.y + h * 48;
  const x = box.x + box.width / 2;
  await s.page.mouse.move(x, await hourY(14));
  await s.page.mouse.down();
  await s.page.mouse.move(x, await hourY(15), { steps: 4 });
  await s.page.mouse.move(x, await hourY(16), { steps: 4 });
  await s.page.mouse.up();
  await s.page.getByText(/^Entry added: /).waitFor();
  await blocks.first().waitFor();
  assert.equal(await blocks.count(), 1);
  const before = (await blocks.first().boundingBox())!;
  assert.ok(Math.abs(before.height - 96) < 2, `a 2 h block is ${before.height} px high`);
  // Drag it two hours later: the server keeps it there.
  await s.page.mouse.move(x, before.y + 20);
  await s.page.mouse.down();
  await s.page.mouse.move(x, before.y + 20 + 48, { steps: 4 });
  await s.page.mouse.move(x, before.y + 20 + 96, { steps: 4 });
  await s.page.mouse.up();
  await s.page.getByText(/^Entry saved: /).waitFor();
  await s.page.reload();
  await blocks.first().waitFor();
  const after = (await blocks.first().boundingBox())!;
  assert.ok(Math.abs(after.y - (await hourY(16))) < 2, 'the moved block starts at 16:00');
  // A click opens the entry; a break added in its form is kept and shaded on the block.
  await blocks.first().click();
  const dialog = s.page.getByRole('dialog', { name: 'Edit entry' });
  await dialog.getByRole('button', { name: 'Add break' }).click();
  await dialog.getByLabel('Break 1 from').fill('16:30');
  await dialog.getByLabel('Break 1 to').fill('17:00');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await s.page.getByText('Entry updated').waitFor();
  await s.page.reload();
  const shade = blocks.first().getByTestId('calendar-break');
  await shade.waitFor();
  const breakBox = (await shade.boundingBox())!;
  assert.ok(Math.abs(breakBox.height - 24) < 2, `a 30 min break is ${breakBox.height} px high`);
  assert.deepEqual(cspViolations(s), []);
});

const COMMENT = 'Tuesday is missing the client visit, please add it';

scenario('[MANAGER][APPROVALS]: sends last week back with a comment', {}, async (s) => {
  // The employee records and submits last week over the API, as a week finished earlier would be.
  const api = await request.newContext({ baseURL: BASE, extraHTTPHeaders: { origin: BASE } });
  try {
    const login = await api.post('/api/v1/auth/login', {
      data: { login: USERS.employee.login, password: USERS.employee.password },
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    const tuesday = lastWeeksTuesday();
    const entry = await api.post('/api/v1/time/entries', {
      headers,
      data: { startedAt: `${tuesday}T07:00:00Z`, endedAt: `${tuesday}T09:00:00Z` },
    });
    assert.equal(entry.status(), 201, await entry.text());
    const submitted = await api.post('/api/v1/time/timesheets/submit', {
      headers,
      data: { week: isoWeek(tuesday) },
    });
    assert.equal(submitted.status(), 200, await submitted.text());
  } finally {
    await api.dispose();
  }

  await loginViaApi(s, 'manager');
  await s.page.goto('/approvals');
  const row = s.page.getByTestId('approval-row').filter({ hasText: USERS.employee.name });
  await row.getByRole('button', { name: /^Open/ }).click();
  const drawer = s.page.getByRole('dialog');
  await drawer.getByTestId('timesheet-grid').waitFor();
  await drawer.getByRole('textbox', { name: 'Comment' }).fill(COMMENT);
  await drawer.getByRole('button', { name: 'Reject' }).click();
  await s.page.getByText('Nothing to approve').waitFor();
  assert.deepEqual(cspViolations(s), []);
});

scenario(
  "[EMPLOYEE][HOME]: sees the week sent back, with the manager's comment",
  { mobile: true },
  async (s) => {
    await loginViaApi(s, 'employee');
    await s.page.goto('/');
    const notice = s.page.getByTestId('returned-week').filter({ hasText: COMMENT });
    await notice.waitFor();
    await notice.getByRole('link', { name: 'Open that week' }).click();
    await s.page.getByTestId('timesheet-status').filter({ hasText: 'rejected' }).waitFor();
  },
);

scenario(
  '[EMPLOYEE][TIMESHEET]: types hours into the grid, copies last week, submits after confirming, withdraws it, submits again',
  {},
  async (s) => {
    await loginViaApi(s, 'employee');
    await s.page.goto('/timesheet');
    await s.page.getByTestId('timesheet-grid').waitFor();
    const status = s.page.getByTestId('timesheet-status');
    const submit = async () => {
      await s.page.getByRole('button', { name: 'Submit week' }).click();
      const dialog = s.page.getByRole('dialog', { name: 'Submit this week for approval?' });
      await dialog
        .getByTestId('submit-summary')
        .filter({ hasText: /Worked .* of .* target/ })
        .waitFor();
      await dialog.getByRole('button', { name: 'Submit week' }).click();
      await status.filter({ hasText: 'submitted' }).waitFor();
    };
    await status.filter({ hasText: 'draft' }).waitFor();
    // The grid takes typed hours: 1:30 on an empty day of the clocked entries' row, kept by the server.
    const cells = s.page.getByRole('textbox', { name: /^No project, / });
    await cells.first().waitFor();
    let empty = -1;
    for (let i = 0; i < (await cells.count()) && empty < 0; i++) {
      if ((await cells.nth(i).inputValue()) === '') empty = i;
    }
    assert.ok(empty >= 0, 'a day without time in the grid');
    await cells.nth(empty).fill('1:30');
    await s.page.getByRole('button', { name: 'Save week' }).click();
    await s.page.getByText('Week saved').waitFor();
    await s.page.reload();
    await cells.nth(empty).waitFor();
    assert.equal(await cells.nth(empty).inputValue(), '1:30');
    // Copy last week answers with what it copied or left out, in one request.
    await s.page.getByRole('button', { name: 'Copy last week' }).click();
    await s.page.getByText(/copied from last week|Nothing copied/).waitFor();
    await submit();
    // A submitted week offers no copy: the server would refuse it.
    assert.equal(await s.page.getByRole('button', { name: 'Copy last week' }).count(), 0);
    await s.page.getByRole('button', { name: 'Withdraw' }).click();
    await status.filter({ hasText: 'draft' }).waitFor();
    await submit();
    assert.equal(await s.page.getByRole('button', { name: 'Submit week' }).count(), 0);
  },
);

scenario('[MANAGER][APPROVALS]: opens the submitted week and approves it', {}, async (s) => {
  await loginViaApi(s, 'manager');
  await s.page.goto('/approvals');
  const row = s.page.getByTestId('approval-row').filter({ hasText: USERS.employee.name });
  await row.waitFor();
  await row.getByRole('button', { name: /^Open/ }).click();
  const drawer = s.page.getByRole('dialog');
  await drawer.getByTestId('timesheet-grid').waitFor();
  await drawer.getByRole('button', { name: 'Approve' }).click();
  await s.page.getByText('Nothing to approve').waitFor();
  assert.deepEqual(cspViolations(s), []);
});

scenario('[EMPLOYEE][TIMESHEET]: sees the week approved and can no longer edit it', {}, async (s) => {
  await loginViaApi(s, 'employee');
  await s.page.goto('/timesheet');
  await s.page.getByTestId('timesheet-status').filter({ hasText: 'approved' }).waitFor();
  await s.page.goto('/time');
  await s.page.getByTestId('not-editable').waitFor();
  assert.equal(await s.page.getByRole('button', { name: 'Add entry' }).count(), 0);
  assert.equal(
    await s.page
      .getByRole('button', { name: /^Edit entry/ })
      .first()
      .isDisabled(),
    true,
  );
});

/** Tuesday of last week in Berlin, where the browser profiles live, as `YYYY-MM-DD`. */
function lastWeeksTuesday(): string {
  const today = new Date(
    `${new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' })}T00:00:00Z`,
  );
  const monday = today.getTime() - ((today.getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday - 6 * 86_400_000).toISOString().slice(0, 10);
}

/** The ISO week (`2026-W48`) of a `YYYY-MM-DD` date. */
function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
