import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { StoredFileEntity } from '@dieu-hanh/persistence';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { closeBrowserTest, launchChromium, logInThroughForm, SCREENSHOTS_DIR, seeText } from '../support/browser';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { samplePdf, samplePng } from '../support/sample-files';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A drafter uploads a real PDF with a draft in Chromium; the approvers approve it; the file
 * downloads with the same bytes; the SHA-256 on the page is the one in the workflow's history
 * and on the auditor's timeline. A file that is not what its name says is refused in the page.
 */
describe('web UI: upload a real file with a draft, download it, find its hash in the history', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  let spec: AssignmentSpec;
  const contexts: BrowserContext[] = [];
  const suffix = randomUUID().slice(0, 6);
  const user = (role: string) => `att-${role}-${suffix}`;
  const pdf = samplePdf(`Ke hoach chi tiet ${suffix}`);
  const pdf2 = samplePdf(`Ke hoach chi tiet ${suffix}, da bo sung so lieu`);
  const FILE_NAME = 'Dự thảo kế hoạch chi tiết FT2.pdf';

  const logIn = (username: string): Promise<Page> => logInThroughForm(browser, contexts, api.baseUrl, username, TEST_PASSWORD, { acceptDownloads: true });
  const assignmentPath = () => `/assignments/${encodeURIComponent(spec.id)}`;

  async function decide(approvalId: string, version: number, approver: number, step: string, decision: 'approve' | 'request-changes') {
    const token = await api.login(user(`approver${approver}`));
    const res = await eventually(async () => {
      const r = await api.call('POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, token, { version, step, decision, comment: 'Đề nghị bổ sung số liệu' });
      return r.status < 300 ? r : undefined;
    }, 30_000, `v${version} step ${step}: ${decision}`);
    expect(res.status).toBeLessThan(300);
  }

  async function reloadUntilSubmit(page: Page, version: number) {
    await eventually(async () => ((await page.getByRole('heading', { name: `Nộp phiên bản ${version}` }).count()) > 0 ? true : (await page.reload(), undefined)), 30_000, `the form for version ${version}`);
  }

  beforeAll(async () => {
    const seed = ownSeedPlan('E2E-ATT');
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const office = seed.plan.plan.standingOffice;
    await api.createUser({ username: user('office'), displayName: 'Văn phòng', unitCode: office, roles: ['administrator', 'standing-office'] });
    await api.createUser({ username: user('auditor'), displayName: 'Ủy ban Kiểm tra', unitCode: office, roles: ['auditor'] });
    await api.createUser({ username: user('drafter'), displayName: 'Nguyễn Văn Soạn', unitCode: 'BCSD-UBND', roles: ['drafter'] });
    const admin = await api.login(user('office'));
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    spec = seed.specsFor(imported.body.key).find((x) => x.kind === 'drafting' && x.leadUnit === 'BCSD-UBND' && x.taskCodes.includes('FT2'))!;
    for (const [i, step] of spec.approvalChain!.entries()) {
      await api.createUser({ username: user(`approver${i}`), displayName: `Lê Văn Duyệt ${i + 1}`, unitCode: step.unit, roles: ['approver', step.role as never] });
    }
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, admin, { assignments: [spec.id] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(spec.id)}`, admin)).status === 200 ? true : undefined), 30_000, 'the assignment');
    browser = await launchChromium();
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
  });

  afterAll(() => closeBrowserTest({ contexts, browser, api, worker }));

  it('at 375 px the inbox shows each item as a card with its status on screen, under a compact header', async () => {
    const phone = await logInThroughForm(browser, contexts, api.baseUrl, user('drafter'), TEST_PASSWORD, { viewport: { width: 375, height: 740 } });
    const row = phone.locator(`#inbox-open tr:has(a[href="${assignmentPath()}"])`);
    await row.waitFor({ state: 'visible' });
    expect(await row.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).display)).toBe('block');
    // The status badge is inside the screen, labelled with its column.
    const status = row.locator('.badge');
    const box = (await status.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(await status.evaluate((el) => el.closest('td')?.getAttribute('data-label'))).toBe('Tình trạng');
    // Nothing wider than the phone, and the header leaves the screen to the content.
    expect(await phone.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    const header = (await phone.locator('header.top').boundingBox())!;
    expect(header.height).toBeLessThan(130);
    await phone.screenshot({ path: path.join(SCREENSHOTS_DIR, 'inbox-375px.png'), fullPage: false });
  });

  it('refuses a file that is not what its name says, in Vietnamese, and keeps nothing', async () => {
    const drafter = await logIn(user('drafter'));
    await drafter.goto(assignmentPath());
    await expect(drafter.getByText('tối đa 20 MB mỗi tệp').count()).resolves.toBe(1);
    await drafter.getByLabel('Nội dung', { exact: true }).fill('Dự thảo có tệp hỏng');
    await drafter.getByLabel('Tải tệp lên').setInputFiles({ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('đây không phải PDF') });
    await drafter.getByRole('button', { name: 'Nộp', exact: true }).click();
    const alert = await seeText(drafter.getByRole('alert'), 'bao-cao.pdf');
    expect(alert).toContain('không thuộc loại được nhận');
    expect(await worker.db.getRepository(StoredFileEntity).countBy({ assignmentId: spec.id })).toBe(0);
    // The typed text is kept for the next try.
    expect(await drafter.getByLabel('Nội dung', { exact: true }).inputValue()).toBe('Dự thảo có tệp hỏng');
  });

  it('uploads a PDF with version 1, downloads the same bytes; version 2 replaces it; the approved version carries the new hash', async () => {
    const drafter = await logIn(user('drafter'));
    await drafter.goto(assignmentPath());
    await drafter.getByLabel('Nội dung', { exact: true }).fill('Kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2.');
    await drafter.getByLabel('Tải tệp lên').setInputFiles({ name: FILE_NAME, mimeType: 'application/pdf', buffer: pdf });
    await drafter.getByRole('button', { name: 'Nộp', exact: true }).click();
    await seeText(drafter.getByRole('status').first(), 'Đã nộp phiên bản 1');
    const version = drafter.locator('#version-1');
    expect(await seeText(version, sha(pdf))).toContain('application/pdf');

    // Download by the link's accessible name: the bytes are the ones uploaded.
    const [download] = await Promise.all([drafter.waitForEvent('download'), version.getByRole('link', { name: FILE_NAME }).click()]);
    expect(download.suggestedFilename()).toBe(FILE_NAME);
    expect(sha(await readFile((await download.path())!))).toBe(sha(pdf));

    // The first approver sends version 1 back (through the API: the approval flow has its own browser test).
    const office = await api.login(user('office'));
    const [firstStep, ...laterSteps] = spec.approvalChain!;
    const v1 = await api.call('GET', `/api/assignments/${encodeURIComponent(spec.id)}`, office);
    await decide(v1.body.approvalId, 1, 0, firstStep.step, 'request-changes');

    // Version 2: the PDF replaced by an edited one under the same name, a PNG added.
    await reloadUntilSubmit(drafter, 2);
    await drafter.getByLabel(FILE_NAME).uncheck();
    await drafter.getByLabel('Tải tệp lên').setInputFiles([
      { name: FILE_NAME, mimeType: 'application/pdf', buffer: pdf2 },
      { name: 'so-do.png', mimeType: 'image/png', buffer: samplePng() },
    ]);
    await drafter.getByRole('button', { name: 'Nộp', exact: true }).click();
    await seeText(drafter.getByRole('status').first(), 'Đã nộp phiên bản 2');
    const changes = drafter.locator('#file-changes-2');
    expect(await seeText(changes, 'so-do.png')).toContain('Thêm');
    const changed = await seeText(changes, 'Thay đổi');
    expect(changed).toContain(`${sha(pdf).slice(0, 12)}…`);
    expect(changed).toContain(`${sha(pdf2).slice(0, 12)}…`);

    // Every step approves version 2.
    const v2 = await api.call('GET', `/api/assignments/${encodeURIComponent(spec.id)}`, office);
    for (const [i, step] of [firstStep, ...laterSteps].entries()) await decide(v2.body.approvalId, 2, i, step.step, 'approve');
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(spec.id)}`, office)).body.lifecycle === 'done' ? true : undefined), 30_000, 'approved');

    // The workflow's own history: each submit Update carries its files by name, size, type and hash;
    // the approved version 2 names the edited PDF, not the first one.
    const history = await worker.client.workflow.getHandle(spec.id).fetchHistory();
    const submitted = (history.events ?? []).flatMap((e) => {
      const data = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0]?.data;
      return data ? [JSON.parse(Buffer.from(data).toString('utf8'))] : [];
    });
    expect(submitted.map((u) => u.version)).toEqual([1, 2]);
    expect(submitted[0].attachments).toEqual([expect.objectContaining({ name: FILE_NAME, size: pdf.length, mediaType: 'application/pdf', sha256: sha(pdf) })]);
    expect(submitted[1].attachments).toEqual([
      expect.objectContaining({ name: FILE_NAME, size: pdf2.length, mediaType: 'application/pdf', sha256: sha(pdf2) }),
      expect.objectContaining({ name: 'so-do.png', mediaType: 'image/png', sha256: sha(samplePng()) }),
    ]);

    // The auditor's timeline shows the files with their hashes.
    const auditor = await logIn(user('auditor'));
    await auditor.goto(`/audit/workflows/${encodeURIComponent(spec.id)}`);
    expect(await seeText(auditor.locator('main'), sha(pdf2))).toContain(sha(pdf));
    // And the auditor may download the approved file too.
    await auditor.goto(assignmentPath());
    const [again] = await Promise.all([auditor.waitForEvent('download'), auditor.locator('#version-2').getByRole('link', { name: FILE_NAME }).click()]);
    expect(sha(await readFile((await again.path())!))).toBe(sha(pdf2));
  });

  it('answers another unit with 403 for the file, as for the assignment page', async () => {
    const rows = await worker.db.getRepository(StoredFileEntity).findBy({ assignmentId: spec.id });
    expect(rows).toHaveLength(3);
    await api.createUser({ username: user('outsider'), displayName: 'Trần Thị Khác', unitCode: 'BTC-TU', roles: ['drafter'] });
    const outsider = await logIn(user('outsider'));
    const res = await outsider.request.get(`/files/${rows[0].id}`);
    expect(res.status()).toBe(403);
    expect(await res.text()).not.toContain('%PDF');
  });
});
