import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { AssignmentEntity, PlanVersionEntity } from '@dieu-hanh/persistence';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { closeBrowserTest, launchChromium, logInThroughForm, SCREENSHOTS_DIR, seeText } from '../support/browser';
import { axeViolations, describeViolations } from '../support/axe';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';

const LEGEND = 'Chú giải màu';
const EXAMPLE = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/soc-trang-example.plan.yaml'), 'utf8');

/**
 * The Standing Office imports a plan file in Chromium, sees a broken file's problems against
 * its lines (nothing stored), imports the good one, launches it and closes it — all from the
 * web UI, which before only the API could do.
 */
describe('web UI: plan import, launch and close for the Standing Office', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const code = `E2E-PLAN-${randomUUID().slice(0, 8).toUpperCase()}`;
  const good = EXAMPLE.replace(/^(\s+)code: ST-BTV-2021-CDS-VD$/m, `$1code: ${code}`);
  const broken = good.replace('- { code: SO-NV, name: Sở Nội vụ, kind: department, parent: UBND-T }', '- { code: SO-NV, name: Sở Nội vụ, kind: department, parent: KHONG-CO }');
  const brokenLine = broken.split('\n').findIndex((l) => l.includes('KHONG-CO')) + 1;
  const suffix = randomUUID().slice(0, 6);

  const logIn = (username: string): Promise<Page> => logInThroughForm(browser, contexts, api.baseUrl, username, TEST_PASSWORD);
  const storedVersions = () => worker.db.getRepository(PlanVersionEntity).countBy({ code });

  beforeAll(async () => {
    expect(good).not.toBe(EXAMPLE);
    expect(brokenLine).toBeGreaterThan(0);
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: `plan-office-${suffix}`, displayName: 'Văn phòng Tỉnh ủy', unitCode: 'VP-TU', roles: ['standing-office'] });
    await api.createUser({ username: `plan-drafter-${suffix}`, displayName: 'Chuyên viên', unitCode: 'BCSD-UBND', roles: ['drafter'] });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });

  afterAll(() => closeBrowserTest({ contexts, browser, api, worker }));

  it('shows a broken file\'s problem on its line, stores nothing, then imports, launches and closes the good one', async () => {
    const office = await logIn(`plan-office-${suffix}`);
    await office.goto('/plans');
    await office.getByRole('link', { name: 'Nhập kế hoạch' }).click();
    await office.getByLabel('Tệp kế hoạch (YAML)').setInputFiles({ name: 'ke-hoach-loi.yaml', mimeType: 'text/yaml', buffer: Buffer.from(broken) });
    await office.getByRole('button', { name: 'Kiểm tra và nhập' }).click();
    expect(await seeText(office.getByRole('alert'), 'lỗi')).toContain('chưa có gì được lưu');
    const problems = office.locator('#plan-problems');
    const listed = await seeText(problems, `Dòng ${brokenLine}`);
    expect(listed).toContain('KHONG-CO');
    // The excerpt marks the bad line with its number.
    const bad = problems.locator('.bad-line').first();
    expect(await bad.innerText()).toContain(String(brokenLine));
    expect(await bad.innerText()).toContain('parent: KHONG-CO');
    expect(await storedVersions()).toBe(0);

    await office.getByLabel('Tệp kế hoạch (YAML)').setInputFiles({ name: 'ke-hoach.yaml', mimeType: 'text/yaml', buffer: Buffer.from(good) });
    await office.getByRole('button', { name: 'Kiểm tra và nhập' }).click();
    await seeText(office.getByRole('status').first(), `Đã nhập kế hoạch ${code}@v1`);
    expect(await storedVersions()).toBe(1);

    await office.getByRole('button', { name: `Triển khai kế hoạch ${code}@v1` }).click();
    const launched = await seeText(office.getByRole('status').first(), `Đã triển khai kế hoạch ${code}@v1`);
    expect(launched).toMatch(/\d+ nhiệm vụ được giao/);
    const plan = await worker.db.getRepository(PlanVersionEntity).findOneByOrFail({ code });
    expect(plan.launchedAt).not.toBeNull();
    await eventually(async () => ((await worker.client.workflow.getHandle(plan.workflowId!).describe()).status.name === 'RUNNING' ? true : undefined), 30_000, 'the plan workflow');

    // The dashboard fits a screen: task codes as sticky row headers with the text on hover,
    // unit-wide work in its own row, escalations one row per assignment with the ladder explained.
    const matrix = office.locator('#matrix');
    await eventually(async () => ((await matrix.count()) > 0 ? true : (await office.reload(), undefined)), 30_000, 'the matrix');
    const firstHeader = matrix.locator('tbody th[scope="row"]').first();
    expect((await firstHeader.innerText()).trim()).toMatch(/^[A-Z]+\d*$/);
    expect(await firstHeader.locator('abbr').getAttribute('title')).toMatch(/^[A-Z]+\d*\. .{20,}/);
    expect(await firstHeader.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).position)).toBe('sticky');
    await eventually(async () => ((await office.locator('#escalations tbody tr').count()) > 0 ? true : (await office.reload(), undefined)), 60_000, 'escalations on the dashboard');
    const linked = await office.locator('#escalations tbody tr a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(new Set(linked).size).toBe(linked.length);
    await office.getByText('Các cấp báo cáo vượt cấp của kế hoạch').click();
    expect(await seeText(office.locator('#ladder'), 'Cấp 1:')).toMatch(/ngày làm việc sau hạn, báo/);
    await office.screenshot({ path: path.join(SCREENSHOTS_DIR, 'dashboard-compact.png'), fullPage: false });

    // Launching twice is refused in words, not with a server error.
    const again = await office.request.post(`/plans/${plan.id}/launch`, { form: { _csrf: await office.locator('input[name="_csrf"]').first().inputValue() }, maxRedirects: 0 });
    expect(again.status()).toBe(303);

    await office.goto('/plans');
    await office.getByText('Kết thúc kế hoạch', { exact: true }).first().click();
    await office.getByLabel(`Lý do kết thúc kế hoạch ${code}@v1`).fill('Kết thúc thử nghiệm');
    await office.getByRole('button', { name: `Kết thúc kế hoạch ${code}@v1` }).click();
    await seeText(office.getByRole('status').first(), `Đã gửi lệnh kết thúc kế hoạch ${code}@v1`);
    await eventually(async () => ((await worker.client.workflow.getHandle(plan.workflowId!).describe()).status.name === 'COMPLETED' ? true : undefined), 60_000, 'the plan workflow to close');
  });

  it('keeps the import page from a drafter (403) and shows no launch button to one', async () => {
    const drafter = await logIn(`plan-drafter-${suffix}`);
    const res = await drafter.goto('/plans/import');
    expect(res?.status()).toBe(403);
    await drafter.goto('/plans');
    expect(await drafter.getByRole('button', { name: /Triển khai kế hoạch/ }).count()).toBe(0);
  });

  it("lists the plans still to launch in the Standing Office's inbox: launches one never launched and the rest of one launched in part", async () => {
    const token = await api.login(`plan-office-${suffix}`);
    const codeOf = (tag: string) => `E2E-TL${tag}-${randomUUID().slice(0, 6).toUpperCase()}`;
    const importPlan = async (planCode: string) => {
      const res = await api.call('POST', '/api/plans', token, { definition: EXAMPLE.replace(/^(\s+)code: ST-BTV-2021-CDS-VD$/m, `$1code: ${planCode}`) });
      expect(res.status).toBe(201);
      return res.body as { id: string; key: string };
    };
    const fresh = await importPlan(codeOf('A'));
    const partial = await importPlan(codeOf('B'));
    const running = () => worker.db.getRepository(AssignmentEntity).countBy({ planKey: partial.key });
    // A pilot: only Ban Tuyên giáo's propaganda duty goes out first.
    const pilot = await api.call('POST', `/api/plans/${partial.id}/launch`, token, { units: ['BTG-TU'] });
    expect(pilot.status, JSON.stringify(pilot.body)).toBe(202);
    const piloted = pilot.body.assignments as number;
    expect(piloted).toBe(1);
    await eventually(async () => ((await running()) === piloted ? true : undefined), 60_000, 'the pilot in the read model');

    const office = await logIn(`plan-office-${suffix}`);
    await office.goto('/');
    const queue = office.getByRole('region', { name: /^Kế hoạch chờ triển khai \(\d+\)$/ });
    const rowOf = (key: string) => queue.getByRole('row').filter({ hasText: key });
    expect(await seeText(rowOf(fresh.key), 'Chưa triển khai')).toMatch(/Chưa triển khai \(\d+ nhiệm vụ\)/);
    expect(await seeText(rowOf(partial.key), 'Đã triển khai một phần')).toMatch(new RegExp(`${piloted}/\\d+ nhiệm vụ`));
    await office.screenshot({ path: path.join(SCREENSHOTS_DIR, 'inbox-plans-to-launch.png'), fullPage: false });
    const inboxViolations = await axeViolations(office);
    expect(inboxViolations, describeViolations('inbox with plans to launch', inboxViolations)).toEqual([]);

    await rowOf(partial.key).getByRole('button', { name: `Triển khai tiếp kế hoạch ${partial.key}` }).click();
    await seeText(office.getByRole('status').first(), `Đã gửi lệnh triển khai tiếp kế hoạch ${partial.key}`);
    await eventually(async () => ((await running()) > piloted ? true : undefined), 60_000, 'the rest of the plan running');

    await office.goto('/');
    await rowOf(fresh.key).getByRole('button', { name: `Triển khai kế hoạch ${fresh.key}` }).click();
    await seeText(office.getByRole('status').first(), `Đã triển khai kế hoạch ${fresh.key}`);
    expect((await worker.db.getRepository(PlanVersionEntity).findOneByOrFail({ id: fresh.id })).launchedAt).not.toBeNull();

    // Both leave the queue: everything of theirs is given out.
    await office.goto('/');
    expect(await office.getByText(fresh.key).count()).toBe(0);
    expect(await office.getByText(partial.key).count()).toBe(0);

    // In English too.
    const third = await importPlan(codeOf('C'));
    await office.goto('/?lang=en');
    const en = office.getByRole('region', { name: /^Plans to launch \(\d+\)$/ });
    expect(await seeText(en.getByRole('row').filter({ hasText: third.key }), 'Not launched')).toContain('Not launched');
    expect(await en.getByRole('button', { name: `Launch plan ${third.key}` }).count()).toBe(1);
  });

  it('shows no plans to launch to a drafter', async () => {
    const drafter = await logIn(`plan-drafter-${suffix}`);
    await drafter.goto('/');
    expect(await drafter.getByRole('region', { name: /Kế hoạch chờ triển khai/ }).count()).toBe(0);
  });

  it('pages the dashboard matrix by task rows, states the page size, and keeps the XLSX export whole', async () => {
    const token = await api.login(`plan-office-${suffix}`);
    // 23 tasks, each with its own drafting assignment: 24 rows with the unit-wide row, two pages of 20.
    const extra = Array.from({ length: 20 }, (_, i) => i + 3);
    const wide = EXAMPLE.replace(/^(\s+)code: ST-BTV-2021-CDS-VD$/m, `$1code: E2E-MATRIX-${suffix.toUpperCase()}`)
      .replace('    text: Đào tạo kỹ năng số cho cán bộ, công chức, đoàn viên thanh niên.\n', (m) => m + extra.map((n) => `  - code: FT${n}\n    kind: focus\n    number: ${n}\n    text: Nhiệm vụ ví dụ số ${n} về chuyển đổi số.\n`).join(''))
      .replace(/(id: KH-CHI-TIET[\s\S]*?tasks: )\[FT1, FT2, BT1\]/, `$1[FT1, FT2, BT1, ${extra.map((n) => `FT${n}`).join(', ')}]`);
    expect(wide).toContain('code: FT22');
    const imported = await api.call('POST', '/api/plans', token, { definition: wide });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    // Only the lead body's work (23 drafting duties and its reports): fewer workflows to wait for on a busy machine.
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, token, { units: ['BCSD-UBND'] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const planKey = imported.body.key as string;
    await eventually(async () => ((await worker.db.getRepository(AssignmentEntity).countBy({ planKey, kind: 'drafting' })) === 23 ? true : undefined), 240_000, 'the 23 drafting assignments in the read model');

    const office = await logIn(`plan-office-${suffix}`);
    await office.goto(`/plans/${imported.body.id}`);
    const matrix = office.getByRole('table', { name: /Mỗi ô liệt kê phân công/ });
    const rowHeaders = () => matrix.locator('tbody th[scope="row"]').allInnerTexts();
    // The launch may still be opening the plan's reports on a busy machine: reload until the matrix has its rows.
    await eventually(async () => ((await rowHeaders()).length > 0 ? true : (await office.reload(), undefined)), 120_000, 'the matrix rows on the dashboard');
    expect(await rowHeaders()).toHaveLength(20);
    expect(await seeText(office.locator('#matrix-rows'), 'mỗi trang 20 hàng')).toMatch(/^Hàng 1–20 trên tổng số 24 hàng nhiệm vụ; mỗi trang 20 hàng\. Tệp Excel có toàn bộ ma trận\.$/);
    const pager = office.getByRole('navigation', { name: 'Phân trang ma trận' });
    expect(await pager.innerText()).toContain('Trang 1/2 của ma trận');
    const first = await rowHeaders();
    const dashboardViolations = await axeViolations(office);
    expect(dashboardViolations, describeViolations('dashboard with the matrix pager', dashboardViolations)).toEqual([]);

    await pager.getByRole('link', { name: 'Trang sau ›' }).click();
    await seeText(office.locator('#matrix-rows'), 'Hàng 21–24');
    const second = await rowHeaders();
    expect(second).toHaveLength(4);
    expect(second.filter((h) => first.includes(h))).toEqual([]);
    expect(second.at(-1)).toBe('Chung');
    expect(office.url()).toContain('matrix=2');
    await pager.getByRole('link', { name: '‹ Trang trước' }).click();
    await seeText(office.locator('#matrix-rows'), 'Hàng 1–20');

    // In English too.
    await office.goto(`/plans/${imported.body.id}?lang=en&matrix=2`);
    expect(await seeText(office.locator('#matrix-rows'), 'Rows 21–24')).toContain('20 rows a page');
    expect(await office.getByRole('navigation', { name: 'Matrix pages' }).getByRole('link', { name: '‹ Previous' }).count()).toBe(1);

    // The export is the whole matrix: all 24 task rows, whatever page the screen shows.
    const xlsx = await office.request.get(`/plans/${imported.body.id}/matrix.xlsx?lang=vi`);
    expect(xlsx.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.body());
    const sheet = book.worksheets[0];
    const labels: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 2) labels.push(String(row.getCell(1).value ?? ''));
    });
    // Up to the legend (an empty row before it is not listed): an assignment in every row of its tasks, one row per task.
    const taskRows = labels.slice(0, labels.indexOf(LEGEND));
    expect(taskRows).toHaveLength(23);
    expect(taskRows.filter((l) => /Nhiệm vụ ví dụ số (3|22) /.test(l))).toHaveLength(2);
  }, 360_000);
});
