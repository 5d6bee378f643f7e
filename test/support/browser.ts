import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
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

/** A browser context of its own (own cookies) for one person, logged in through the login form in Vietnamese. */
export async function logInThroughForm(
  browser: Browser,
  contexts: BrowserContext[],
  baseURL: string,
  username: string,
  password: string,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'vi-VN', viewport: options.viewport ?? { width: 1280, height: 900 }, acceptDownloads: options.acceptDownloads ?? false });
  contexts.push(context);
  const page = await context.newPage();
  // Vietnamese chosen on the login page: a new browser otherwise starts in the language the person
  // last chose, which an earlier test may have set to English.
  await page.goto('/login?lang=vi');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

/** Closes a browser test's contexts, browser, API and worker, in that order; any of them may be missing. */
export async function closeBrowserTest(parts: { contexts: BrowserContext[]; browser?: Browser; api?: { close(): Promise<void> }; worker?: { close(): Promise<void> } }): Promise<void> {
  for (const context of parts.contexts) await context.close().catch(() => undefined);
  await parts.browser?.close();
  await parts.api?.close();
  await parts.worker?.close();
}
