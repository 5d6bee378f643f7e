import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createWorkingCalendar, expandPlan, formatVietnameseDate, parsePlanDefinition, waitDeadline } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { ApprovalEntity } from '@dieu-hanh/persistence';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { importAndLaunchOne } from '../support/launch';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { webSession, type WebSession } from '../support/web-session';
import { planWaits, waitedOnRows } from '../../apps/api/src/reports/waited-on';

const SEED_PATH = path.join(__dirname, '..', '..', 'libs/domain/plans/tra-vinh-2020.plan.yaml');

/** The seed plan under a code of its own, its drafting deadline next year (the shared database holds other runs). */
function planText(): string {
  const seed = readFileSync(SEED_PATH, 'utf8');
  const text = seed
    .replace(/^(\s+)code: TV-BTV-2020-NVTT-NVDP$/m, `$1code: WAIT-${randomUUID().slice(0, 8).toUpperCase()}`)
    .replaceAll('deadline: cuối tháng 01/2020', `deadline: cuối tháng 12/${new Date().getUTCFullYear() + 1}`);
  if (text === seed) throw new Error('the seed plan changed shape; update planText()');
  return text;
}

/** The text of an HTML fragment as a reader sees it: tags gone, spaces collapsed. */
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  expect(start, `#${id} on the page`).toBeGreaterThan(-1);
  return visible(html.slice(start, html.indexOf('</table>', start)));
};

/**
 * Issue 13: who is waited on, since when and until when, on the pages of those who wait and
 * of those waited on: the seed's approval chain, its first step's deadline in working days.
 */
describe('who is waited on, since and until when: inbox, assignment page and dashboard', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let spec: AssignmentSpec;
  let planId: string;
  let assignmentId: string;
  const s = Date.now().toString(36);
  const login = async (username: string): Promise<WebSession> => {
    const session = webSession(api.baseUrl);
    expect((await session.post('/login', { username, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    return session;
  };

  beforeAll(async () => {
    const text = planText();
    const parsed = parsePlanDefinition(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    spec = expandPlan(parsed.plan, createWorkingCalendar(), { planId: 'probe' }).find((x) => x.kind === 'drafting' && x.taskCodes.includes('FT2'))!;
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const office = parsed.plan.plan.standingOffice;
    await api.createUser({ username: `wo-admin-${s}`, displayName: 'Quản trị Văn phòng', unitCode: office, roles: ['administrator', 'standing-office'] });
    await api.createUser({ username: `wo-drafter-${s}`, displayName: 'Nguyễn Văn Soạn', unitCode: spec.leadUnit, roles: ['drafter'] });
    const step = spec.approvalChain![0];
    await api.createUser({ username: `wo-approver-${s}`, displayName: `Lê Văn Thẩm ${s}`, unitCode: step.unit, roles: ['approver', step.role as never] });
    await api.app.get(DataSource).query(`UPDATE users SET position = 'Chánh Văn phòng Tỉnh ủy' WHERE username = $1`, [`wo-approver-${s}`]);
    ({ planId, assignmentId } = await importAndLaunchOne(api, await api.login(`wo-admin-${s}`), text, spec.id));
    const drafter = await api.login(`wo-drafter-${s}`);
    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/drafts`, drafter, { version: 1, text: 'Dự thảo kế hoạch chi tiết', attachments: [] });
    expect(submitted.status, JSON.stringify(submitted.body)).toBeLessThan(300);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('shows the step waited on, the approver by name and position, since when, the working-day deadline, its status and level', async () => {
    const approval = await eventually(async () => {
      const row = await api.app.get(DataSource).getRepository(ApprovalEntity).findOneBy({ assignmentId });
      return row?.stepDueAt ? row : undefined;
    }, 30_000, 'the approval step with its deadline in the read model');
    const wait = approval.state.stepWaits![0];
    // 05 working days from the step's opening, on the Vietnamese calendar: the dd/mm/yyyy the pages show.
    const due = formatVietnameseDate(waitDeadline(wait.since, { workingDays: 5 }, createWorkingCalendar()).effective);
    const since = new Date(wait.since).toLocaleString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).replace(',', '');
    const approverName = `Lê Văn Thẩm ${s}, Chánh Văn phòng Tỉnh ủy`;

    // The drafter's "submitted" queue: who the draft waits on now.
    const drafter = await login(`wo-drafter-${s}`);
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Other test files share the database and may add approvers to the same unit: they are listed beside ours.
    const line = new RegExp(`${esc(spec.approvalChain![0].label)}: chờ Văn phòng Tỉnh ủy \\([^)]*${esc(approverName)}[^)]*\\), từ ${esc(since)}, hạn ${esc(due)} Chưa đến hạn`);
    // The assignment's own row follows its workflow a moment after the approval's (another workflow, another batch).
    const submitted = await eventually(async () => {
      const html = section((await drafter.get('/?queue=submitted&pageSize=100&sort=-updated')).text, 'inbox-submitted');
      return line.test(html) ? html : undefined;
    }, 30_000, 'the draft in the drafter\'s submitted queue');
    expect(submitted).toMatch(line);

    // The approver's own queue: the step's working-day deadline, not a duration in seconds.
    const approver = await login(`wo-approver-${s}`);
    const mine = section((await approver.get('/?queue=approvals&pageSize=100&sort=-updated')).text, 'inbox-approvals');
    expect(mine).toContain(`${since} hạn ${due} Chưa đến hạn`);

    // The assignment page, in Vietnamese and in English.
    const page = section((await drafter.get(`/assignments/${encodeURIComponent(assignmentId)}`)).text, 'waits');
    expect(page).toMatch(new RegExp(`Văn phòng Tỉnh ủy .*${esc(approverName)}.* ${esc(since)} ${esc(due)} Chưa đến hạn`));
    expect(page).toMatch(/ 0 $/);
    const en = section((await drafter.get(`/assignments/${encodeURIComponent(assignmentId)}?lang=en`)).text, 'waits');
    expect(en).toContain('Waiting since');
    expect(en).toContain(`${since} ${due} Not yet due`);

    // The plan's dashboard.
    const admin = await login(`wo-admin-${s}`);
    const board = section((await admin.get(`/plans/${planId}`)).text, 'waits-open');
    expect(board).toMatch(new RegExp(`${esc(spec.title)} ${esc(spec.approvalChain![0].label)} Văn phòng Tỉnh ủy .*${esc(approverName)}.* ${esc(since)} ${esc(due)} Chưa đến hạn`));
  });

  it('puts the statistics of the units waited on in the XLSX export, the dashboard\'s numbers', async () => {
    // The first step decided in time, the second one waiting: Văn phòng Tỉnh ủy 1 on time, Thường trực 1 waiting.
    const approval = await api.app.get(DataSource).getRepository(ApprovalEntity).findOneByOrFail({ assignmentId });
    const approver = await api.login(`wo-approver-${s}`);
    const decided = await api.call('POST', `/api/approvals/${encodeURIComponent(approval.id)}/decision`, approver, { version: 1, step: spec.approvalChain![0].step, decision: 'approve', comment: '' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await eventually(async () => {
      const row = await api.app.get(DataSource).getRepository(ApprovalEntity).findOneByOrFail({ id: approval.id });
      return row.currentStep === spec.approvalChain![1].step && row.stepDueAt ? true : undefined;
    }, 30_000, 'the second step open in the read model');

    const admin = await login(`wo-admin-${s}`);
    const res = await fetch(`${api.baseUrl}/plans/${planId}/matrix.xlsx`, { headers: { cookie: admin.cookieHeader() } });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('Người phải quyết định')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Đơn vị phải quyết định', 'Tổng', 'Đúng hạn', 'Trễ hạn', 'Quá hạn', 'Đang chờ, trong hạn']);
    const rows = new Map<string, unknown[]>();
    sheet.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(1).value), (row.values as unknown[]).slice(2));
    });
    // [total, on time, late, overdue, waiting]
    expect(rows.get('Văn phòng Tỉnh ủy')).toEqual([1, 1, 0, 0, 0]);
    expect(rows.get('Thường trực Tỉnh ủy')).toEqual([1, 0, 0, 0, 1]);
    // The same numbers as the dashboard's (one computation, waitedOnStats).
    const [{ key }] = (await api.app.get(DataSource).query(`SELECT plan_key AS key FROM assignments WHERE id = $1`, [assignmentId])) as { key: string }[];
    const dashboard = waitedOnRows(await planWaits(api.app.get(DataSource), key), (c) => c, new Date(), createWorkingCalendar());
    expect(dashboard.map((d) => [d.total, d.onTime, d.late, d.overdue, d.waiting])).toEqual([...rows.values()]);
    const page = section((await admin.get(`/plans/${planId}`)).text, 'waited-on');
    expect(page).toContain('Văn phòng Tỉnh ủy 1 1 0 0 0');
    expect(page).toContain('Thường trực Tỉnh ủy 1 0 0 0 1');
  });
});
