/**
 * Headless Chromium for browser tests (Debian's /usr/bin/chromium driven by playwright-core). Without it the
 * browser tests are skipped locally; under CI a missing browser is a failure, never a skip.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** For `describe.skipIf`: true only when Chromium is missing and we are not in CI. */
export const skipBrowserTests = !fs.existsSync(CHROMIUM_PATH) && !process.env.CI;

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}, and the browser tests need it`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
