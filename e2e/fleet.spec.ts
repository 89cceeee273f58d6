import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { cspViolations, loginViaApi, openSession, type Session, step } from './lib';

// One story: a manager adds a car; a customer signs up on a phone, verifies, books and pays the
// deposit with the local provider's test card; a second customer who found the same car free a moment
// earlier is refused those days; the manager hands the car over and takes it back.
let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** A 1×1 PNG: photos are checked by their first bytes, so it must be a real image. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const photo = (name: string) => ({ name: `${name}.png`, mimeType: 'image/png', buffer: PNG });
const tag = randomBytes(3).toString('hex');
const location = `Lyon ${tag}`;
const plate = `E2E${tag}`.toUpperCase();
let bookingPath = '';

async function noSideways(page: Page) {
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `the page is ${width}px wide on a 390px phone`);
}

async function as(opts: { mobile?: boolean }, name: string, fn: (s: Session) => Promise<void>) {
  const s = await openSession(browser, opts);
  try {
    await step(s, name, () => fn(s));
    assert.deepEqual(cspViolations(s), []);
  } finally {
    await s.context.close();
  }
}

/** Signs a new customer up through the register page and approves their licence on the local provider. */
async function signUpAndVerify(page: Page, username: string) {
  await page.goto('/register');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.test`);
  await page.getByLabel(/^Password/).fill(`Renter-${tag}-Lantern-42`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Book a vehicle' }).waitFor();

  await page.goto('/fleet/verification');
  await page.getByRole('button', { name: 'Verify my identity' }).click();
  await page.getByRole('heading', { name: 'Test verification' }).waitFor();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByTestId('verification-state').filter({ hasText: 'Verified' }).waitFor();
}

/** Searches the test's location with the page's default dates (tomorrow 10:00, two days). */
async function searchLocation(page: Page) {
  await page.goto('/fleet');
  await page.getByLabel('Location').fill(location);
  await page.getByRole('button', { name: 'Search' }).click();
}

/** Uploads the four hand-over photos, sets the odometer and submits the form. */
async function handover(page: Page, button: 'Check out' | 'Return', odometer: string) {
  const inputs = page.locator('input[type=file]');
  for (const [i, angle] of ['front', 'rear', 'left', 'right'].entries()) {
    await inputs.nth(i).setInputFiles(photo(angle));
    await page.getByText('Uploaded', { exact: true }).nth(i).waitFor();
  }
  await page.getByLabel('Odometer (km)').fill(odometer);
  await page.getByRole('button', { name: button, exact: true }).click();
}

test('[FLEET]: a vehicle is added, booked, paid, handed over and returned', async () => {
  await as({}, 'manager adds a vehicle', async (s) => {
    await loginViaApi(s, 'manager');
    await s.page.goto('/fleet/vehicles');
    await s.page.getByRole('button', { name: 'Add vehicle' }).click();
    const form = s.page.getByRole('dialog', { name: 'Add vehicle' });
    const fields: Array<[string, string]> = [
      ['Make', 'Renault'],
      ['Model', 'Clio'],
      ['Plate', plate],
      ['VIN', '1M8GDM9AXKP042789'],
      ['Category', 'compact'],
      ['Location', location],
      ['Daily rate', '45'],
      ['Deposit', '300'],
    ];
    for (const [label, value] of fields) await form.getByLabel(label).fill(value);
    await form.locator('input[type=file]').setInputFiles(photo('clio'));
    await form.getByRole('button', { name: 'Add vehicle' }).click();
    // A wrong check digit comes back on the VIN field.
    await form.getByText(/check digit/i).waitFor();
    await form.getByLabel('VIN').fill('1M8GDM9AXKP042788');
    await form.getByRole('button', { name: 'Add vehicle' }).click();
    await form.waitFor({ state: 'hidden' });
    await s.page.getByTestId('vehicle-table').getByText(plate).waitFor();
  });

  // The second customer finds the car free before the first books it, and keeps the page open.
  const second = await openSession(browser);
  try {
    await step(second, 'second customer signs up and finds the car free', async () => {
      await signUpAndVerify(second.page, `renter2_${tag}`);
      await searchLocation(second.page);
      await second.page.getByTestId('offer').getByText('Renault Clio').waitFor();
    });

    await as({ mobile: true }, 'customer signs up, verifies, books and pays', async (s) => {
      await signUpAndVerify(s.page, `renter_${tag}`);
      await searchLocation(s.page);
      const offer = s.page.getByTestId('offer');
      await offer.getByText('Renault Clio').waitFor();
      assert.equal(await offer.count(), 1);
      await noSideways(s.page);
      // Two days at 45.00; the server's quote, not the page's arithmetic.
      await offer.getByRole('button', { name: /^Book Renault Clio for €90\.00$/ }).click();
      await s.page.getByTestId('hold-countdown').waitFor();
      await s.page.getByRole('button', { name: /^Pay deposit/ }).click();
      await s.page.getByRole('button', { name: 'Pay with the test card' }).click();
      // The local provider's signed webhook confirms the booking.
      await s.page.getByTestId('booking-state').filter({ hasText: 'Confirmed' }).waitFor();
      await noSideways(s.page);
      bookingPath = new URL(s.page.url()).pathname;
      await s.page.goto('/fleet/bookings');
      await s.page.getByTestId('bookings-table').getByText('Confirmed').waitFor();
    });

    await step(second, 'second customer cannot book the same days', async () => {
      const { page } = second;
      await page
        .getByTestId('offer')
        .getByRole('button', { name: /^Book Renault Clio/ })
        .click();
      const refusal = page.getByRole('alert').filter({ hasText: 'Not booked' });
      await refusal.getByText(/This vehicle is already booked from .+ and free again from/).waitFor();
      // The list is read again after the refusal, and a new search agrees: the car is not offered.
      await page.getByText('Nothing free for these dates').waitFor();
      await searchLocation(page);
      await page.getByText('Nothing free for these dates').waitFor();
      assert.equal(await page.getByTestId('offer').count(), 0);
      assert.match(page.url(), /\/fleet$/);
      await page.goto('/fleet/bookings');
      await page.getByText(/No bookings/i).waitFor();
      assert.deepEqual(cspViolations(second), []);
    });
  } finally {
    await second.context.close();
  }

  await as({ mobile: true }, 'manager checks the car out and takes it back', async (s) => {
    await loginViaApi(s, 'manager');
    await s.page.goto(bookingPath);
    await handover(s.page, 'Check out', '1000');
    await s.page.getByTestId('booking-state').filter({ hasText: 'Picked up' }).waitFor();
    await handover(s.page, 'Return', '1150');
    await s.page.getByTestId('booking-state').filter({ hasText: 'Closed' }).waitFor();
    const charges = s.page.getByTestId('charges');
    await charges.getByRole('row', { name: /Charged to the card\s*€90\.00/ }).waitFor();
    await s.page.getByTestId('payment-state').filter({ hasText: 'released €300.00' }).waitFor();
    await noSideways(s.page);
  });
});
