import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { cspViolations, loginViaApi, openSession, step } from './lib';

// One story: a user makes a cluster, turns its simulated load up and watches the autoscaler add servers.
let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('[EMPLOYEE][AUTOSCALER]: creates a cluster, raises its load and sees demand and servers rise', async () => {
  const s = await openSession(browser);
  try {
    await step(s, 'autoscaler cluster scales up under load', async () => {
      const page = s.page;
      await loginViaApi(s, 'employee');
      await page.goto('/autoscaler');
      await page.getByText('No clusters yet').waitFor();

      await page.getByRole('button', { name: 'New cluster' }).click();
      const dialog = page.getByRole('dialog', { name: 'New cluster' });
      await dialog.getByLabel('Name').fill('a b');
      await dialog.getByLabel('Boot time (s)').fill('0');
      await dialog.getByRole('button', { name: 'Create cluster' }).click();
      await dialog.getByText('3 to 50 letters, digits, "-" or "_"', { exact: true }).last().waitFor();
      await dialog.getByLabel('Name').fill('shop-e2e');
      // Scaling policies start from Kubernetes' defaults; a shorter scale-down window goes with them.
      await dialog.getByRole('switch', { name: /Scaling policies/ }).check({ force: true });
      assert.equal(await dialog.getByLabel('Scale up policy 1 value').inputValue(), '4');
      await dialog.getByLabel('Stabilization window (s)').last().fill('60');
      await dialog.getByRole('button', { name: 'Create cluster' }).click();

      await page.waitForURL(/\/autoscaler\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: 'shop-e2e' }).waitFor();
      assert.equal(await page.getByTestId('stat-desired').textContent(), '1');

      const load = page.getByRole('form', { name: 'Load' });
      await load.getByLabel('Requests per second').fill('80');
      await load.getByRole('button', { name: 'Apply load' }).click();
      await page.getByText('Load pattern applied').waitFor();

      // 80 req/s on servers of 10 req/s each: the demand chart shows it and the count climbs.
      await page
        .getByTestId('latest-demand')
        .filter({ hasText: /Requests (80|79\.\d)/ })
        .waitFor({ timeout: 15_000 });
      await page
        .getByTestId('stat-desired')
        .filter({ hasText: /^([4-9]|\d\d)$/ })
        .waitFor({ timeout: 15_000 });
      await page.getByRole('img', { name: /^Servers: Desired ([4-9]|\d\d)/ }).waitFor({ timeout: 10_000 });
      await page
        .getByTestId('decisions')
        .getByText(/^1 → \d/)
        .first()
        .waitFor();

      await page.getByRole('tab', { name: 'Events' }).click();
      await page.getByRole('table', { name: 'Scaling events' }).waitFor();
      assert.deepEqual(cspViolations(s), []);
    });
  } finally {
    await s.context.close();
  }
});

test('[EMPLOYEE][AUTOSCALER_EVALUATION]: uploads a trace and compares the HPA with the predictive mode', async () => {
  const s = await openSession(browser);
  try {
    await step(s, 'autoscaler evaluation of an uploaded trace', async () => {
      const page = s.page;
      await loginViaApi(s, 'employee');
      await page.goto('/autoscaler/evaluate');
      await page.getByText('No evaluation yet').waitFor();
      // The menu marks this page alone, not also the clusters' entry whose path it continues.
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      assert.deepEqual(await nav.locator('[aria-current="page"]').allTextContents(), [
        'Autoscaler evaluation',
      ]);
      // Two hours per minute: a quiet hour, then four times the load.
      const rows = ['timestamp,requests'];
      for (let m = 0; m < 120; m++) rows.push(`${1_700_000_000 + 60 * m},${m < 60 ? 600 : 2400}`);
      await page.locator('input[type="file"]').setInputFiles({
        name: 'step.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(rows.join('\n')),
      });
      await page.getByLabel(/Capacity per server/).fill('5');
      await page.getByRole('button', { name: 'Run evaluation' }).click();
      await page.getByText(/^Goal (not )?met$/).waitFor({ timeout: 30_000 });
      const table = page.getByRole('table', { name: 'Evaluation figures per policy' });
      await table.getByRole('columnheader', { name: 'Predictive' }).waitFor();
      await table.getByRole('rowheader', { name: /SLO-violation minutes/ }).waitFor();
      await page.getByRole('img', { name: /^Servers against demand over 115 min/ }).waitFor();
      assert.deepEqual(cspViolations(s), []);
    });
  } finally {
    await s.context.close();
  }
});
