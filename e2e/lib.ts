import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../scripts/lib/chromium.mjs';

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:5000';
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? 'e2e/artifacts';

type Credentials = { login: string; password: string; name: string };
export const USERS = JSON.parse(process.env.E2E_USERS ?? '{}') as Record<
  'admin' | 'manager' | 'employee',
  Credentials
>;

export type Session = { context: BrowserContext; page: Page; console: string[] };

/** A fresh browser profile (a phone-sized one with `mobile`) whose console is recorded. */
export async function openSession(browser: Browser, opts: { mobile?: boolean } = {}): Promise<Session> {
  const context = await browser.newContext({
    baseURL: BASE,
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.push(`[pageerror] ${e.message}`));
  page.on('requestfailed', (r) =>
    console.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText}`),
  );
  return { context, page, console };
}

/**
 * Signs in through the API inside the browser profile: the refresh cookie lands in the profile, so the
 * app's silent refresh on load finds the session exactly as after a real login. Returns the access
 * token, for a spec that prepares data over the API.
 */
export async function loginViaApi(s: Session, who: keyof typeof USERS): Promise<string> {
  const u = USERS[who];
  const res = await s.context.request.post('/api/v1/auth/login', {
    data: { login: u.login, password: u.password },
  });
  if (!res.ok()) throw new Error(`login of ${who} failed: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/** Runs a step; when it fails, saves a screenshot and the console log and names them. */
export async function step(s: Session, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, slug(name));
    await s.page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => undefined);
    writeFileSync(`${file}.console.log`, `${s.page.url()}\n\n${s.console.join('\n')}\n`);
    console.error(`  ✗ artifacts: ${file}.png, ${file}.console.log`);
    throw err;
  }
}

/** Console lines that show the Content-Security-Policy blocked something. */
export const cspViolations = (s: Session) =>
  s.console.filter((l) => /Content Security Policy|Content-Security-Policy/i.test(l));

/**
 * Chromium for the whole spec file, and `scenario(name, opts, fn)`: a test in a browser context of its
 * own (a phone's with `mobile`), run as one step and closed after it.
 */
export function scenarios() {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  return (name: string, opts: { mobile?: boolean }, fn: (s: Session) => Promise<void>) =>
    test(name, async () => {
      const s = await openSession(browser, opts);
      try {
        await step(s, name, () => fn(s));
      } finally {
        await s.context.close();
      }
    });
}
