import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { importAndLaunchOne } from '../support/launch';
import { SCREENSHOTS_DIR, launchChromium, seeText } from '../support/browser';
import { ownSeedPlan } from '../support/seed-plan';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { manifestEntries, sha256 } from '../../apps/api/src/web/audit/dossier-zip';

const SHOTS = SCREENSHOTS_DIR;

const DRAFTER = { username: 'audit-drafter', displayName: 'Nguyễn Văn Soạn', position: 'Chuyên viên' };
const AUDITOR = { username: 'audit-kiemtra', displayName: 'Võ Thị Kiểm', position: 'Kiểm tra viên' };
const ADMIN = { username: 'audit-admin', displayName: 'Phạm Quản Trị' };
const approverOf = (i: number) => ({ username: `audit-approver-${i}`, displayName: ['Lê Thị Duyệt', 'Trần Văn Ký'][i] ?? `Người duyệt ${i + 1}`, position: ['Chánh Văn phòng', 'Phó Bí thư'][i] ?? 'Lãnh đạo' });

/**
 * The auditor's day (issue 8): a real assignment goes drafting → send back → version 2 →
 * approval at every step through the API; then the auditor, in Chromium, finds it, reads
 * its timeline with people's names, replay-verifies it ("Nhất quán"), looks at the state
 * at an earlier event, downloads the inspection dossier; an administrator then sees each
 * of those views in the access log. Elements are found by their accessible names.
 */
describe('web UI: the auditor reads a timeline, verifies, sees the state at an event and downloads a dossier', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  let spec: AssignmentSpec;
  let assignmentId: string;
  let planKey: string;
  const contexts: BrowserContext[] = [];
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `audit-${name}.png`), fullPage: true });

  async function logIn(username: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: api.baseUrl, locale: 'vi-VN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const own = ownSeedPlan('E2E-AUDIT');
    spec = own.specsFor('probe').find((s) => s.kind === 'drafting' && s.taskCodes.includes('FT3'))!;
    const office = own.plan.plan.standingOffice;

    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: ADMIN.username, displayName: ADMIN.displayName, unitCode: office, roles: ['administrator', 'standing-office'] });
    await api.createUser({ username: DRAFTER.username, displayName: DRAFTER.displayName, unitCode: spec.leadUnit, roles: ['drafter'] });
    await api.createUser({ username: AUDITOR.username, displayName: AUDITOR.displayName, unitCode: 'UBKT-TU', roles: ['auditor'] });
    const chain = spec.approvalChain!;
    for (const [i, step] of chain.entries()) {
      const p = approverOf(i);
      await api.createUser({ username: p.username, displayName: p.displayName, unitCode: step.unit, roles: ['approver', step.role as never] });
    }
    // Positions (chức vụ) are data on the person; the timeline shows them beside the name.
    for (const p of [DRAFTER, AUDITOR, ...chain.map((_, i) => approverOf(i))]) {
      await worker.db.query(`UPDATE users SET position = $1 WHERE username = $2`, [p.position, p.username]);
    }

    const admin = await api.login(ADMIN.username);
    ({ assignmentId, planKey } = await importAndLaunchOne(api, admin, own.text, spec.id));

    // Drafting → send back → version 2 → approval at every step, through the API.
    const drafter = await api.login(DRAFTER.username);
    const approvers = await Promise.all(chain.map((_, i) => api.login(approverOf(i).username)));
    const submit = async (version: number) => {
      const res = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/drafts`, drafter, {
        version,
        text: `Kế hoạch chi tiết thực hiện nhiệm vụ tập trung 3, phiên bản ${version}.`,
        attachments: [{ name: `du-thao-v${version}.docx`, ref: `vbdh://2020/01/000${version}` }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.approvalId as string;
    };
    const decide = async (approvalId: string, version: number, i: number, decision: 'approve' | 'request-changes', comment: string) => {
      const step = chain[i]!.step;
      await eventually(async () => ((await api.call('GET', `/api/approvals/${encodeURIComponent(approvalId)}`, admin)).body?.currentStep === step ? true : undefined), 30_000, `step ${step} open`);
      const res = await api.call('POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, approvers[i], { version, step, decision, comment });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const v1 = await submit(1);
    await decide(v1, 1, 0, 'request-changes', 'Đề nghị bổ sung mục tiêu.');
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(assignmentId)}`, admin)).body?.lifecycle === 'open' ? true : undefined), 30_000, 'sent back');
    const v2 = await submit(2);
    for (let i = 0; i < chain.length; i++) await decide(v2, 2, i, 'approve', 'Đồng ý.');
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(assignmentId)}`, admin)).body?.lifecycle === 'done' ? true : undefined), 30_000, 'approved');

    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await worker?.close();
  });

  it('finds the assignment, reads its timeline with names and positions, verifies it, sees the state at an event, downloads the dossier', async () => {
    const auditor = await logIn(AUDITOR.username);
    await auditor.getByRole('link', { name: 'Kiểm tra', exact: true }).click();
    await auditor.getByRole('heading', { name: 'Kiểm tra, giám sát' }).waitFor();
    await shot(auditor, '01-home');

    await auditor.getByLabel('Mã quy trình hoặc mã kế hoạch').fill(assignmentId);
    await auditor.getByRole('button', { name: 'Tìm' }).click();
    await auditor.waitForURL((url) => decodeURIComponent(url.pathname) === `/audit/workflows/${assignmentId}`);

    // The timeline names the real people (from the events' payloads), with position and unit.
    const timeline = auditor.getByRole('table', { name: /Các sự kiện theo thứ tự thời gian/ });
    await seeText(timeline, DRAFTER.displayName);
    const text = await timeline.innerText();
    expect(text).toContain(`${DRAFTER.displayName} (${DRAFTER.position}`);
    expect(text).toContain(approverOf(0).displayName);
    expect(text).toContain(approverOf(spec.approvalChain!.length - 1).displayName);
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    await shot(auditor, '02-timeline');

    // Replay verification against today's workflow code.
    // A replay runs the workflow code: slow on a loaded machine.
    await auditor.getByRole('button', { name: 'Kiểm tra tái hiện' }).click({ noWaitAfter: true });
    await seeText(auditor.getByRole('status'), 'Nhất quán', 180_000);
    await shot(auditor, '03-verified');

    // The state right after version 1 was submitted: awaiting approval, version 1, nothing decided yet.
    const picker = auditor.getByLabel('Chọn sự kiện');
    const options = await picker.locator('option').evaluateAll((els) => els.map((o) => ({ value: (o as unknown as { value: string }).value, text: (o as unknown as { textContent: string }).textContent })));
    const v1 = options.find((o) => /phiên bản 1|Phiên bản 1/.test(o.text));
    expect(v1, JSON.stringify(options)).toBeDefined();
    await picker.selectOption(v1!.value);
    await auditor.getByRole('button', { name: 'Xem trạng thái' }).click();
    await auditor.waitForURL((url) => url.searchParams.get('at') === v1!.value);
    const facts = auditor.locator('#state-facts');
    await seeText(facts, 'Chờ phê duyệt');
    const state = await facts.innerText();
    expect(state).toMatch(/Phiên bản hiện tại\s*1/);
    expect(state).toContain('Chưa có ý kiến nào.');
    await shot(auditor, '04-state-at-event');

    // The inspection dossier: every file listed in README.txt with its SHA-256.
    const [download] = await Promise.all([auditor.waitForEvent('download', { timeout: 120_000 }), auditor.getByRole('link', { name: 'Hồ sơ kiểm tra (ZIP)' }).click()]);
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    const names = Object.keys(zip.files);
    expect(names).toEqual(expect.arrayContaining(['README.txt', 'timeline/timeline.xlsx', 'timeline/timeline.html', 'archive/digests.json', 'verification/replay.json', 'refusals/refused-attempts.csv']));
    const histories = names.filter((n) => n.startsWith('histories/') && n.endsWith('.json'));
    // The assignment's own history and one per approval workflow (v1, v2).
    expect(histories.length).toBeGreaterThanOrEqual(3);
    const history = JSON.parse(await zip.file(histories[0]!)!.async('string'));
    expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    const readme = await zip.file('README.txt')!.async('string');
    const listed = manifestEntries(readme);
    expect(listed.map((e) => e.name).sort()).toEqual(names.filter((n) => n !== 'README.txt').sort());
    for (const e of listed) expect(sha256(await zip.file(e.name)!.async('nodebuffer')), e.name).toBe(e.sha256);
    expect(readme).toContain(`${assignmentId}: Nhất quán`);
    expect(await zip.file('timeline/timeline.html')!.async('string')).toContain(DRAFTER.displayName);
    expect((await zip.file('timeline/timeline.xlsx')!.async('nodebuffer')).subarray(0, 2).toString()).toBe('PK');
  });

  it("refuses the auditor's write with 403, and the refusal shows on the timeline", async () => {
    const auditor = await logIn(AUDITOR.username);
    await auditor.goto(`/assignments/${encodeURIComponent(assignmentId)}`);
    const csrf = await auditor.locator('input[name="_csrf"]').first().inputValue();
    const approvalId = `approval:${assignmentId}:v2`;
    const posted = await auditor.request.post(`/assignments/${encodeURIComponent(assignmentId)}/decision`, {
      form: { _csrf: csrf, approvalId, version: '2', step: spec.approvalChain![0]!.step, decision: 'reject', comment: 'thử' },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    const viaApi = await api.call('POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, await api.login(AUDITOR.username), { version: 2, step: spec.approvalChain![0]!.step, decision: 'reject', comment: 'thử' });
    expect(viaApi.status).toBe(403);
    expect(viaApi.body.reason).toBe('READ_ONLY');

    await eventually(async () => {
      await auditor.goto(`/audit/workflows/${encodeURIComponent(assignmentId)}`);
      const rows = await auditor.locator('#timeline tr.refused-row').allInnerTexts();
      return rows.some((r) => r.includes('Bị từ chối') && r.includes(AUDITOR.displayName)) ? rows : undefined;
    }, 30_000, "the auditor's refused write on the timeline");
    await shot(auditor, '05-refused-on-timeline');
  });

  it('verifies every workflow of the plan with progress and a results table, and the archive chain', async () => {
    const auditor = await logIn(AUDITOR.username);
    await auditor.goto('/audit');
    const plan = auditor.getByRole('listitem').filter({ hasText: planKey });
    await plan.getByRole('button', { name: 'Kiểm tra tái hiện toàn bộ kế hoạch' }).click();
    await auditor.waitForURL((url) => url.pathname.startsWith('/audit/jobs/'));
    const results = auditor.getByRole('table', { name: 'Kết quả từng quy trình' });
    await results.waitFor({ timeout: 180_000 });
    await seeText(results, assignmentId);
    expect(await results.innerText()).toContain('Nhất quán');
    await seeText(auditor.getByRole('status'), 'Đã kiểm tra xong');
    await shot(auditor, '06-plan-verified');

    await auditor.goto('/audit');
    await auditor.getByRole('button', { name: 'Kiểm tra chuỗi lưu trữ' }).click();
    await seeText(auditor.getByRole('status'), 'Chuỗi lưu trữ nguyên vẹn');
  });

  it('records every audit view in the access log, shown to administrators (page and API)', async () => {
    const admin = await logIn(ADMIN.username);
    await admin.getByRole('link', { name: 'Nhật ký truy cập kiểm tra' }).click();
    await admin.getByLabel('Tên đăng nhập').fill(AUDITOR.username);
    await admin.getByRole('button', { name: 'Lọc' }).click();
    const log = admin.locator('#access-log');
    await seeText(log, AUDITOR.displayName);
    const text = await log.innerText();
    for (const action of ['audit.home', 'workflow.find', 'timeline.view', 'verify.workflow', 'state.view', 'dossier.download', 'verify.plan', 'verify.archive']) expect(text, action).toContain(action);
    await shot(admin, '07-access-log');

    const token = await api.login(ADMIN.username);
    const res = await api.call('GET', `/api/audit/access-log?username=${AUDITOR.username}&target=${encodeURIComponent(assignmentId)}`, token);
    expect(res.status).toBe(200);
    const actions = new Set((res.body as { action: string; status: number | null; userName: string }[]).map((e) => e.action));
    expect([...actions]).toEqual(expect.arrayContaining(['timeline.view', 'verify.workflow', 'state.view', 'dossier.download']));
    expect((res.body as { userName: string }[]).every((e) => e.userName === AUDITOR.displayName)).toBe(true);
    expect((res.body as { status: number | null }[]).some((e) => e.status === 200)).toBe(true);

    // Only administrators read it.
    const auditorToken = await api.login(AUDITOR.username);
    expect((await api.call('GET', '/api/audit/access-log', auditorToken)).status).toBe(403);
  });
});
