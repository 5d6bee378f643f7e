import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { createWorkingCalendar, expandPlan, parsePlanDefinition } from '@dieu-hanh/domain';

const BROKEN_DIR = path.join(__dirname, '..', '..', 'libs/domain/test/fixtures/broken');
const SECOND_PLAN = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/soc-trang-example.plan.yaml'), 'utf8');

describe('plans, deadlines and extensions over HTTP', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let admin: string;
  let office: string;
  let head: string;
  const seed = ownSeedPlan('PLANS');
  const countPlans = async () => Number((await worker.db.query(`SELECT count(*) AS n FROM plan_versions`))[0].n);

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    const officeUnit = seed.plan.plan.standingOffice;
    const lead = seed.specsFor('x').find((x) => x.kind === 'concretisation')!.leadUnit;
    await api.createUser({ username: `pl-admin-${s}`, displayName: 'Quản trị', unitCode: officeUnit, roles: ['administrator'] });
    await api.createUser({ username: `pl-office-${s}`, displayName: 'Văn phòng', unitCode: officeUnit, roles: ['standing-office'] });
    await api.createUser({ username: `pl-head-${s}`, displayName: 'Lãnh đạo huyện', unitCode: lead, roles: ['unit-head', 'drafter'] });
    admin = await api.login(`pl-admin-${s}`);
    office = await api.login(`pl-office-${s}`);
    head = await api.login(`pl-head-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it.each(readdirSync(BROKEN_DIR).filter((f) => f.endsWith('.yaml')))('answers the broken file %s with every problem and stores nothing', async (file) => {
    const text = readFileSync(path.join(BROKEN_DIR, file), 'utf8');
    const expected = [...text.matchAll(/^# expect: (.*?) :: (.*)$/gm)].map((m) => ({ field: m[1], reason: m[2] }));
    const before = await countPlans();
    const res = await api.call('POST', '/api/plans', admin, { definition: text });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PLAN_INVALID');
    for (const e of expected) {
      expect(res.body.fields, JSON.stringify(res.body.fields)).toContainEqual(expect.objectContaining({ field: e.field, reason: expect.stringContaining(e.reason) }));
    }
    expect(JSON.stringify(res.body)).not.toMatch(/\.ts:\d+/);
    expect(await countPlans()).toBe(before);
  });

  it('imports a second province\'s plan with no code change, and keeps versions instead of overwriting', async () => {
    const text = SECOND_PLAN.replace(/^(\s+)code: ST-BTV-2021-CDS-VD$/m, `$1code: ST-${randomUUID().slice(0, 6)}`);
    const first = await api.call('POST', '/api/plans', admin, { definition: text });
    expect(first.status).toBe(201);
    expect(first.body.version).toBe(1);
    const changed = await api.call('POST', '/api/plans', admin, { definition: text.replace(/^(\s+title: .*)$/m, '$1 (sửa đổi)') });
    expect(changed.status).toBe(201);
    expect(changed.body.version).toBe(2);
    expect(changed.body.key).toBe(first.body.key.replace('@v1', '@v2'));
    const again = await api.call('POST', '/api/plans', admin, { definition: text });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const launched = await api.call('POST', `/api/plans/${first.body.id}/launch`, admin, {});
    expect(launched.status).toBe(202);
    expect(launched.body.assignments).toBeGreaterThan(0);
    // Monthly duties open one assignment per period (as many as months have passed), so
    // count the other assignments exactly and the duties by their periods.
    const parsed = parsePlanDefinition(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const specs = expandPlan(parsed.plan, createWorkingCalendar(), { planId: first.body.key });
    expect(launched.body.assignments).toBe(specs.length);
    const duties = specs.filter((x) => x.kind === 'monthly-report');
    await eventually(async () => {
      const rows = (await worker.db.query(`SELECT id, kind FROM assignments WHERE plan_key = $1`, [first.body.key])) as { id: string; kind: string }[];
      const others = rows.filter((r) => r.kind !== 'monthly-report').length;
      const dutiesWithPeriods = duties.filter((d) => rows.some((r) => r.id.startsWith(`${d.id}:`))).length;
      return others === specs.length - duties.length && dutiesWithPeriods === duties.length ? true : undefined;
    }, 60_000, 'every assignment of the second plan in the read model');
    // Every periodic duty of this plan ends in 2022, so the periods are exact: monthly 04/2021–12/2022
    // (21), two units × six quarters 2021-Q1–2022-Q2 (12), six districts × two halves of 2021 (12),
    // two years (2). Nothing after a duty's last period.
    const periodCount = async () => Number((await worker.db.query(`SELECT count(*)::int AS n FROM assignments WHERE plan_key = $1 AND kind = 'monthly-report'`, [first.body.key]))[0].n);
    await eventually(async () => ((await periodCount()) >= 47 ? true : undefined), 90_000, 'every report period of the second plan');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await periodCount()).toBe(47);
    const quarters = (await worker.db.query(`SELECT id, title FROM assignments WHERE plan_key = $1 AND id LIKE '%:BAO-CAO-QUY:SO-NV:%' ORDER BY id`, [first.body.key])) as { id: string; title: string }[];
    expect(quarters.map((q) => q.title)).toEqual(
      ['quý I/2021', 'quý II/2021', 'quý III/2021', 'quý IV/2021', 'quý I/2022', 'quý II/2022'].map((p) => `Báo cáo ${p} — Báo cáo quý về chỉ số chuyển đổi số — Sở Nội vụ`),
    );
    const matrix = await api.call('GET', `/api/plans/${first.body.id}/matrix`, office);
    expect(matrix.status).toBe(200);
    expect(matrix.body.units.length).toBeGreaterThan(0);

    // The consolidated report of a quarter lists the quarterly duties, each named by its period.
    const quarter = await api.call('GET', `/api/plans/${first.body.id}/monthly-report?period=2021-Q1`, office);
    expect(quarter.status, JSON.stringify(quarter.body)).toBe(200);
    expect(quarter.body.rows.map((r: { unit: { code: string }; title: string; opened: boolean; deadline: { effective: string } }) => [r.unit.code, r.title, r.opened, r.deadline.effective])).toEqual([
      ['SO-TTTT', 'Báo cáo quý I/2021 — Báo cáo quý về chỉ số chuyển đổi số — Sở Thông tin và Truyền thông', true, '2021-04-20'],
      ['SO-NV', 'Báo cáo quý I/2021 — Báo cáo quý về chỉ số chuyển đổi số — Sở Nội vụ', true, '2021-04-20'],
    ]);
    const xlsx = await fetch(`${api.baseUrl}/api/plans/${first.body.id}/monthly-report.xlsx?period=2021-Q1`, { headers: { authorization: `Bearer ${office}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain('-bao-cao-quy-2021-Q1.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.getWorksheet('Báo cáo quý')!.getCell('A1').value).toBe('BÁO CÁO TỔNG HỢP QUÝ I/2021');
    const bad = await api.call('GET', `/api/plans/${first.body.id}/monthly-report?period=2021-Q5`, office);
    expect(bad.status).toBe(400);
  });

  it('refuses to launch assignments the plan does not have, starting nothing', async () => {
    const text = seed.text.replace(/^(\s+)code: (PLANS-[A-Z0-9-]+)$/m, `$1code: $2-B`);
    const imported = await api.call('POST', '/api/plans', admin, { definition: text });
    const res = await api.call('POST', `/api/plans/${imported.body.id}/launch`, admin, { assignments: ['drafting:nope'] });
    expect(res.status).toBe(400);
    expect(res.body.fields[0]).toMatchObject({ field: 'assignments' });
    const [{ launched }] = await worker.db.query(`SELECT launched_at IS NOT NULL AS launched FROM plan_versions WHERE id = $1`, [imported.body.id]);
    expect(launched).toBe(false);
  });

  it('takes an extension request from the unit head and a grant from the Standing Office; shifts deadlines in bulk; replays idempotent writes', async () => {
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    const specs = seed.specsFor(imported.body.key).filter((s) => s.kind === 'concretisation').slice(0, 2);
    await api.call('POST', `/api/plans/${imported.body.id}/launch`, admin, { assignments: specs.map((s) => s.id) });
    const [mine] = specs;
    const url = `/api/assignments/${encodeURIComponent(mine.id)}`;
    await eventually(async () => ((await api.call('GET', url, office)).status === 200 ? true : undefined), 30_000);

    const bad = await api.call('POST', `${url}/extension-requests`, head, { reason: 'x', proposedDate: '15/03/2020' });
    expect(bad.status).toBe(400);
    expect(new Set(bad.body.fields.map((f: { field: string }) => f.field))).toEqual(new Set(['proposedDate', 'reason']));

    const key = randomUUID();
    const requested = await api.call('POST', `${url}/extension-requests`, head, { reason: 'Chờ hướng dẫn của Trung ương', proposedDate: '2020-03-31' }, { 'idempotency-key': key });
    expect(requested.status).toBe(201);
    const replay = await api.call('POST', `${url}/extension-requests`, head, { reason: 'Chờ hướng dẫn của Trung ương', proposedDate: '2020-03-31' }, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(requested.body);
    const reused = await api.call('POST', `${url}/extension-requests`, head, { reason: 'Khác', proposedDate: '2020-04-30' }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.reason).toBe('IDEMPOTENCY_KEY_REUSED');

    const pending = await api.call('GET', `/api/extension-requests?plan=${encodeURIComponent(imported.body.key)}`, office);
    await eventually(async () => ((await api.call('GET', `/api/extension-requests?plan=${encodeURIComponent(imported.body.key)}`, office)).body.length === 1 ? true : undefined));
    expect(pending.status).toBe(200);

    const granted = await api.call('POST', `/api/extension-requests/${requested.body.requestId}/decision`, office, { granted: true, comment: 'Đồng ý' });
    expect(granted.status).toBe(200);
    expect(granted.body.deadline).toMatchObject({ nominal: '2020-03-31', effective: '2020-03-31' });
    expect(granted.body.originalDeadline).toMatchObject({ nominal: '2020-02-29', effective: '2020-03-02' });
    const twice = await api.call('POST', `/api/extension-requests/${requested.body.requestId}/decision`, office, { granted: true });
    expect(twice.status).toBe(409);

    const shifted = await api.call('POST', `/api/plans/${imported.body.id}/deadline-shift`, office, { date: '2020-04-11', reason: 'Thông báo số 99-TB/TU' });
    expect(shifted.status).toBe(200);
    expect(shifted.body).toMatchObject({ shifted: 2, failed: 0 });
    // 11/04/2020 was a Saturday: effective Monday 13/04/2020.
    expect(shifted.body.results.map((r: { deadline: string }) => r.deadline)).toEqual(['2020-04-13', '2020-04-13']);
    const row = await eventually(async () => {
      const res = await api.call('GET', url, office);
      return res.body.effectiveDeadline === '2020-04-13' ? res.body : undefined;
    });
    expect(new Date(row.originalDueAt).toISOString()).toBe('2020-03-02T16:59:59.000Z');

    const notices = await api.call('GET', '/api/notifications', office);
    expect(notices.body.items.some((n: { kind: string; assignmentId: string }) => n.kind === 'extension' && n.assignmentId === mine.id)).toBe(true);
  });
});
