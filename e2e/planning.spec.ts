import assert from 'node:assert/strict';
import { addDays, isoWeekOf, shiftWeek, weekStart } from '../apps/web/src/features/time/calendar';
import { cspViolations, loginViaApi, type Session, scenarios, USERS } from './lib';

// One planner's story: a deliverable, hours in the grid, the heatmap, a due date moved and undone.
let projectId = '';
const scenario = scenarios();

// Weeks counted from the server's current week; hours go a week ahead so "the past stays" never bites.
const current = isoWeekOf(new Date().toISOString().slice(0, 10));
const [w1, w2, w3, w4] = [1, 2, 3, 4].map((n) => shiftWeek(current, n)) as [string, string, string, string];
const friday = (week: string) => addDays(weekStart(week), 4);
const due = friday(w3);
const movedDue = friday(shiftWeek(current, 5));
// A day as the pages show it to the session's en-GB browser (app/format.ts dateText): `5 Mar 2027`.
const shown = (day: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }).format(
    new Date(`${day}T00:00:00Z`),
  );

async function createProject(s: Session, token: string): Promise<string> {
  const call = async (path: string, data: unknown) => {
    const res = await s.context.request.post(path, { data, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status(), 201, await res.text());
    return ((await res.json()) as { id: string }).id;
  };
  const clientId = await call('/api/v1/clients', { name: 'Planning client' });
  return call('/api/v1/projects', { clientId, code: 'PLN-E2E', name: 'Website relaunch' });
}

async function pick(
  s: Session,
  scope: ReturnType<Session['page']['getByRole']>,
  label: string,
  typed: string,
  option: RegExp,
) {
  // A required field's label ends in " *".
  const input = scope.getByLabel(new RegExp(`^${label}( \\*)?$`));
  await input.click();
  await input.fill(typed);
  await s.page.getByRole('option', { name: option }).click();
}

scenario(
  '[MANAGER][PLANNING]: plans hours, sees utilisation, moves a due date and undoes it',
  {},
  async (s) => {
    const token = await loginViaApi(s, 'manager');
    projectId = await createProject(s, token);
    const page = s.page;

    await page.goto('/planning/work');
    await page.getByRole('button', { name: 'New deliverable' }).click();
    let drawer = page.getByRole('dialog', { name: 'New deliverable' });
    await pick(s, drawer, 'Project', 'PLN', /PLN-E2E/);
    await drawer.getByLabel('Name').fill('Launch');
    await drawer.getByLabel('Due date').fill(due);
    await drawer.getByRole('button', { name: 'Create' }).click();
    await page
      .getByTestId('planning-deliverables')
      .getByRole('cell', { name: 'Launch', exact: true })
      .waitFor();

    await page.goto(`/planning?project=${projectId}`);
    await page.getByText('No assignments yet').waitFor();
    await page.getByRole('button', { name: 'Add assignment' }).click();
    drawer = page.getByRole('dialog', { name: 'New assignment' });
    await pick(s, drawer, 'Deliverable', '', /Launch/);
    await pick(s, drawer, 'Person', 'Eli', new RegExp(USERS.employee.name));
    await drawer.getByRole('button', { name: 'Create' }).click();
    await drawer.waitFor({ state: 'hidden' });
    const cell = (week: string) => page.getByLabel(`Hours of ${USERS.employee.name} · Launch in ${week}`);
    await cell(w1).fill('8');
    await cell(w1).press('Tab');
    await cell(w2).fill('6,5');
    await cell(w2).press('Enter');
    const totals = page.getByTestId('plan-total');
    await totals.filter({ hasText: /8 \/ \d+.*6\.5 \/ \d+/ }).waitFor();

    await page.goto('/planning/utilisation');
    const row = page.getByTestId('heat-row').filter({ hasText: USERS.employee.name });
    const heat = row.getByRole('button', { name: new RegExp(`in ${w1}$`) });
    await heat.filter({ hasText: '%' }).waitFor();
    assert.equal(await heat.getAttribute('data-level'), 'under');
    assert.match((await heat.getAttribute('aria-label')) ?? '', /8 h confirmed of \d+ h capacity/);

    await page.goto('/planning/work');
    await page.getByRole('button', { name: 'Edit Launch' }).click();
    drawer = page.getByRole('dialog', { name: 'Edit deliverable: Launch' });
    await drawer.getByLabel('Due date').fill(movedDue);
    await drawer.getByRole('button', { name: 'Save changes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Hours reallocated' });
    const summary = dialog.getByTestId('reallocation-summary');
    await summary.getByText(`8 h ${w1} → ${w3}`, { exact: false }).waitFor();
    await summary.getByText(`6.5 h ${w2} → ${w4}`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Undo', exact: true }).click();
    await page
      .getByText(`Reallocation undone: 1 assignment restored, due date back to ${shown(due)}`)
      .waitFor();
    await page
      .getByTestId('planning-deliverables')
      .getByRole('cell', { name: shown(due), exact: true })
      .waitFor();

    await page.goto(`/planning?project=${projectId}&from=${current}`);
    await cell(w1).and(page.locator('[value="8"]')).waitFor();
    assert.equal(await cell(w2).inputValue(), '6.5');
    assert.equal(await cell(w3).inputValue(), '');
    assert.deepEqual(cspViolations(s), []);
  },
);

scenario('[MANAGER][PLANNING]: imports people from a CSV file through the wizard', {}, async (s) => {
  await loginViaApi(s, 'manager');
  const page = s.page;
  const stamp = Date.now();
  // Semicolons and synonyms for headers, as spreadsheets saved in Europe write them.
  const csv = [
    'Full name;E-mail;Employee no.;Capacity',
    `Ines Import;ines.${stamp}@import.test;IMP-${stamp}-1;32`,
    `Omar Import;omar.${stamp}@import.test;IMP-${stamp}-2;40`,
  ].join('\r\n');

  await page.goto('/planning/import');
  await page
    .getByLabel('Spreadsheet file')
    .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByText(/people\.csv \(1 KB\)/).waitFor();
  await page.getByRole('button', { name: 'Upload and preview' }).click();

  // The dry run: the columns as mapped, two people to create, nothing written yet.
  const columns = page.getByTestId('import-columns');
  await columns.waitFor();
  assert.match(await columns.getByLabel('Field for column E-mail').inputValue(), /^email/);
  const counts = page.getByTestId('import-counts');
  await counts.getByText('2', { exact: true }).waitFor();
  await page.getByText('No row errors').waitFor();

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-result').filter({ hasText: 'Imported.' }).waitFor();
  assert.match((await page.getByTestId('import-counts').textContent()) ?? '', /(^|\D)2\s*Created/);
  assert.deepEqual(cspViolations(s), []);
});

scenario('[MANAGER][PLANNING]: the plan, heatmap and lists fit a phone', { mobile: true }, async (s) => {
  await loginViaApi(s, 'manager');
  for (const [path, ready] of [
    [`/planning?project=${projectId}`, 'plan-grid'],
    ['/planning/utilisation', 'heatmap'],
    ['/planning/work', 'planning-deliverables'],
  ] as const) {
    await s.page.goto(path);
    await s.page.getByTestId(ready).waitFor();
    const width = Number(await s.page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px phone`);
  }
});
