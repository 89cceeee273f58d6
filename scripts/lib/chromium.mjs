// Shared by e2e and bench, so it is plain ESM JavaScript (types in chromium.d.mts).
import { chromium } from 'playwright-core';

/** Headless Debian Chromium that makes no network traffic of its own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}
