import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createWorkingCalendar, expandPlan, parsePlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { importAndLaunchOne } from '../support/launch';
import { SCREENSHOTS_DIR, launchChromium, seeText } from '../support/browser';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';

const ROOT = path.join(__dirname, '..', '..');
const SEED_PATH = path.join(ROOT, 'libs/domain/plans/tra-vinh-2020.plan.yaml');
const SHOTS = SCREENSHOTS_DIR;

/**
 * The seed plan, made this test's own: a unique plan code (the integration database is shared
 * by the run) and the drafting deadline moved into next year, so an approval today is on time.
 */
function e2ePlanText(): string {
  const seed = readFileSync(SEED_PATH, 'utf8');
  const nextYear = new Date().getUTCFullYear() + 1;
  const text = seed
    .replace(/^(\s+)code: TV-BTV-2020-NVTT-NVDP$/m, `$1code: E2E-WEB-${randomUUID().slice(0, 8).toUpperCase()}`)
    .replaceAll('deadline: cuối tháng 01/2020', `deadline: cuối tháng 12/${nextYear}`);
  if (text === seed) throw new Error('the seed plan changed shape; update e2ePlanText()');
  return text;
}

const V1 = [
  'Kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2 năm 2020.',
  'Mục tiêu: thu hút đầu tư vào khu kinh tế Định An.',
  'Giải pháp: ba nhóm giải pháp chính.',
].join('\n');
const V2 = [
  'Kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2 năm 2020 và những năm tiếp theo.',
  'Mục tiêu: thu hút mạnh đầu tư vào khu kinh tế Định An.',
  'Giải pháp: bốn nhóm giải pháp chính.',
].join('\n');

describe('web UI: draft, send back, redraft, approve through the chain, see it green on the dashboard', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  let spec: AssignmentSpec;
  let planId: string;
  let assignmentId: string;
  const contexts: BrowserContext[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  /** A browser of its own (own cookies) for one person, logged in through the login form. */
  async function logIn(username: string, lang?: 'en'): Promise<Page> {
    const context = await browser.newContext({ baseURL: api.baseUrl, locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    // The language is chosen on the login page: a new browser otherwise starts in the person's last choice.
    await page.goto(`/login?lang=${lang ?? 'vi'}`);
    await page.getByLabel(lang ? 'Username' : 'Tên đăng nhập').fill(username);
    await page.getByLabel(lang ? 'Password' : 'Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: lang ? 'Log in' : 'Đăng nhập' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    // Other test files share the database and the units: the inbox keeps to this test's plan, so
    // its row is on the first page however many other plans the suite has launched.
    if (assignmentId) await page.goto(`/?plan=${encodeURIComponent(assignmentId.split(':')[1])}`);
    return page;
  }

  /** Reloads until `selector` is on the page: the read model follows the workflows a moment later. */
  /** Other browser tests share the database and the unit: find this test's assignment by its link. */
  const ownLink = () => `a[href="/assignments/${encodeURIComponent(assignmentId)}"]`;

  async function reloadUntil(page: Page, selector: string, what: string) {
    await eventually(async () => ((await page.locator(selector).count()) > 0 ? true : (await page.reload(), undefined)), 30_000, what);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (!existsSync(SEED_PATH)) throw new Error(`the seed plan ${SEED_PATH} is missing`);
    const planText = e2ePlanText();
    const parsed = parsePlanDefinition(planText);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    spec = expandPlan(parsed.plan, createWorkingCalendar(), { planId: 'probe' }).find((s) => s.kind === 'drafting' && s.taskCodes.includes('FT2'))!;
    const office = parsed.plan.plan.standingOffice;

    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: 'web-admin', displayName: 'Quản trị Văn phòng', unitCode: office, roles: ['administrator', 'standing-office'] });
    await api.createUser({ username: 'web-drafter', displayName: 'Nguyễn Văn Soạn', unitCode: spec.leadUnit, roles: ['drafter'] });
    await api.createUser({ username: 'web-outsider', displayName: 'Trần Thị Khác', unitCode: 'BTC-TU', roles: ['drafter'] });
    for (const [i, step] of spec.approvalChain!.entries()) {
      await api.createUser({ username: `web-approver-${i}`, displayName: `Lê Văn Duyệt ${i + 1}`, unitCode: step.unit, roles: ['approver', step.role as never] });
    }

    const admin = await api.login('web-admin');
    ({ planId, assignmentId } = await importAndLaunchOne(api, admin, planText, spec.id));

    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await worker?.close();
  });

  it('sends a stranger to the login page, and back to where they were going afterwards', async () => {
    const context = await browser.newContext({ baseURL: api.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    const target = `/assignments/${encodeURIComponent(assignmentId)}`;
    await page.goto(target);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Mật khẩu').fill('wrong');
    await page.getByLabel('Tên đăng nhập').fill('web-drafter');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    expect((await seeText(page.getByRole('alert'), 'Sai tên đăng nhập hoặc mật khẩu.')).trim()).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    await shot(page, '01-login-failed');
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((url) => url.pathname === target || decodeURIComponent(url.pathname) === decodeURIComponent(target));
    expect((await seeText(page.locator('h1'), spec.title)).trim()).toBe(spec.title);
  });

  it('takes a draft, a send-back, a second version and approval at every step, then shows it done on time', async () => {
    // Drafter: the assignment waits in the inbox; submit version 1 with an attachment.
    const drafter = await logIn('web-drafter');
    await seeText(drafter.locator('#inbox-open'), spec.title);
    await seeText(drafter.locator('#inbox-open'), 'còn');
    await shot(drafter, '02-inbox-drafter');
    await drafter.locator(`#inbox-open ${ownLink()}`).click();
    await drafter.getByLabel('Nội dung', { exact: true }).fill(V1);
    await drafter.getByLabel('Tên tệp 1').fill('du-thao-ke-hoach-v1.docx');
    await drafter.getByLabel('Nơi lưu tệp 1 (số hiệu, đường dẫn)').fill('vbdh://2020/01/0001');
    await drafter.getByRole('button', { name: 'Nộp', exact: true }).click();
    await seeText(drafter.getByRole('status').first(), 'Đã nộp phiên bản 1');
    await seeText(drafter.locator('#version-1'), 'du-thao-ke-hoach-v1.docx');
    await shot(drafter, '03-assignment-submitted-v1');

    // First approver: sees it in the inbox; "request changes" needs a comment.
    const first = await logIn('web-approver-0');
    await reloadUntil(first, `#inbox-approvals ${ownLink()}`, 'the draft in the first approver\'s inbox');
    await shot(first, '04-inbox-approver');
    await first.locator(`#inbox-approvals ${ownLink()}`).click();
    await first.getByRole('button', { name: 'Yêu cầu chỉnh sửa' }).click();
    await first.locator('#comment-needed').waitFor({ state: 'visible' });
    await first.getByLabel('Ý kiến', { exact: true }).fill('Đề nghị bổ sung mục tiêu thu hút đầu tư và số nhóm giải pháp.');
    await first.getByRole('button', { name: 'Yêu cầu chỉnh sửa' }).click();
    await seeText(first.getByRole('status').first(), 'Yêu cầu chỉnh sửa');
    await seeText(first.locator('ol.chain').first(), 'Đề nghị bổ sung mục tiêu');
    await shot(first, '05-assignment-changes-requested');

    // Drafter: version 2, edited from version 1's text.
    await drafter.reload();
    await reloadUntil(drafter, '#submit-form', 'the assignment to reopen for version 2');
    await drafter.getByRole('heading', { name: 'Nộp phiên bản 2' }).waitFor({ state: 'visible' });
    expect(await drafter.getByLabel('Nội dung', { exact: true }).inputValue()).toBe(V1);
    await drafter.getByLabel('Nội dung', { exact: true }).fill(V2);
    await drafter.getByLabel('Nơi lưu tệp 1 (số hiệu, đường dẫn)').fill('vbdh://2020/01/0002');
    await drafter.getByRole('button', { name: 'Nộp', exact: true }).click();
    await seeText(drafter.getByRole('status').first(), 'Đã nộp phiên bản 2');

    // First approver: the difference between versions 1 and 2, then approve.
    await first.reload();
    await reloadUntil(first, '#decision-form input[name="version"][value="2"]', 'version 2 under approval');
    await first.locator('#diff-2 ins').first().waitFor({ state: 'visible' });
    expect(await first.locator('#diff-2 ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('mạnh'), expect.stringContaining('bốn')]));
    expect(await first.locator('#diff-2 del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('ba')]));
    await shot(first, '06-assignment-diff-v2');
    await first.getByRole('button', { name: 'Đồng ý', exact: true }).click();
    await seeText(first.getByRole('status').first(), 'Đồng ý');

    // Every further step of the chain approves in turn.
    for (let i = 1; i < spec.approvalChain!.length; i++) {
      const next = await logIn(`web-approver-${i}`);
      await reloadUntil(next, `#inbox-approvals ${ownLink()}`, `the draft in approver ${i}'s inbox`);
      await next.locator(`#inbox-approvals ${ownLink()}`).click();
      await next.getByLabel('Ý kiến', { exact: true }).fill('Đồng ý ban hành.');
      await next.getByRole('button', { name: 'Đồng ý', exact: true }).click();
      await seeText(next.getByRole('status').first(), 'Đồng ý');
      if (i === spec.approvalChain!.length - 1) {
        await reloadUntil(next, '.badge.status-done-on-time', 'the assignment done on time');
        await shot(next, '07-assignment-approved');
        // What a person at 200% zoom sees: half the CSS width, nothing cut off or overlapping.
        await next.setViewportSize({ width: 640, height: 900 });
        await shot(next, '07b-assignment-approved-200-percent');
      }
    }

    // The dashboard shows it green (done on time), and the matrix exports.
    const office = await logIn('web-admin');
    await office.goto(`/plans/${planId}`);
    const cell = office.locator(`#matrix a[href="/assignments/${encodeURIComponent(assignmentId)}"]`);
    expect(await cell.getAttribute('data-status')).toBe('done-on-time');
    // A done cell shows when it was done, not the deadline.
    expect(await cell.locator('.when').innerText()).toMatch(/^xong \d{2}\/\d{2}\/\d{4}$/);
    // The status colour is painted, not only named (the browser's own view of the cell).
    const painted = await cell.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(painted).toBe('rgb(46, 125, 50)');
    await seeText(office.locator('#stats'), '1');
    await shot(office, '08-plan-dashboard');
    const xlsx = await office.request.get(`/plans/${planId}/matrix.xlsx`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

    // The Standing Office's notices (submissions, decisions) link to the assignment.
    await office.goto('/notifications');
    await office.locator(`#notices a[href="/assignments/${encodeURIComponent(assignmentId)}"]`).first().waitFor({ state: 'visible' });
    await shot(office, '09-notifications');

    // English on request, remembered.
    await drafter.goto('/?lang=en');
    expect((await seeText(drafter.locator('h1'), 'Waiting on me')).trim()).toBe('Waiting on me');
    await drafter.goto('/notifications');
    expect((await seeText(drafter.locator('h1'), 'My notices')).trim()).toBe('My notices');
    await shot(drafter, '10-notifications-en');
  });

  it("refuses another unit's drafter with a 403 page that gives the reason, and refuses a form without its CSRF token", async () => {
    const outsider = await logIn('web-outsider');
    const response = await outsider.goto(`/assignments/${encodeURIComponent(assignmentId)}`);
    expect(response?.status()).toBe(403);
    await seeText(outsider.locator('h1'), 'Không có quyền truy cập');
    await seeText(outsider.getByRole('alert'), 'BTC-TU');
    await shot(outsider, '11-forbidden');

    const forged = await outsider.request.post('/logout', { form: { _csrf: 'forged' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
  });
});
