import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { assignmentStatus, createWorkingCalendar } from '@dieu-hanh/domain';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { SCREENSHOTS_DIR, launchChromium, logInThroughForm, seeText } from '../support/browser';
import { seedSyntheticInbox, type SyntheticInbox } from '../support/synthetic-inbox';

const calendar = createWorkingCalendar();
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * Issue 10, inbox per role at real volume: a synthetic plan of more than a thousand
 * assignments in the read model, and each role's inbox in Chromium, found by accessible
 * names, in Vietnamese and English: counts, filters (plan, kind, status, unit, period),
 * grouping by plan, sorting, paging, the sent-back item on top, the approver's step time.
 */
describe('inbox per role at 1,000+ assignments', () => {
  let api: ApiHarness;
  let browser: Browser;
  let seed: SyntheticInbox;
  const contexts: BrowserContext[] = [];
  const who: Record<'drafter' | 'head' | 'approver' | 'office' | 'auditor', string> = { drafter: '', head: '', approver: '', office: '', auditor: '' };

  async function logIn(username: string): Promise<Page> {
    return logInThroughForm(browser, contexts, api.baseUrl, username, TEST_PASSWORD);
  }
  const queueLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Hàng việc' }).getByRole('link', { name: new RegExp(`^${name} \\(`) });
  const results = (page: Page) => page.locator('#inbox-results');
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS_DIR, `inbox-${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    api = await startApi(`inbox-${Date.now()}`);
    seed = await seedSyntheticInbox(api.app.get(DataSource));
    const suffix = Date.now().toString(36);
    const people = {
      drafter: { displayName: 'Nguyễn Văn Soạn', unitCode: seed.units.drafter, roles: ['drafter'] },
      head: { displayName: 'Lê Thị Trưởng', unitCode: seed.units.drafter, roles: ['unit-head'] },
      approver: { displayName: 'Trần Phó Bí Thư', unitCode: seed.units.board, roles: ['approver'] },
      office: { displayName: 'Phạm Văn Phòng', unitCode: seed.units.office, roles: ['standing-office'] },
      auditor: { displayName: 'Võ Thị Kiểm', unitCode: 'UBKT-TU', roles: ['auditor'] },
    } as const;
    for (const [role, p] of Object.entries(people) as [keyof typeof who, (typeof people)[keyof typeof who]][]) {
      who[role] = `inbox-${role}-${suffix}`;
      await api.createUser({ username: who[role], displayName: p.displayName, unitCode: p.unitCode, roles: [...p.roles] as never });
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
  });

  it('drafter: the sent-back drafts on top with the comment and the new deadline, counts, status filter and paging over 1,000 rows', async () => {
    const page = await logIn(who.drafter);
    await expect(page.getByRole('heading', { level: 1, name: 'Việc chờ tôi' }).isVisible()).resolves.toBe(true);
    // Sent back: above everything, with the comment and the new deadline.
    const top = page.getByRole('region', { name: `Bị trả lại để sửa (${seed.counts.sentBack})` });
    await seeText(top, `${seed.sentBackComment} (1)`);
    const firstSentBack = seed.rows.find((r) => r.queue === 'sent-back')!;
    await seeText(top, `Hạn mới: ${ddmmyyyy(firstSentBack.state.deadline.effective)}`);
    await seeText(top, 'Trần Phó Bí Thư');
    // Counts per queue.
    await expect(queueLink(page, 'Việc cần làm').innerText()).resolves.toContain(`(${seed.counts.todo})`);
    await expect(queueLink(page, 'Đã trình, chờ phê duyệt').innerText()).resolves.toContain(`(${seed.counts.submitted})`);
    await seeText(results(page), `1–50 trên tổng số ${seed.counts.todo}`);
    // Grouped by plan, the plan's number on every row.
    await expect(page.getByRole('rowheader', { name: new RegExp(`Kế hoạch số ${seed.otherPlanNumber.replace('/', '\\/')}`) }).count()).resolves.toBeGreaterThan(0);
    const planCells = await page.locator('#inbox-open tbody tr:not(.group) td:first-child').allInnerTexts();
    expect(planCells).toHaveLength(50);
    expect(planCells.every((c) => c === seed.planNumber || c === seed.otherPlanNumber)).toBe(true);
    await shot(page, 'drafter');

    // Filter by status "Quá hạn": as many rows as the domain function counts on the same rows.
    const overdue = seed.rows.filter((r) => ['todo', 'extensions'].includes(r.queue) && assignmentStatus(r.state, new Date(), calendar) === 'overdue').length;
    expect(overdue).toBeGreaterThan(50);
    await page.getByLabel('Tình trạng').selectOption({ label: 'Quá hạn' });
    await page.getByRole('button', { name: 'Lọc' }).click();
    await seeText(results(page), `1–50 trên tổng số ${overdue}`);
    const badges = await page.locator('#inbox-open .badge').allInnerTexts();
    expect(new Set(badges)).toEqual(new Set(['Quá hạn']));
    // Paging keeps the filter.
    await page.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang sau' }).click();
    await seeText(results(page), `51–${Math.min(100, overdue)} trên tổng số ${overdue}`);
    await page.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang cuối' }).click();
    await seeText(results(page), `trên tổng số ${overdue}`);
    expect(page.url()).toContain('status=overdue');

    // Filter by plan, kind and period together.
    const period = seed.rows.find((r) => r.queue === 'todo' && r.kind === 'review' && r.planKey === seed.planKey && r.state.deadline.effective > new Date().toISOString().slice(0, 10))!.state.deadline.effective.slice(0, 7);
    const expected = seed.rows.filter((r) => ['todo', 'extensions'].includes(r.queue) && r.planKey === seed.planKey && r.kind === 'review' && r.state.deadline.effective.startsWith(period)).length;
    await page.goto('/');
    await page.getByLabel('Kế hoạch', { exact: true }).selectOption({ value: seed.planKey });
    await page.getByLabel('Loại việc').selectOption({ value: 'review' });
    await page.getByLabel('Kỳ (tháng của hạn)').selectOption({ label: `${period.slice(5)}/${period.slice(0, 4)}` });
    await page.getByRole('button', { name: 'Lọc' }).click();
    await seeText(results(page), `trên tổng số ${expected}`);
    const kinds = await page.locator('#inbox-open tbody tr:not(.group) td:nth-child(4)').allInnerTexts();
    expect(kinds.length).toBe(expected);
    expect(new Set(kinds).size).toBe(1);

    // A submitted draft does not drop out: it waits in its own queue, with who submitted it.
    await queueLink(page, 'Đã trình, chờ phê duyệt').click();
    await seeText(results(page), `1–50 trên tổng số ${seed.counts.submitted}`);
    await seeText(page.locator('#inbox-submitted'), 'Phiên bản 1, Nguyễn Văn Soạn');
  });

  it('approver: waiting for my step, since when, and the step time limit; sorted by urgency', async () => {
    const page = await logIn(who.approver);
    await expect(queueLink(page, 'Chờ tôi cho ý kiến').innerText()).resolves.toContain(`(${seed.counts.submitted})`);
    const table = page.locator('#inbox-approvals');
    await expect(table.getByRole('columnheader', { name: 'Đến lượt tôi từ' }).isVisible()).resolves.toBe(true);
    await expect(table.getByRole('columnheader', { name: 'Thời hạn của bước' }).isVisible()).resolves.toBe(true);
    await seeText(table, '2 ngày 4 giờ, đến ');
    const since = await table.locator('tbody tr:not(.group) td:nth-child(7)').first().innerText();
    expect(since).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await page.getByLabel('Sắp xếp').selectOption({ label: 'Khẩn cấp nhất trước' });
    await page.getByRole('button', { name: 'Lọc' }).click();
    await seeText(results(page), `trên tổng số ${seed.counts.submitted}`);
    await page.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang sau' }).click();
    await seeText(results(page), `51–${seed.counts.submitted} trên tổng số ${seed.counts.submitted}`);
    await shot(page, 'approver');
  });

  it('Standing Office: extension requests, reported difficulties and escalations needing action', async () => {
    const page = await logIn(who.office);
    await expect(queueLink(page, 'Đề nghị gia hạn').innerText()).resolves.toContain(`(${seed.counts.extensions})`);
    await expect(queueLink(page, 'Khó khăn, vướng mắc được báo cáo').innerText()).resolves.toContain(`(${seed.counts.difficulties})`);
    await expect(queueLink(page, 'Cảnh báo quá hạn cần xử lý').innerText()).resolves.toContain(`(${seed.counts.escalated})`);
    await queueLink(page, 'Đề nghị gia hạn').click();
    await seeText(page.locator('#inbox-extensions'), 'Chờ số liệu thống kê quý');
    await queueLink(page, 'Khó khăn, vướng mắc được báo cáo').click();
    await seeText(page.locator('#inbox-difficulties'), 'Thiếu kinh phí triển khai');
    await queueLink(page, 'Cảnh báo quá hạn cần xử lý').click();
    await seeText(results(page), `trên tổng số ${seed.counts.escalated}`);
    await shot(page, 'office');
  });

  it('unit head: the unit’s overdue work besides its to-do list', async () => {
    const page = await logIn(who.head);
    await queueLink(page, 'Việc quá hạn của đơn vị').click();
    await seeText(results(page), `trên tổng số ${seed.counts.escalated}`);
  });

  it('auditor, in English: every assignment, filtered by plan and unit, paged', async () => {
    const page = await logIn(who.auditor);
    await page.goto('/?lang=en');
    await expect(page.getByRole('heading', { level: 1, name: 'Waiting on me' }).isVisible()).resolves.toBe(true);
    await page.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: /^All assignments/ }).click();
    const inPlan = seed.rows.filter((r) => r.planKey === seed.planKey).length;
    expect(inPlan).toBeGreaterThan(1000);
    await page.getByLabel('Plan', { exact: true }).selectOption({ value: seed.planKey });
    await page.getByLabel('Unit').selectOption({ value: seed.units.drafter });
    await page.getByLabel('Rows per page').selectOption('100');
    await page.getByRole('button', { name: 'Filter' }).click();
    await seeText(results(page), `1–100 of ${inPlan}`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next page' }).click();
    await seeText(results(page), `101–200 of ${inPlan}`);
    await shot(page, 'auditor-en');
  });

  it('a filter value that is not offered is refused in the reader’s language, naming the field', async () => {
    const page = await logIn(who.drafter);
    const res = await page.goto('/?status=late-ish&period=2020-13');
    expect(res?.status()).toBe(400);
    const alert = page.getByRole('alert');
    await seeText(alert, 'Tình trạng: giá trị không có trong danh sách chọn');
    await seeText(alert, 'Kỳ (tháng của hạn): phải là tháng/năm hợp lệ (yyyy-mm)');
    expect(await alert.innerText()).not.toMatch(/[A-Z_]{6,}/);
  });
});
