import type { Browser } from 'playwright-core';

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export function launchChromium(): Promise<Browser>;
