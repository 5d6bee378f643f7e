import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { launchChromium, logInThroughForm, seeText } from '../support/browser';
import { eventually } from '../support/harness';
import { seedSyntheticInbox, seedSyntheticNotices, type SyntheticInbox } from '../support/synthetic-inbox';

/** Each person's browser context, closed with the browser. */
const contexts: BrowserContext[] = [];

/**
 * Issue 10, notices as people expect: per person (a head-only escalation is not the drafter's),
 * read/unread per person, mark one and all read, the header badge, filters, paging without a
 * silent cap, the plan named, dates dd/mm/yyyy, and the reader's language.
 */
describe('notifications per person, read and unread', () => {
  let api: ApiHarness;
  let browser: Browser;
  let seed: SyntheticInbox;
  const forAll = 60;
  const forHeads = 7;
  const users = { drafter: '', head: '' };
  const pages: Page[] = [];

  const badge = (page: Page) => page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: /^Thông báo/ });
  const results = (page: Page) => page.locator('#notices-results');

  beforeAll(async () => {
    api = await startApi(`notices-${Date.now()}`);
    const db = api.app.get(DataSource);
    seed = await seedSyntheticInbox(db, { todo: 80, sentBack: 0, submitted: 0, extensions: 0, difficulties: 0 });
    await seedSyntheticNotices(db, seed, forAll, forHeads);
    const suffix = Date.now().toString(36);
    users.drafter = `notice-drafter-${suffix}`;
    users.head = `notice-head-${suffix}`;
    await api.createUser({ username: users.drafter, displayName: 'Nguyễn Văn Soạn', unitCode: seed.units.drafter, roles: ['drafter'] });
    await api.createUser({ username: users.head, displayName: 'Lê Thị Trưởng', unitCode: seed.units.drafter, roles: ['unit-head'] });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const p of pages) await p.context().close().catch(() => undefined);
    await browser?.close();
    await api?.close();
  });

  const logIn = async (username: string) => {
    const page = await logInThroughForm(browser, contexts, api.baseUrl, username, TEST_PASSWORD);
    pages.push(page);
    return page;
  };

  it('shows each person their own notices with a badge, in pages, in their words and dates; marks one and all read for that person only', async () => {
    const drafter = await logIn(users.drafter);
    const nav = await drafter.getByRole('navigation').first().getAttribute('aria-label');
    expect(nav).toBeTruthy();
    await expect(badge(drafter).innerText()).resolves.toMatch(new RegExp(`^Thông báo ${forAll}`));
    await badge(drafter).click();
    await seeText(results(drafter), `1–25 trên tổng số ${forAll}`);
    // The plan by its number, the deadline dd/mm/yyyy; the workflow's own text with its ISO dates rewritten.
    const first = drafter.locator('#notices li').first();
    await seeText(first, `Kế hoạch số ${seed.planNumber}`);
    const texts = await drafter.locator('#notices').innerText();
    expect(texts).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(texts).toMatch(/Hạn \d{2}\/\d{2}\/\d{4}/);
    // No silent cap: the last page holds the rest.
    await drafter.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang sau' }).click();
    await drafter.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang sau' }).click();
    await seeText(results(drafter), `51–${forAll} trên tổng số ${forAll}`);

    // Mark one read: the badge counts one fewer, the filters split read and unread.
    await drafter.goto('/notifications');
    await drafter.getByRole('button', { name: 'Đánh dấu đã đọc' }).first().click();
    await seeText(drafter.getByRole('status').first(), 'Đã đánh dấu thông báo là đã đọc.');
    await expect(badge(drafter).innerText()).resolves.toMatch(new RegExp(`^Thông báo ${forAll - 1}`));
    await drafter.getByLabel('Hiển thị').selectOption({ label: 'Chưa đọc' });
    await drafter.getByRole('button', { name: 'Lọc' }).click();
    await seeText(results(drafter), `trên tổng số ${forAll - 1}`);
    await drafter.getByLabel('Hiển thị').selectOption({ label: 'Đã đọc' });
    await drafter.getByRole('button', { name: 'Lọc' }).click();
    await seeText(results(drafter), `1–1 trên tổng số 1`);

    // The unit head has the head-only escalations too, and the drafter's read is not theirs.
    const head = await logIn(users.head);
    await expect(badge(head).innerText()).resolves.toMatch(new RegExp(`^Thông báo ${forAll + forHeads}`));
    await head.goto('/notifications?kind=escalation');
    await seeText(results(head), `1–${forHeads} trên tổng số ${forHeads}`);

    // Mark all read: the drafter's badge is gone, the head's stays.
    await drafter.goto('/notifications');
    await drafter.getByRole('button', { name: 'Đánh dấu tất cả đã đọc' }).click();
    await seeText(drafter.getByRole('status').first(), `Đã đánh dấu ${forAll - 1} thông báo là đã đọc.`);
    expect(await drafter.locator('#unread-badge').count()).toBe(0);
    await head.reload();
    await expect(badge(head).innerText()).resolves.toMatch(new RegExp(`^Thông báo ${forAll + forHeads}`));
  });

  it('speaks the reader’s language: English headlines, the Vietnamese original quoted', async () => {
    const head = await logIn(users.head);
    await head.goto('/notifications?lang=en');
    await expect(head.getByRole('heading', { level: 1, name: 'My notices' }).isVisible()).resolves.toBe(true);
    await seeText(head.locator('#notices li').first(), `Plan No. ${seed.planNumber}, due `);
    await expect(head.getByText('Original text (Vietnamese)').first().isVisible()).resolves.toBe(true);
    await expect(head.getByRole('button', { name: 'Mark all as read' }).isVisible()).resolves.toBe(true);
  });

  it("stores the language a person switches to, so their e-mails follow it (and back)", async () => {
    const db = api.app.get(DataSource);
    const username = `notice-reader-${Date.now().toString(36)}`;
    await api.createUser({ username, displayName: 'Trần Văn Đọc', unitCode: seed.units.drafter, roles: ['unit-head'] });
    const languageOf = async () => ((await db.query(`SELECT language FROM users WHERE username = $1`, [username])) as { language: string }[])[0].language;
    expect(await languageOf()).toBe('vi');
    const head = await logIn(username);
    await head.getByRole('link', { name: 'English' }).click();
    await seeText(head.getByRole('heading', { level: 1 }), 'Waiting on me');
    await eventually(async () => ((await languageOf()) === 'en' ? true : undefined), 10_000, 'the language stored');
    await head.getByRole('link', { name: 'Tiếng Việt' }).click();
    await seeText(head.getByRole('heading', { level: 1 }), 'Việc chờ tôi');
    await eventually(async () => ((await languageOf()) === 'vi' ? true : undefined), 10_000, 'the language stored back');
  });
});
