import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createWorkingCalendar, expandPlan, formatVietnameseDate, parsePlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { importAndLaunchOne } from '../support/launch';
import { SCREENSHOTS_DIR, launchChromium, seeText } from '../support/browser';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';

const ROOT = path.join(__dirname, '..', '..');
const SEED_PATH = path.join(ROOT, 'libs/domain/plans/tra-vinh-2020.plan.yaml');
const SHOTS = SCREENSHOTS_DIR;
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

/** The seed plan under a code of its own, with the drafting deadline at the end of next year so asking for more time makes sense. */
function planText(): string {
  const seed = readFileSync(SEED_PATH, 'utf8');
  const text = seed
    .replace(/^(\s+)code: TV-BTV-2020-NVTT-NVDP$/m, `$1code: E2E-EXT-${randomUUID().slice(0, 8).toUpperCase()}`)
    .replaceAll('deadline: cuối tháng 01/2020', `deadline: cuối tháng 12/${NEXT_YEAR}`);
  if (text === seed) throw new Error('the seed plan changed shape; update planText()');
  return text;
}

describe('web UI: a unit head asks for an extension, the Standing Office grants it on the dashboard', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  let spec: AssignmentSpec;
  const contexts: BrowserContext[] = [];
  const calendar = createWorkingCalendar();
  // Working days, so the date typed is also the effective one.
  const proposed = calendar.nextWorkingDayOnOrAfter(`${NEXT_YEAR + 1}-03-16`);
  const granted = calendar.nextWorkingDayOnOrAfter(`${NEXT_YEAR + 1}-04-15`);

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const assignmentPath = (assignmentId: string) => `/assignments/${encodeURIComponent(assignmentId)}`;

  /** A plan of its own with its FT2 drafting assignment launched, so no test depends on another's leftovers. */
  const freshAssignment = async () => importAndLaunchOne(api, await api.login('ext-office'), planText(), spec.id);

  /** Asks for an extension as the unit head and has the Standing Office grant it, over the API. */
  async function grantedByApi(assignmentId: string, date: string): Promise<void> {
    const asked = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/extension-requests`, await api.login('ext-head'), {
      reason: 'Chờ hướng dẫn của Trung ương về cơ chế đặc thù.',
      proposedDate: date,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const office = await api.login('ext-office');
    // The decision finds the request through the read model: wait for it there.
    const decided = await eventually(async () => {
      const res = await api.call('POST', `/api/extension-requests/${asked.body.requestId}/decision`, office, { granted: true, comment: 'Đồng ý.' });
      return res.status === 404 ? undefined : res;
    }, 30_000, 'the extension request in the read model');
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.deadline.effective).toBe(date);
    // The page reads the read model, which follows the workflow a moment later: wait for the grant there.
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(assignmentId)}`, office)).body.effectiveDeadline === date ? true : undefined), 30_000, 'the grant in the read model');
  }

  async function logIn(username: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: api.baseUrl, locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    // Vietnamese chosen on the login page: an earlier test here reads the pages in English, and a new
    // browser otherwise starts in the language the person last chose.
    await page.goto('/login?lang=vi');
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const parsed = parsePlanDefinition(planText());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    spec = expandPlan(parsed.plan, calendar, { planId: 'probe' }).find((s) => s.kind === 'drafting' && s.taskCodes.includes('FT2'))!;
    const office = parsed.plan.plan.standingOffice;

    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: 'ext-office', displayName: 'Phạm Văn Phòng', unitCode: office, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: 'ext-head', displayName: 'Lê Thị Lãnh Đạo', unitCode: spec.leadUnit, roles: ['unit-head'] });
    await api.createUser({ username: 'ext-drafter', displayName: 'Nguyễn Văn Soạn', unitCode: spec.leadUnit, roles: ['drafter'] });

    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await worker?.close();
  });

  it('shows the form to the unit head only, re-renders bad input with each field\'s error, and takes a good request', async () => {
    const { assignmentId } = await freshAssignment();
    const drafter = await logIn('ext-drafter');
    await drafter.goto(assignmentPath(assignmentId));
    expect(await drafter.getByRole('heading', { name: 'Đề nghị gia hạn' }).count()).toBe(0);

    const head = await logIn('ext-head');
    await head.goto(assignmentPath(assignmentId));
    const form = head.getByRole('form', { name: 'Đề nghị gia hạn' });
    await form.waitFor({ state: 'visible' });
    await form.getByLabel('Lý do đề nghị gia hạn').fill('x');
    await form.getByLabel('Đề nghị gia hạn đến ngày').fill(`31/02/${NEXT_YEAR + 1}`);
    const [response] = await Promise.all([head.waitForResponse((r) => r.request().method() === 'POST'), form.getByRole('button', { name: 'Gửi đề nghị gia hạn' }).click()]);
    expect(response.status()).toBe(400);
    await seeText(head.locator('#ext-reason-error'), 'ít nhất 3 ký tự');
    await seeText(head.locator('#ext-date-error'), `"31/02/${NEXT_YEAR + 1}" không phải là ngày hợp lệ`);
    expect(await head.getByLabel('Đề nghị gia hạn đến ngày').getAttribute('aria-invalid')).toBe('true');
    // What was typed is kept.
    expect(await head.getByLabel('Đề nghị gia hạn đến ngày').inputValue()).toBe(`31/02/${NEXT_YEAR + 1}`);
    await shot(head, 'ext-01-request-invalid');

    // Not after the deadline in force: named on the date field.
    await head.getByLabel('Lý do đề nghị gia hạn').fill('Chờ hướng dẫn của Trung ương về cơ chế đặc thù.');
    await head.getByLabel('Đề nghị gia hạn đến ngày').fill(formatVietnameseDate(spec.deadline.effective));
    await head.getByRole('button', { name: 'Gửi đề nghị gia hạn' }).click();
    await seeText(head.locator('#ext-date-error'), `phải sau hạn hiện tại ${formatVietnameseDate(spec.deadline.effective)}`);

    await head.getByLabel('Đề nghị gia hạn đến ngày').fill(formatVietnameseDate(proposed));
    await head.getByRole('button', { name: 'Gửi đề nghị gia hạn' }).click();
    await seeText(head.getByRole('status').first(), `Đã gửi đề nghị gia hạn đến ngày ${formatVietnameseDate(proposed)}`);
    await seeText(head.locator('#extension-list'), 'đang chờ quyết định');
    expect(await head.getByRole('form', { name: 'Đề nghị gia hạn' }).count()).toBe(0);
    await shot(head, 'ext-02-request-sent');
  });

  it('lets the Standing Office grant it to another date on the dashboard; the page then shows the new and the original deadline', async () => {
    const { planId, assignmentId } = await freshAssignment();
    const asked = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/extension-requests`, await api.login('ext-head'), {
      reason: 'Chờ hướng dẫn của Trung ương về cơ chế đặc thù.',
      proposedDate: proposed,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const office = await logIn('ext-office');
    await office.goto(`/plans/${planId}`);
    const card = office.locator('#extension-requests li.extension-request', { hasText: spec.title });
    await card.waitFor({ state: 'visible' });
    await seeText(card, formatVietnameseDate(proposed));

    // A date that is not after the deadline in force is refused in the form, with the comment kept.
    await card.getByLabel('Ý kiến của Văn phòng').fill('Đồng ý gia hạn, đề nghị khẩn trương hoàn thành.');
    await card.getByLabel('Gia hạn đến ngày khác (nếu có)').fill('01/01/2020');
    await card.getByRole('button', { name: 'Đồng ý gia hạn', exact: true }).click();
    const again = office.locator('#extension-requests li.extension-request', { hasText: spec.title });
    await seeText(again.locator('.field-error'), 'phải sau hạn hiện tại');
    expect(await again.getByLabel('Ý kiến của Văn phòng').inputValue()).toBe('Đồng ý gia hạn, đề nghị khẩn trương hoàn thành.');
    await shot(office, 'ext-03-dashboard-invalid-date');

    await again.getByLabel('Gia hạn đến ngày khác (nếu có)').fill(formatVietnameseDate(granted));
    await again.getByRole('button', { name: 'Đồng ý gia hạn', exact: true }).click();
    const flash = await seeText(office.getByRole('status').first(), 'Đã đồng ý gia hạn');
    expect(flash).toContain(`hạn mới ${formatVietnameseDate(granted)}`);
    expect(flash).toContain(`hạn ban đầu ${formatVietnameseDate(spec.deadline.effective)}`);
    await seeText(office.locator('#extensions'), 'Không có đề nghị gia hạn nào đang chờ.');
    const cell = office.locator(`#matrix a[href="${assignmentPath(assignmentId)}"]`);
    await seeText(cell, formatVietnameseDate(granted));
    await shot(office, 'ext-04-dashboard-granted');

    const head = await logIn('ext-head');
    await head.goto(assignmentPath(assignmentId));
    await seeText(head.locator('#deadline-effective'), formatVietnameseDate(granted));
    await seeText(head.locator('#deadline-effective'), 'đã gia hạn');
    await seeText(head.locator('#deadline-original'), formatVietnameseDate(spec.deadline.effective));
    await seeText(head.locator('#extension-list'), 'đã đồng ý');
    await seeText(head.locator('#extension-list'), 'Phạm Văn Phòng');
    await shot(head, 'ext-05-assignment-extended');

    // In English on request.
    await head.goto(`${assignmentPath(assignmentId)}?lang=en`);
    await head.getByRole('heading', { name: 'Request an extension' }).waitFor({ state: 'visible' });
    await seeText(head.locator('#deadline-original').locator('xpath=..'), 'Original deadline');
  });

  it('lets the Standing Office refuse on the assignment page, but only with a reason', async () => {
    // An earlier extension was granted: a refusal must leave the deadline where that grant put it.
    const { assignmentId } = await freshAssignment();
    await grantedByApi(assignmentId, granted);
    const head = await logIn('ext-head');
    await head.goto(assignmentPath(assignmentId));
    const later = calendar.nextWorkingDayOnOrAfter(`${NEXT_YEAR + 1}-06-15`);
    await head.getByLabel('Lý do đề nghị gia hạn').fill('Cần thêm thời gian lấy ý kiến các sở, ngành.');
    await head.getByLabel('Đề nghị gia hạn đến ngày').fill(formatVietnameseDate(later));
    await head.getByRole('button', { name: 'Gửi đề nghị gia hạn' }).click();
    await seeText(head.getByRole('status').first(), 'Đã gửi đề nghị gia hạn');

    const office = await logIn('ext-office');
    await office.goto(assignmentPath(assignmentId));
    const decide = office.getByRole('form', { name: `Quyết định đề nghị gia hạn đến ngày ${formatVietnameseDate(later)}` });
    await decide.getByRole('button', { name: 'Không đồng ý gia hạn' }).click();
    await seeText(office.locator('.extension-decision .field-error'), 'Vui lòng nêu lý do không đồng ý.');
    await office.getByLabel('Ý kiến của Văn phòng').fill('Đã gia hạn một lần; đề nghị hoàn thành đúng hạn mới.');
    await office.getByRole('button', { name: 'Không đồng ý gia hạn' }).click();
    await seeText(office.getByRole('status').first(), 'Đã không đồng ý gia hạn');
    await seeText(office.locator('#extension-list'), 'không đồng ý');
    // Refused: the deadline stays where the grant put it.
    await seeText(office.locator('#deadline-effective'), formatVietnameseDate(granted));
    await shot(office, 'ext-06-assignment-refused');
  });

  it('links the monthly consolidated report from the dashboard, with a period picker and its XLSX', async () => {
    const { planId } = await freshAssignment();
    const office = await logIn('ext-office');
    await office.goto(`/plans/${planId}`);
    await office.getByRole('link', { name: 'Báo cáo tổng hợp hằng tháng (mục III.6)' }).click();
    await office.waitForURL((url) => url.pathname === `/plans/${planId}/monthly-report`);
    await office.getByLabel('Kỳ báo cáo (tháng/năm)').fill('2020-03');
    await office.getByRole('button', { name: 'Xem báo cáo' }).click();
    await seeText(office.locator('h1'), 'Báo cáo tổng hợp tháng 03/2020');
    // Only one drafting assignment was launched: both monthly duties show, not opened.
    expect(await office.locator('#monthly-report tbody tr').count()).toBe(2);
    await seeText(office.locator('#monthly-report'), 'Chưa mở kỳ báo cáo');
    await shot(office, 'ext-07-monthly-report');
    const xlsx = await office.request.get(`/plans/${planId}/monthly-report.xlsx?period=2020-03`);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

    const bad = await office.goto(`/plans/${planId}/monthly-report?period=2020-13`);
    expect(bad?.status()).toBe(400);
    await seeText(office.locator('#period-error'), '"2020-13" không phải là tháng hợp lệ');

    const drafter = await logIn('ext-drafter');
    const refused = await drafter.goto(`/plans/${planId}/monthly-report`);
    expect(refused?.status()).toBe(403);
  });
});
