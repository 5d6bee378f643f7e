import path from 'node:path';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { eventually } from './harness';

/** Where browser tests leave their screenshots (a test artifact, gitignored). */
export const SCREENSHOTS_DIR = path.join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/** Debian's Chromium, headless, with nothing reaching for the network (playwright's own download cannot work here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Waits until the first element `locator` finds contains `expected` (pages change as forms post and redirect). */
export async function seeText(locator: Locator, expected: string, timeoutMs = 15_000): Promise<string> {
  return eventually(async () => {
    if ((await locator.count()) === 0) return undefined;
    const text = await locator.first().innerText();
    return text.includes(expected) ? text : undefined;
  }, timeoutMs, `"${expected}" in ${String(locator)}`);
}
