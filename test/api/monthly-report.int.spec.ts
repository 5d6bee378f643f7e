import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { TEST_PASSWORD } from '../support/api-harness';
import { webSession } from '../support/web-session';
import { MONTHLY_REPORT_COLUMNS, MONTHLY_REPORT_HEADER_ROW } from '../../apps/api/src/reports/monthly-report-workbook';

/**
 * Two months ago in Asia/Ho_Chi_Minh: its reports are overdue whatever today is (a deadline
 * at the end of a month moved past a weekend still falls in the next month), and the duties
 * open only this period, the next one and the current one instead of every month since 2020.
 */
const PERIOD = DateTime.now().setZone('Asia/Ho_Chi_Minh').minus({ months: 2 }).toFormat('yyyy-MM');
const BEFORE = DateTime.fromFormat(PERIOD, 'yyyy-MM').minus({ months: 1 }).toFormat('yyyy-MM');

const REPORT_TEXT = 'Tháng này Ban cán sự đảng UBND tỉnh đã triển khai 7 kế hoạch chi tiết; tiến độ đạt 80%.';
const DIFFICULTIES = 'Chưa có hướng dẫn của Trung ương về cơ chế đặc thù cho khu kinh tế Định An.';

describe('the monthly consolidated report (III.6) over HTTP: JSON and XLSX', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let drafter: string;
  let auditor: string;
  let standingBoard: string;
  let planId: string;
  let duties: AssignmentSpec[];
  const seed = ownSeedPlan('MONTHLY');
  // The seed's assumed horizon (năm 2020) would end the duties before PERIOD: run them to next year.
  const text = seed.text.replaceAll('firstPeriod: 2020-01', `firstPeriod: ${PERIOD}`).replace('horizon: năm 2020', `horizon: đến hết năm ${Number(PERIOD.slice(0, 4)) + 1}`);
  const periodId = (duty: AssignmentSpec, period = PERIOD) => `${duty.id}:${period}`;

  beforeAll(async () => {
    if (text === seed.text) throw new Error('the seed plan no longer has "firstPeriod: 2020-01"; update this test');
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    const officeUnit = seed.plan.plan.standingOffice;
    await api.createUser({ username: `mr-office-${s}`, displayName: 'Văn phòng Tỉnh ủy', unitCode: officeUnit, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `mr-auditor-${s}`, displayName: 'Ủy ban Kiểm tra', unitCode: officeUnit, roles: ['auditor'] });
    await api.createUser({ username: `mr-drafter-${s}`, displayName: 'Chuyên viên Ban cán sự', unitCode: 'BCSD-UBND', roles: ['drafter'] });
    // Thường trực Tỉnh ủy (the Standing Board), to whom III.6 reports go (submitTo: TT-TU).
    standingBoard = `mr-board-${s}`;
    await api.createUser({ username: standingBoard, displayName: 'Phó Bí thư', unitCode: 'TT-TU', roles: ['approver'] });
    office = await api.login(`mr-office-${s}`);
    auditor = await api.login(`mr-auditor-${s}`);
    drafter = await api.login(`mr-drafter-${s}`);

    const imported = await api.call('POST', '/api/plans', office, { definition: text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    planId = imported.body.id;
    duties = seed.specsFor(imported.body.key).filter((x) => x.kind === 'monthly-report');
    expect(duties.map((d) => d.leadUnit).sort()).toEqual(['BCSD-UBND', 'BTC-TU']);
    const launched = await api.call('POST', `/api/plans/${planId}/launch`, office, { assignments: duties.map((d) => d.id) });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);

    // Each duty opens PERIOD first; its timers were missed, so the whole ladder is climbed at once.
    for (const duty of duties) {
      await eventually(async () => {
        const res = await api.call('GET', `/api/assignments/${encodeURIComponent(periodId(duty))}`, office);
        return res.status === 200 && res.body.escalationLevel === 3 ? true : undefined;
      }, 60_000, `${periodId(duty)} in the read model, escalated`);
    }
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it("lists each duty's period with status, deadlines, the report and its difficulties, and totals", async () => {
    const [bcsd, btc] = ['BCSD-UBND', 'BTC-TU'].map((unit) => duties.find((d) => d.leadUnit === unit)!);
    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(periodId(bcsd))}/reports`, drafter, {
      version: 1,
      text: REPORT_TEXT,
      attachments: [],
      difficulties: DIFFICULTIES,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    await eventually(async () => {
      const res = await api.call('GET', `/api/assignments/${encodeURIComponent(periodId(bcsd))}`, office);
      return res.body.lifecycle === 'done' ? true : undefined;
    }, 30_000, 'the report recorded');

    // The report goes to whom the plan says (submitTo: Thường trực Tỉnh ủy); its difficulties reach the Standing Office too.
    const notices = await eventually(async () => {
      const rows = (await worker.db.query(`SELECT recipient_unit, kind FROM notifications WHERE assignment_id = $1 AND kind IN ('submitted', 'difficulties') ORDER BY kind, recipient_unit`, [periodId(bcsd)])) as { recipient_unit: string; kind: string }[];
      return rows.length >= 3 ? rows : undefined;
    }, 30_000, 'the submission and difficulties notices');
    expect(notices).toEqual([
      { recipient_unit: 'TT-TU', kind: 'difficulties' },
      { recipient_unit: 'VP-TU', kind: 'difficulties' },
      { recipient_unit: 'TT-TU', kind: 'submitted' },
    ]);
    const board = webSession(api.baseUrl);
    expect((await board.post('/login', { username: standingBoard, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    const inbox = await board.get('/?queue=received');
    expect(inbox.text).toContain('id="inbox-received"');
    expect(inbox.text).toContain(`Báo cáo tháng ${PERIOD.slice(5)}/${PERIOD.slice(0, 4)} — Ban cán sự đảng UBND tỉnh`);

    const res = await api.call('GET', `/api/plans/${planId}/monthly-report?period=${PERIOD}`, office);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body;
    expect(report.period).toBe(PERIOD);
    expect(report.plan.id).toBe(planId);
    // In the plan file's unit order: BTC-TU is listed before BCSD-UBND.
    expect(report.rows.map((r: { unit: { code: string } }) => r.unit.code)).toEqual(['BTC-TU', 'BCSD-UBND']);

    const mine = report.rows.find((r: { unit: { code: string } }) => r.unit.code === 'BCSD-UBND');
    const apiRow = (await api.call('GET', `/api/assignments/${encodeURIComponent(periodId(bcsd))}`, office)).body;
    expect(mine).toMatchObject({
      dutyId: bcsd.id,
      assignmentId: periodId(bcsd),
      opened: true,
      unit: { code: 'BCSD-UBND', name: seed.plan.units.find((u) => u.code === 'BCSD-UBND')!.name },
      status: 'done-late',
      lifecycle: 'done',
      deadline: { nominal: apiRow.nominalDeadline, effective: apiRow.effectiveDeadline },
      extended: false,
      submittedBy: { unit: 'BCSD-UBND' },
      text: REPORT_TEXT,
      difficulties: DIFFICULTIES,
      escalationLevel: apiRow.escalationLevel,
    });
    expect(mine.deadline.nominal.slice(0, 7)).toBe(PERIOD);
    expect(mine.title).toBe(`Báo cáo tháng ${PERIOD.slice(5)}/${PERIOD.slice(0, 4)} — Ban cán sự đảng UBND tỉnh`);
    expect(Date.parse(mine.submittedAt)).toBeGreaterThan(Date.parse(mine.deadline.dueAt));

    const theirs = report.rows.find((r: { unit: { code: string } }) => r.unit.code === 'BTC-TU');
    expect(theirs).toMatchObject({
      assignmentId: periodId(btc),
      opened: true,
      status: 'overdue',
      lifecycle: 'open',
      submittedAt: null,
      text: null,
      difficulties: null,
      escalationLevel: 3,
    });

    expect(report.totals).toMatchObject({ duties: 2, opened: 2, submitted: 1, notSubmitted: 1, withDifficulties: 1, escalated: 2 });
    expect(report.totals.byStatus).toMatchObject({ overdue: 1, 'done-late': 1, 'done-on-time': 0, 'not-opened': 0 });

    // A period before the duties' first one: each duty still shows, as not opened, with the rhythm's deadline.
    const before = await api.call('GET', `/api/plans/${planId}/monthly-report?period=${BEFORE}`, auditor);
    expect(before.status).toBe(200);
    expect(before.body.rows.map((r: { status: string }) => r.status)).toEqual(['not-opened', 'not-opened']);
    expect(before.body.rows[0].deadline.nominal.slice(0, 7)).toBe(BEFORE);
    expect(before.body.totals).toMatchObject({ duties: 2, opened: 0, submitted: 0, notSubmitted: 0 });
  });

  it('exports the same rows as an XLSX workbook with Vietnamese headings and dates dd/mm/yyyy', async () => {
    const json = (await api.call('GET', `/api/plans/${planId}/monthly-report?period=${PERIOD}`, office)).body;
    const res = await fetch(`${api.baseUrl}/api/plans/${planId}/monthly-report.xlsx?period=${PERIOD}`, { headers: { authorization: `Bearer ${office}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`bao-cao-thang-${PERIOD}.xlsx`);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('Báo cáo tháng')!;
    expect(sheet).toBeDefined();
    const [year, month] = PERIOD.split('-');
    expect(sheet.getCell('A1').value).toBe(`BÁO CÁO TỔNG HỢP THÁNG ${month}/${year}`);
    const header = sheet.getRow(MONTHLY_REPORT_HEADER_ROW).values as unknown[];
    expect(header.slice(1)).toEqual(MONTHLY_REPORT_COLUMNS.map((c) => c.header));
    expect(header).toEqual(expect.arrayContaining(['Đơn vị', 'Tình trạng', 'Hạn thực tế', 'Ngày nộp', 'Nội dung báo cáo', 'Khó khăn, vướng mắc']));

    const col = (name: string) => MONTHLY_REPORT_COLUMNS.findIndex((c) => c.header === name) + 1;
    const rows = [MONTHLY_REPORT_HEADER_ROW + 1, MONTHLY_REPORT_HEADER_ROW + 2].map((n) => sheet.getRow(n));
    expect(sheet.getRow(MONTHLY_REPORT_HEADER_ROW + 3).getCell(1).value ?? null).toBeNull();
    expect(rows.map((r) => r.getCell(col('Đơn vị')).value)).toEqual(json.rows.map((r: { unit: { name: string } }) => r.unit.name));

    const mine = rows.find((r) => r.getCell(col('Khó khăn, vướng mắc')).value === DIFFICULTIES)!;
    expect(mine).toBeDefined();
    expect(mine.getCell(col('Tình trạng')).value).toBe('Hoàn thành quá hạn');
    expect(mine.getCell(col('Nội dung báo cáo')).value).toBe(REPORT_TEXT);
    const row = json.rows.find((r: { unit: { code: string } }) => r.unit.code === 'BCSD-UBND');
    const effective = mine.getCell(col('Hạn thực tế'));
    expect(effective.numFmt).toBe('dd/mm/yyyy');
    expect((effective.value as Date).toISOString().slice(0, 10)).toBe(row.deadline.effective);
    const submittedAt = mine.getCell(col('Ngày nộp'));
    expect(submittedAt.numFmt).toBe('dd/mm/yyyy hh:mm');
    // The wall-clock time in Asia/Ho_Chi_Minh, written as a date without a zone.
    expect((submittedAt.value as Date).toISOString().slice(0, 16)).toBe(DateTime.fromISO(row.submittedAt).setZone('Asia/Ho_Chi_Minh').toFormat("yyyy-MM-dd'T'HH:mm"));
    expect(mine.getCell(col('Mức báo cáo vượt cấp')).value).toBe(row.escalationLevel);

    const theirs = rows.find((r) => r !== mine)!;
    expect(theirs.getCell(col('Tình trạng')).value).toBe('Quá hạn');
    expect(theirs.getCell(col('Ngày nộp')).value).toBe('');

    const totals = book.getWorksheet('Tổng hợp')!;
    const byLabel = new Map<string, unknown>();
    totals.eachRow((r) => byLabel.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(byLabel.get('Đã nộp báo cáo')).toBe(1);
    expect(byLabel.get('Chưa nộp báo cáo')).toBe(1);
    expect(byLabel.get('Có khó khăn, vướng mắc')).toBe(1);
    expect(byLabel.get('Quá hạn')).toBe(1);
  });

  it('answers a bad period with 400 naming the field', async () => {
    for (const period of ['2020-13', '2020-1', '03/2020']) {
      const res = await api.call('GET', `/api/plans/${planId}/monthly-report?period=${encodeURIComponent(period)}`, office);
      expect(res.status, period).toBe(400);
      expect(res.body.code).toBe('VALIDATION');
      expect(res.body.fields).toContainEqual(expect.objectContaining({ field: 'period' }));
    }
    const missing = await api.call('GET', `/api/plans/${planId}/monthly-report`, office);
    expect(missing.status).toBe(400);
    expect(missing.body.fields[0].field).toBe('period');
    const xlsx = await api.call('GET', `/api/plans/${planId}/monthly-report.xlsx?period=2020-13`, office);
    expect(xlsx.status).toBe(400);
  });

  it("refuses a unit's drafter with 403, before looking at the input", async () => {
    for (const path of [`/api/plans/${planId}/monthly-report?period=${PERIOD}`, `/api/plans/${planId}/monthly-report.xlsx?period=${PERIOD}`, `/api/plans/${planId}/monthly-report?period=2020-13`]) {
      const res = await api.call('GET', path, drafter);
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });
});
