import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { importAndLaunchOne } from '../support/launch';
import { SCREENSHOTS_DIR, launchChromium } from '../support/browser';
import { axeViolations, describeViolations } from '../support/axe';
import { ownSeedPlan } from '../support/seed-plan';
import type { PlanDefinition } from '@dieu-hanh/domain';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';

const SHOTS = SCREENSHOTS_DIR;

describe('web UI accessibility: axe (WCAG 2 A/AA) on every page, keyboard login, 200% zoom', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  let spec: AssignmentSpec;
  let planId: string;
  let assignmentId: string;
  let planKey: string;
  let approverUsername: string;
  const contexts: BrowserContext[] = [];
  const assignmentPath = () => `/assignments/${encodeURIComponent(assignmentId)}`;

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `a11y-${name}.png`), fullPage: true });

  type PageOptions = { width?: number; height?: number; deviceScaleFactor?: number; storageState?: Awaited<ReturnType<BrowserContext['storageState']>> };

  async function newPage(options: PageOptions = {}): Promise<Page> {
    const context = await browser.newContext({
      baseURL: api.baseUrl,
      locale: 'vi-VN',
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      storageState: options.storageState,
    });
    contexts.push(context);
    return context.newPage();
  }

  /** Session cookies per person: the login form is throttled (10 a minute), so each person logs in through it once. */
  const sessions = new Map<string, NonNullable<PageOptions['storageState']>>();

  /** A browser of its own for one person, logged in through the login form (once; later pages reuse the session). */
  async function logIn(username: string, options: Omit<PageOptions, 'storageState'> = {}): Promise<Page> {
    const known = sessions.get(username);
    if (known) {
      const page = await newPage({ ...options, storageState: known });
      await page.goto('/');
      return page;
    }
    const page = await newPage(options);
    await page.goto('/login');
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    sessions.set(username, await page.context().storageState());
    return page;
  }

  /** Reloads until `selector` is on the page: the read model follows the workflows a moment later. */
  async function reloadUntil(page: Page, selector: string, what: string) {
    await eventually(async () => ((await page.locator(selector).count()) > 0 ? true : (await page.reload(), undefined)), 30_000, what);
  }

  async function expectAccessible(page: Page, name: string) {
    await shot(page, name);
    const violations = await axeViolations(page);
    expect(violations, describeViolations(`${name} (${new URL(page.url()).pathname})`, violations)).toEqual([]);
  }

  let ownPlan: PlanDefinition;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const own = ownSeedPlan('E2E-A11Y');
    ownPlan = own.plan;
    // BT1, led by the Organisation Board: the other browser tests draft FT2 in the People's Committee's unit
    // and find it in their inboxes by title, so this test keeps out of those inboxes (the database is shared).
    spec = own.specsFor('probe').find((s) => s.kind === 'drafting' && s.taskCodes.includes('BT1'))!;
    const office = own.plan.plan.standingOffice;

    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: 'a11y-office', displayName: 'Phạm Văn Phòng', unitCode: office, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: 'a11y-drafter', displayName: 'Nguyễn Văn Soạn', unitCode: spec.leadUnit, roles: ['drafter'] });
    // A unit with no part in the assignment: neither its lead nor one of its coordinating units
    // (those may read it), nor the Standing Office.
    const involved = new Set([spec.leadUnit, ...spec.coordinatingUnits, office]);
    const outsiderUnit = own.plan.units.find((u) => !involved.has(u.code) && u.code.startsWith('HU-'))!.code;
    await api.createUser({ username: 'a11y-outsider', displayName: 'Trần Thị Khác', unitCode: outsiderUnit, roles: ['drafter'] });
    await api.createUser({ username: 'a11y-auditor', displayName: 'Võ Thị Kiểm', unitCode: 'UBKT-TU', roles: ['auditor'] });
    const step = spec.approvalChain![0]!;
    approverUsername = 'a11y-approver';
    await api.createUser({ username: approverUsername, displayName: 'Lê Văn Duyệt', unitCode: step.unit, roles: ['approver', step.role as never] });

    const admin = await api.login('a11y-office');
    ({ planId, planKey, assignmentId } = await importAndLaunchOne(api, admin, own.text, spec.id));

    browser = await launchChromium();

    // A draft submitted through the form, so the first approver has a decision to make.
    const drafter = await logIn('a11y-drafter');
    await drafter.goto(assignmentPath());
    await drafter.getByLabel('Nội dung', { exact: true }).fill('Kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2 năm 2020.\nMục tiêu: thu hút đầu tư.');
    await drafter.getByLabel('Tên tệp 1').fill('du-thao-v1.docx');
    await drafter.getByLabel('Nơi lưu tệp 1 (số hiệu, đường dẫn)').fill('vbdh://2020/01/0001');
    await drafter.getByRole('button', { name: 'Nộp', exact: true }).click();
    await eventually(async () => ((await drafter.locator('#version-1').count()) > 0 ? true : undefined), 15_000, 'version 1 on the assignment page');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await worker?.close();
  });

  it('login page: no serious or critical violations, also with a failed attempt', async () => {
    const page = await newPage();
    await page.goto('/login');
    await expectAccessible(page, 'login');
    await page.getByLabel('Tên đăng nhập').fill('a11y-drafter');
    await page.getByLabel('Mật khẩu').fill('wrong');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').waitFor({ state: 'visible' });
    await expectAccessible(page, 'login-failed');
  });

  it('the check itself catches a planted problem (so a clean result means something)', async () => {
    const page = await newPage();
    await page.goto('/login');
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { getElementById(id: string): { insertAdjacentHTML(where: string, html: string): void } | null } }).document;
      doc.getElementById('main')!.insertAdjacentHTML('beforeend', '<input type="text" id="planted"><img src="/assets/none.png" id="planted-img">');
    });
    const ids = (await axeViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['label', 'image-alt']));
  });

  it('logs in with the keyboard alone: username, Tab, password, Enter, and lands on the inbox', async () => {
    const page = await newPage();
    await page.goto('/login');
    await page.locator('#username').focus();
    await page.keyboard.type('a11y-drafter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('password');
    await page.keyboard.type(TEST_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.keyboard.press('Enter')]);
    // The drafter's inbox: what waits on their unit, the submitted draft among what waits on others.
    expect((await page.locator('h1').first().innerText()).trim()).toBe('Việc chờ tôi');
    await page.locator('#h-queue').waitFor({ state: 'visible' });
    await shot(page, 'keyboard-login-inbox');
  });

  it('inbox, drafter and approver', async () => {
    const drafter = await logIn('a11y-drafter');
    await drafter.locator('#h-queue').waitFor({ state: 'visible' });
    await expectAccessible(drafter, 'inbox-drafter');

    const approver = await logIn(approverUsername);
    await reloadUntil(approver, `#inbox-approvals a:text("${spec.title}")`, "the draft in the approver's inbox");
    await expectAccessible(approver, 'inbox-approver');
  });

  it('assignment page with the approval decision form, also with its "comment needed" error shown', async () => {
    const approver = await logIn(approverUsername);
    await approver.goto(assignmentPath());
    await reloadUntil(approver, '#decision-form', 'the decision form');
    await expectAccessible(approver, 'assignment-decision');
    await approver.getByRole('button', { name: 'Yêu cầu chỉnh sửa' }).click();
    await approver.locator('#comment-needed').waitFor({ state: 'visible' });
    await expectAccessible(approver, 'assignment-decision-comment-needed');

    const drafter = await logIn('a11y-drafter');
    await drafter.goto(assignmentPath());
    await drafter.locator('#version-1').waitFor({ state: 'visible' });
    await expectAccessible(drafter, 'assignment-drafter');
  });

  it('plan dashboard, monthly report and notifications (Standing Office)', async () => {
    const office = await logIn('a11y-office');
    await office.goto(`/plans/${planId}`);
    await office.locator('#matrix').waitFor({ state: 'visible' });
    await expectAccessible(office, 'plan-dashboard');

    await office.goto(`/plans/${planId}/monthly-report`);
    await expectAccessible(office, 'monthly-report');

    await office.goto('/notifications');
    await expectAccessible(office, 'notifications');

    // A new version of the running plan: the plans list links to its amendment page.
    const next = structuredClone(ownPlan);
    next.obligations.find((o) => o.id === 'II.2.b')!.deadline = 'cuối tháng 03/2027';
    const imported = await api.call('POST', '/api/plans', await api.login('a11y-office'), { definition: JSON.stringify(next) });
    expect(imported.status).toBe(201);

    await office.goto('/plans');
    await expectAccessible(office, 'plans');

    await office.goto(`/plans/${imported.body.id}/amendment`);
    await office.locator('#amendment-form').waitFor({ state: 'visible' });
    await expectAccessible(office, 'plan-amendment');
  });

  it('auditor pages: home, timeline with a verification and the state at an event, raw event, plan, plan verification; access log (administrator)', async () => {
    const auditor = await logIn('a11y-auditor');
    await auditor.goto('/audit');
    await expectAccessible(auditor, 'audit-home');
    await auditor.goto('/audit/find?q=no-such-thing');
    await auditor.locator('#find-error').waitFor({ state: 'visible' });
    await expectAccessible(auditor, 'audit-home-not-found');

    const timeline = `/audit/workflows/${encodeURIComponent(assignmentId)}`;
    // A replay runs the workflow code: slow on a loaded machine.
    await auditor.goto(`${timeline}/verify`, { timeout: 180_000 });
    await auditor.locator('#verify-result').waitFor({ state: 'visible', timeout: 120_000 });
    await expectAccessible(auditor, 'audit-timeline-verified');
    const at = await auditor.locator('#at option').last().getAttribute('value');
    await auditor.goto(`${timeline}?at=${encodeURIComponent(at!)}`);
    await auditor.locator('#state-title').waitFor({ state: 'visible' });
    await expectAccessible(auditor, 'audit-state-at-event');
    await auditor.goto(`${timeline}/events/1`);
    await expectAccessible(auditor, 'audit-raw-event');

    await auditor.goto(`/audit/plans/${encodeURIComponent(planKey)}`);
    await expectAccessible(auditor, 'audit-plan');
    // Hold the progress polls while axe reads the progress page: a job that finishes reloads the page mid-check.
    const holdProgress = (route: { abort(): Promise<void> }) => route.abort();
    await auditor.route('**/progress.json', holdProgress);
    await auditor.getByRole('button', { name: 'Kiểm tra tái hiện toàn bộ kế hoạch' }).click();
    await auditor.waitForURL((url) => url.pathname.startsWith('/audit/jobs/'));
    await expectAccessible(auditor, 'audit-plan-verify-progress');
    await auditor.unroute('**/progress.json', holdProgress);
    await auditor.locator('#job-results').waitFor({ state: 'visible', timeout: 180_000 });
    await expectAccessible(auditor, 'audit-plan-verify-results');

    const office = await logIn('a11y-office');
    await office.goto('/audit/access-log');
    await office.locator('#access-log').waitFor({ state: 'visible' });
    await expectAccessible(office, 'audit-access-log');
  });

  it('the 403 page', async () => {
    const outsider = await logIn('a11y-outsider');
    const response = await outsider.goto(assignmentPath());
    expect(response?.status()).toBe(403);
    await outsider.getByRole('alert').waitFor({ state: 'visible' });
    await expectAccessible(outsider, 'forbidden');
  });

  it('English: the inbox and the dashboard', async () => {
    const drafter = await logIn('a11y-drafter');
    await drafter.goto('/?lang=en');
    expect((await drafter.locator('h1').first().innerText()).trim()).toBe('Waiting on me');
    expect(await drafter.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessible(drafter, 'inbox-en');

    const office = await logIn('a11y-office');
    await office.goto(`/plans/${planId}?lang=en`);
    await office.locator('#matrix').waitFor({ state: 'visible' });
    await expectAccessible(office, 'plan-dashboard-en');
  });

  it('the dashboard at 200% zoom: no horizontal page scroll outside its scrollable tables', async () => {
    // 1280 CSS px at 200% is 640 CSS px wide, drawn at twice the pixel density.
    const office = await logIn('a11y-office', { width: 640, height: 900, deviceScaleFactor: 2 });
    await office.goto(`/plans/${planId}`);
    await office.locator('#matrix').waitFor({ state: 'visible' });
    const sizes = await office.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
    });
    await shot(office, 'plan-dashboard-200-percent');
    expect(sizes.scrollWidth, `the page scrolls sideways at 200% zoom: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(sizes.clientWidth + 1);
    await expectAccessible(office, 'plan-dashboard-200-percent');
  });
});
