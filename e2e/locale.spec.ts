import assert from 'node:assert/strict';
import { cspViolations, loginViaApi, openSession, type Session, scenarios } from './lib';

// Language, formats and colour scheme: a German browser gets German, the profile changes it, dark
// mode follows the system and the profile's switch, and the keyboard reaches the main actions.
const scenario = scenarios();

/** Makes the browser of the scenario ask for German first. */
async function germanBrowser(s: Session) {
  // As a string: the test runner's transpiler would wrap a function in helpers the page lacks.
  await s.context.addInitScript(`
    Object.defineProperty(navigator, 'languages', { get: () => ['de-DE', 'de'] });
    Object.defineProperty(navigator, 'language', { get: () => 'de-DE' });
  `);
}

scenario(
  '[EMPLOYEE][LOCALE]: a German browser gets the app in German; the profile switches it to English for good',
  {},
  async (s) => {
    await germanBrowser(s);
    await s.page.goto('/login');
    await s.page.getByRole('button', { name: 'Anmelden', exact: true }).waitFor();
    assert.equal(await s.page.evaluate('document.documentElement.lang'), 'de');
    await loginViaApi(s, 'employee');
    await s.page.goto('/');
    await s.page.getByRole('button', { name: 'Einstempeln' }).waitFor();
    await s.page.getByRole('link', { name: 'Meine Zeiten' }).waitFor();
    await s.page.goto('/timesheet');
    await s.page.getByRole('heading', { name: 'Stundenzettel' }).waitFor();
    // Durations in German units on the figures under the grid.
    await s.page
      .getByText(/\d+ Std\. \d{2} Min\./)
      .first()
      .waitFor();
    // Profile: English chosen, the same page speaks English at once, and keeps it after a reload.
    await s.page.goto('/profile');
    await s.page.getByLabel('Sprache', { exact: true }).first().click();
    const saved = s.page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/auth/me/preferences') && r.request().method() === 'PUT',
    );
    await s.page.getByRole('option', { name: 'English' }).click();
    assert.equal((await saved).status(), 200);
    await s.page.getByRole('heading', { name: 'Language and formats' }).waitFor();
    await s.page.reload();
    await s.page.getByRole('heading', { name: 'Profile and security' }).waitFor();
    // The account keeps the choice: another German browser speaks English once this person signs in.
    const other = await openSession(s.context.browser()!);
    try {
      await germanBrowser(other);
      await other.page.goto('/login');
      await other.page.getByRole('button', { name: 'Anmelden', exact: true }).waitFor();
      await loginViaApi(other, 'employee');
      await other.page.goto('/');
      await other.page.getByRole('button', { name: 'Clock in' }).waitFor();
    } finally {
      await other.context.close();
    }
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario(
  '[ADMIN][LOCALE]: approvals, users, audit log and directory speak German to a German browser',
  {},
  async (s) => {
    await germanBrowser(s);
    await loginViaApi(s, 'admin');
    await s.page.goto('/approvals');
    await s.page.getByRole('heading', { name: 'Freigaben' }).waitFor();
    await s.page.getByRole('button', { name: 'Auswahl freigeben' }).waitFor();
    await s.page.getByRole('combobox', { name: 'Beliebige Woche öffnen von' }).waitFor();

    await s.page.goto('/admin/users');
    await s.page.getByRole('heading', { name: 'Benutzer' }).waitFor();
    await s.page.getByRole('button', { name: 'Neuer Benutzer' }).waitFor();
    const users = s.page.getByRole('table', { name: 'Benutzer' });
    await users.getByRole('columnheader', { name: /Rolle/ }).waitFor();
    await users.getByText('Aktiv', { exact: true }).first().waitFor();
    await s.page.getByRole('button', { name: 'Neuer Benutzer' }).click();
    const dialog = s.page.getByRole('dialog', { name: 'Neuer Benutzer' });
    await dialog.getByLabel('Erstes Passwort').waitFor();
    await dialog.getByRole('button', { name: 'Benutzer anlegen' }).waitFor();
    await s.page.keyboard.press('Escape');

    await s.page.goto('/admin/audit');
    await s.page.getByRole('heading', { name: 'Protokoll' }).waitFor();
    await s.page.getByRole('textbox', { name: 'Aktion' }).waitFor();
    await s.page.getByRole('table', { name: 'Protokolleinträge, neueste zuerst' }).waitFor();

    await s.page.goto('/directory');
    await s.page.getByRole('heading', { name: 'Verzeichnis' }).waitFor();
    for (const tab of ['Personen', 'Teams', 'Kunden', 'Projekte', 'Tätigkeiten'])
      await s.page.getByRole('tab', { name: tab }).waitFor();
    await s.page.getByRole('button', { name: 'Neue Person' }).waitFor();
    await s.page.getByText('Archivierte zeigen').waitFor();
    await s.page.getByRole('tab', { name: 'Kunden' }).click();
    await s.page.getByRole('button', { name: 'Neuer Kunde' }).waitFor();
    assert.equal(await s.page.getByText('Show archived').count(), 0);
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario(
  "[MANAGER][LOCALE]: the server's refusal of a week withdrawn meanwhile reads in German",
  {},
  async (s) => {
    const week = '2026-W03';
    const asEmployee = async (path: string) => {
      const res = await s.context.request.post(`/api/v1/time/timesheets/${path}`, {
        data: { week },
        headers: { authorization: `Bearer ${employee}` },
      });
      assert.ok(res.ok(), `${path}: ${res.status()} ${await res.text()}`);
    };
    await germanBrowser(s);
    const employee = await loginViaApi(s, 'employee');
    await asEmployee('submit');
    await loginViaApi(s, 'manager');
    await s.page.goto('/approvals');
    const row = s.page.getByTestId('approval-row').filter({ hasText: week });
    await row.getByRole('button', { name: 'Öffnen' }).click();
    const approve = s.page.getByRole('button', { name: 'Freigeben', exact: true });
    await approve.waitFor();
    await asEmployee('withdraw');
    await approve.click();
    await s.page.getByText(/^Die Woche .+ ist noch ein Entwurf und kann nicht freigegeben werden$/).waitFor();
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario(
  '[EMPLOYEE][DARK]: dark mode follows the system, and the profile switch overrides it',
  {},
  async (s) => {
    await s.page.emulateMedia({ colorScheme: 'dark' });
    await loginViaApi(s, 'employee');
    await s.page.goto('/');
    await s.page.getByRole('button', { name: 'Clock in' }).waitFor();
    const scheme = () =>
      s.page.evaluate<string | null>("document.documentElement.getAttribute('data-mantine-color-scheme')");
    const background = () => s.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.equal(await scheme(), 'dark');
    const dark = await background();
    await s.page.goto('/profile');
    await s.page.getByText('Light', { exact: true }).click();
    assert.equal(await scheme(), 'light');
    assert.notEqual(await background(), dark);
    await s.page.reload();
    await s.page.getByRole('heading', { name: 'Profile and security' }).waitFor();
    assert.equal(await scheme(), 'light');
    await s.page.getByText('As the system', { exact: true }).click();
    assert.equal(await scheme(), 'dark');
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario(
  '[EMPLOYEE][KEYS]: ? lists the shortcuts, c clocks in and out, g t goes to My time',
  {},
  async (s) => {
    await loginViaApi(s, 'employee');
    await s.page.goto('/');
    const state = s.page.getByTestId('clock-state');
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    // Typing in the note never triggers a shortcut.
    await s.page.getByRole('textbox', { name: 'Note' }).fill('c?');
    await s.page.waitForTimeout(300);
    assert.equal(await s.page.getByTestId('shortcut-list').count(), 0);
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    await s.page.getByRole('textbox', { name: 'Note' }).fill('');
    await s.page.getByRole('heading', { level: 1 }).click();
    await s.page.keyboard.press('?');
    await s.page.getByTestId('shortcut-list').getByText('Clock in or out').waitFor();
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('shortcut-list').waitFor({ state: 'hidden' });
    await s.page.keyboard.press('c');
    await state.filter({ hasText: 'Working' }).waitFor();
    await s.page.waitForTimeout(1100);
    await s.page.keyboard.press('c');
    await state.filter({ hasText: 'Clocked out' }).waitFor();
    await s.page.keyboard.press('g');
    await s.page.keyboard.press('t');
    await s.page.waitForURL(/\/time$/);
    await s.page.getByRole('heading', { name: 'My time' }).waitFor();
    await s.page.keyboard.press('n');
    await s.page.getByRole('dialog', { name: 'Add entry' }).waitFor();
    assert.deepEqual(cspViolations(s), []);
  },
);
