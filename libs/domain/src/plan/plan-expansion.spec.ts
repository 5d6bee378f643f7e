import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssignmentSpec } from '../assignment/assignment-spec';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { canonicalPlanJson } from './canonical-plan-json';
import { parsePlanDefinition } from './plan-definition-parser';
import type { PlanDefinition } from './plan-definition.schema';
import { expandPlan } from './plan-expansion';
import { availableObligations, openOnDemand } from './on-demand';
import { nextReportPeriod, openReportPeriod, reportPeriodTitle } from './report-period';

const calendar = createWorkingCalendar();
const planText = (name: string) => readFileSync(join(__dirname, '..', '..', 'plans', name), 'utf8');

function load(name: string): PlanDefinition {
  const result = parsePlanDefinition(planText(name));
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.plan;
}

const seed = load('tra-vinh-2020.plan.yaml');
const specs = expandPlan(seed, calendar);
const ofKind = (kind: AssignmentSpec['kind']) => specs.filter((s) => s.kind === kind);

describe('expanding the Trà Vinh 2020 plan', () => {
  it('gives the detailed plans\' approval chain step deadlines in working days, marked as assumptions', () => {
    const chain = ofKind('drafting')[0].approvalChain!;
    expect(chain.map((s) => [s.step, s.deadline, s.deadlineAssumed])).toEqual([
      ['vptu-tham-dinh', { workingDays: 5 }, true],
      ['thuong-truc-ky', { workingDays: 3 }, true],
    ]);
    for (const step of chain) {
      expect(step.timeZone).toBe('Asia/Ho_Chi_Minh');
      expect(step.escalationPolicy?.ladder[0]).toEqual({ afterWorkingDays: 0, notify: ['waited-on', 'standing-office'] });
    }
  });

  it('gives every assignment the assumed time limit of the Standing Office\'s extension decision', () => {
    for (const s of specs) {
      expect(s.responseDeadlines?.extensionDecision).toMatchObject({ limit: { workingDays: 3 }, assumed: true });
    }
  });

  it('refuses a step deadline without an escalation policy, and an unknown one', () => {
    const text = planText('tra-vinh-2020.plan.yaml');
    const missing = parsePlanDefinition(text.replace('        escalation: cho-quyet-dinh\n', ''));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors.map((e) => e.message)).toContain('a step with a deadline needs an escalation policy');
    const unknown = parsePlanDefinition(text.replace('escalation: cho-quyet-dinh', 'escalation: khong-co'));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.map((e) => e.message)).toContain('unknown escalation policy "khong-co"');
  });

  it('gives 9 drafting assignments: 7 for the UBND Party delegation, 2 for the Organisation Board', () => {
    const drafting = ofKind('drafting');
    expect(drafting.map((s) => s.id)).toEqual([
      ...['FT2', 'FT3', 'FT4', 'FT5', 'FT6', 'BT2', 'BT3'].map((t) => `drafting:TV-BTV-2020-NVTT-NVDP:${t}:BCSD-UBND`),
      ...['FT1', 'BT1'].map((t) => `drafting:TV-BTV-2020-NVTT-NVDP:${t}:BTC-TU`),
    ]);
    const btc = drafting.find((s) => s.leadUnit === 'BTC-TU');
    expect(btc?.coordinatingUnits).toEqual(['BTG-TU', 'BDV-TU', 'UBKT-TU', 'BNC-TU', 'VP-TU', 'BCSD-UBND']);
    for (const s of drafting) {
      expect(s.deadline).toEqual({ nominal: '2020-01-31', effective: '2020-01-31', dueAt: '2020-01-31T23:59:59+07:00' });
      expect(s.approvalChain?.map((a) => [a.unit, a.role])).toEqual([
        ['VP-TU', 'chanh-van-phong'],
        ['TT-TU', 'pho-bi-thu'],
      ]);
      expect(s.schedule[0]).toEqual({ at: '2020-01-21T08:00:00+07:00', type: 'reminder', level: 0, notify: ['lead-unit'] });
      expect(s.noticeUnits).toEqual({ standingOffice: 'VP-TU', standingCommittee: 'TT-TU' });
      expect(s.submitTo).toBe('BTV-TU');
    }
  });

  it('gives one concretisation per unit named in III.3, due end of February (effective Monday 02/03/2020), citing the plan', () => {
    const concretisation = ofKind('concretisation');
    const districts = ['TU-TPTV', 'TU-TXDH', 'HU-CL', 'HU-CK', 'HU-TC', 'HU-CT', 'HU-CN', 'HU-TRC', 'HU-DH'];
    const direct = ['DU-KCQDN', 'DU-QS', 'DU-CA', 'DU-BP'];
    const departments = seed.units.filter((u) => u.kind === 'department').map((u) => u.code);
    expect(concretisation.map((s) => s.leadUnit)).toEqual([...districts, ...direct, ...departments]);
    for (const s of concretisation) {
      expect(s.id).toBe(`concretisation:TV-BTV-2020-NVTT-NVDP:-:${s.leadUnit}`);
      expect(s.deadline).toEqual({ nominal: '2020-02-29', effective: '2020-03-02', dueAt: '2020-03-02T23:59:59+07:00' });
      expect(s.mustCite).toBe(seed.plan.number);
      expect(s.taskCodes).toHaveLength(9);
    }
  });

  it('gives review (III.2) and propaganda (III.5) duties, with assumed horizons flagged', () => {
    expect(ofKind('review').map((s) => s.leadUnit)).toEqual(['BCSD-UBND', 'BTC-TU']);
    expect(ofKind('propaganda').map((s) => s.leadUnit)).toEqual(['BTG-TU', 'MTTQ-T', 'TINH-DOAN', 'HLHPN-T', 'HND-T', 'HCCB-T', 'LDLD-T']);
    for (const s of [...ofKind('review'), ...ofKind('propaganda')]) expect(s.deadlineAssumed).toBe(true);
  });

  it('reviews (III.2) only the tasks that already have a resolution or programme, ending in a Standing Committee conclusion', () => {
    const reviews = ofKind('review');
    expect(reviews.map((r) => [r.leadUnit, r.taskCodes])).toEqual([
      ['BCSD-UBND', ['FT3', 'BT2']],
      ['BTC-TU', ['FT1']],
    ]);
    for (const r of reviews) expect(r.approvalChain?.map((s) => [s.unit, s.step])).toEqual([['VP-TU', 'vptu-tong-hop'], ['TT-TU', 'btv-ket-luan']]);
    expect(seed.tasks.filter((t) => t.existingBasisAssumed).map((t) => t.code)).toEqual(['FT3', 'BT2']);
  });

  it('imposes no policy proposal (III.4, khi cần thiết): it is available to every unit of CQ-DV-DP instead', () => {
    expect(ofKind('policy-proposal')).toEqual([]);
    const [iii4] = availableObligations(seed);
    expect(iii4).toMatchObject({ obligationId: 'III.4', kind: 'policy-proposal', submitTo: 'BTV-TU' });
    expect(iii4.units).toEqual(expect.arrayContaining(['BCSD-UBND', 'BTC-TU', 'HU-CL', 'SO-TC', 'DU-CA']));
    expect(iii4.units).not.toContain('MTTQ-T');
  });

  it('opens a policy proposal for a unit that needs one: its own target date, reminders only, the III.4 approval chain', () => {
    const request = { planId: 'TV@v1', obligationId: 'III.4', unit: 'SO-TC', subject: 'Cơ chế hỗ trợ doanh nghiệp khởi nghiệp', targetDate: '2021-05-15', today: '2021-03-01', suffix: 'ab12cd' };
    const opened = openOnDemand(seed, calendar, request);
    if (!opened.ok) throw new Error(opened.refusal.reason);
    // 15/05/2021 is a Saturday: due Monday 17/05/2021.
    expect(opened.spec).toMatchObject({
      id: 'policy-proposal:TV@v1:III.4.ab12cd:SO-TC',
      title: 'Rà soát, đề xuất cơ chế, chính sách: Cơ chế hỗ trợ doanh nghiệp khởi nghiệp — Sở Tài chính',
      leadUnit: 'SO-TC',
      deadline: { nominal: '2021-05-15', effective: '2021-05-17' },
      submitTo: 'BTV-TU',
    });
    expect(opened.spec.schedule.length).toBeGreaterThan(0);
    expect(opened.spec.schedule.every((e) => e.type === 'reminder')).toBe(true);
    expect(opened.spec.approvalChain?.map((s) => s.unit)).toEqual(['VP-TU', 'TT-TU']);

    const refused = (change: Partial<typeof request>) => {
      const r = openOnDemand(seed, calendar, { ...request, ...change });
      return r.ok ? undefined : [r.refusal.code, r.refusal.field];
    };
    expect(refused({ unit: 'MTTQ-T' })).toEqual(['NOT_AVAILABLE_TO_UNIT', 'unit']);
    expect(refused({ obligationId: 'III.3' })).toEqual(['NOT_FOUND', 'obligationId']);
    expect(refused({ targetDate: '2021-02-28' })).toEqual(['INVALID', 'targetDate']);
    expect(refused({ targetDate: '2021-02-30' })).toEqual(['INVALID', 'targetDate']);
    expect(refused({ subject: ' x ' })).toEqual(['INVALID', 'subject']);
  });

  it('gives two monthly-report duties (III.6) that the workflow can roll forward', () => {
    const reports = ofKind('monthly-report');
    expect(reports.map((s) => s.id)).toEqual(['monthly-report:TV-BTV-2020-NVTT-NVDP:-:BCSD-UBND', 'monthly-report:TV-BTV-2020-NVTT-NVDP:-:BTC-TU']);
    const report = reports[0].report;
    if (!report) throw new Error('no report');
    expect(report.firstPeriod).toBe('2020-01');
    expect(report.rhythm).toEqual({ kind: 'monthly-end' });
    expect(reports[0].deadline.effective).toBe('2020-01-31');
    const feb = nextReportPeriod(report.rhythm, '2020-01', report.policy, calendar);
    expect(feb.period).toBe('2020-02');
    expect(feb.deadline).toEqual({ nominal: '2020-02-29', effective: '2020-03-02', dueAt: '2020-03-02T23:59:59+07:00' });
    expect(feb.schedule[0].at).toBe('2020-02-27T08:00:00+07:00');
    expect(nextReportPeriod(report.rhythm, '2020-12', report.policy, calendar).period).toBe('2021-01');
    expect(openReportPeriod(report, undefined, calendar).period).toBe('2020-01');
  });

  it('ends the monthly duties with the assumed horizon (năm 2020): twelve periods each, titled by their period', () => {
    for (const duty of ofKind('monthly-report')) {
      const report = duty.report!;
      expect(report.lastPeriod).toBe('2020-12');
      const opened = [openReportPeriod(report, undefined, calendar)];
      while (!opened.at(-1)!.last) opened.push(openReportPeriod(report, opened.at(-1)!.period, calendar));
      expect(opened.map((p) => p.period)).toEqual(Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, '0')}`));
      expect(reportPeriodTitle(duty, '2020-03')).toBe(`Báo cáo tháng 03/2020 — ${duty.leadUnit === 'BTC-TU' ? 'Ban Tổ chức' : 'Ban cán sự đảng UBND tỉnh'}`);
    }
  });

  it('uses unique business keys without spaces', () => {
    const ids = specs.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z-]+:[^\s:]+:[^\s:]+:[^\s:]+$/);
  });

  it('is deterministic', () => {
    expect(expandPlan(load('tra-vinh-2020.plan.yaml'), createWorkingCalendar())).toEqual(specs);
  });
});

describe('canonicalPlanJson', () => {
  it('is the same for the same plan, whatever the comments or key order', () => {
    const text = planText('tra-vinh-2020.plan.yaml');
    const reordered = text.replace('formatVersion: 1\n', '').replace(/^plan:/m, 'formatVersion: 1\nplan:').replace(/^#.*$/gm, '# edited comment');
    const a = parsePlanDefinition(text);
    const b = parsePlanDefinition(reordered);
    if (!a.ok || !b.ok) throw new Error('seed must parse');
    expect(canonicalPlanJson(b.plan)).toBe(canonicalPlanJson(a.plan));
  });

  it('changes when the content changes', () => {
    const changed = parsePlanDefinition(planText('tra-vinh-2020.plan.yaml').replace('deadline: cuối tháng 02/2020', 'deadline: cuối tháng 03/2020'));
    if (!changed.ok) throw new Error('must parse');
    expect(canonicalPlanJson(changed.plan)).not.toBe(canonicalPlanJson(seed));
  });

  it('sorts keys at every depth', () => {
    const json = canonicalPlanJson(seed);
    expect(json.startsWith('{"approvalChains":')).toBe(true);
    expect(json).toContain('{"code":"FT2","kind":"focus","number":2,"text":');
    expect(json).toContain('{"code":"FT1","existingBasis":');
  });
});

describe('expanding another province', () => {
  it('resolves working-days-after-event deadlines and the last-working-day rhythm', () => {
    const example = expandPlan(load('soc-trang-example.plan.yaml'), calendar);
    const drafting = example.filter((s) => s.kind === 'drafting');
    expect(drafting).toHaveLength(3);
    expect(drafting[0].deadline.nominal).toBe('2021-03-22');
    const concretisation = example.filter((s) => s.kind === 'concretisation');
    expect(concretisation).toHaveLength(6);
    expect(concretisation[0].deadline.nominal).toBe('2021-03-29');
    const report = example.find((s) => s.obligationId === 'BAO-CAO-THANG');
    // 30/04/2021, a Friday, is a holiday: the last working day of April 2021 is Thursday 29/04.
    expect(report?.deadline).toEqual({ nominal: '2021-04-29', effective: '2021-04-29', dueAt: '2021-04-29T23:59:59+07:00' });
    expect(report?.schedule[0].at).toBe('2021-04-27T07:30:00+07:00');
  });
});

describe('the lead unit head\'s step (unitHeadReview)', () => {
  const example = load('soc-trang-example.plan.yaml');

  it('starts each drafting chain in its own lead unit, with its own assumed deadline, before the Standing Office', () => {
    const drafting = expandPlan(example, calendar).filter((s) => s.kind === 'drafting');
    for (const s of drafting) {
      const chain = s.approvalChain!;
      expect(chain.map((c) => [c.step, c.unit, c.role])).toEqual([
        ['lanh-dao-don-vi', s.leadUnit, 'unit-head'],
        ['vptu-tham-dinh', 'VP-TU', 'chanh-van-phong'],
        ['btv-phe-duyet', 'BTV-TU', 'bi-thu'],
      ]);
      expect(chain[0]).toMatchObject({ deadline: { workingDays: 2 }, deadlineAssumed: true, timeZone: 'Asia/Ho_Chi_Minh' });
      expect(chain[0].escalationPolicy?.ladder[0]).toEqual({ afterWorkingDays: 0, notify: ['lead-unit-head'] });
    }
  });

  it('leaves kinds it does not name, and plans without it, as they were', () => {
    const specs = expandPlan({ ...example, unitHeadReview: { ...example.unitHeadReview!, kinds: ['policy-proposal'] } }, calendar);
    expect(specs.find((s) => s.kind === 'drafting')!.approvalChain!.map((c) => c.step)).toEqual(['vptu-tham-dinh', 'btv-phe-duyet']);
    expect(ofKind('drafting')[0].approvalChain!.map((c) => c.step)).toEqual(['vptu-tham-dinh', 'thuong-truc-ky']);
  });

  it('applies globally without kinds, also to an obligation a unit opens on demand', () => {
    const withHead = { ...seed, unitHeadReview: { step: 'ld', label: 'Lãnh đạo đơn vị', role: 'truong-ban' } };
    const opened = openOnDemand(withHead, calendar, { planId: 'TV@v1', obligationId: 'III.4', unit: 'SO-TC', subject: 'Cơ chế hỗ trợ', targetDate: '2021-05-15', today: '2021-03-01', suffix: 'x1' });
    expect(opened.ok).toBe(true);
    if (opened.ok) expect(opened.spec.approvalChain![0]).toEqual({ step: 'ld', label: 'Lãnh đạo đơn vị', unit: 'SO-TC', role: 'truong-ban' });
  });

  it('refuses a step code a chain already uses, a deadline without a policy, and an unknown policy', () => {
    const text = planText('soc-trang-example.plan.yaml');
    const clash = parsePlanDefinition(text.replace('unitHeadReview:\n', 'unitHeadReview:\n  step: vptu-tham-dinh\n'));
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.errors).toContainEqual(expect.objectContaining({ path: 'unitHeadReview.step', message: expect.stringContaining('its own code') }));
    const noPolicy = parsePlanDefinition(text.replace('  deadlineAssumed: true\n  escalation: nhanh\n', '  deadlineAssumed: true\n'));
    expect(noPolicy.ok).toBe(false);
    if (!noPolicy.ok) expect(noPolicy.errors.map((e) => e.message)).toContain('a step with a deadline needs an escalation policy');
    const unknown = parsePlanDefinition(text.replace('  deadlineAssumed: true\n  escalation: nhanh\n', '  deadlineAssumed: true\n  escalation: khong-co\n'));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.map((e) => e.message)).toContain('unknown escalation policy "khong-co"');
  });
});

describe('periodic duties of another rhythm', () => {
  const example = expandPlan(load('soc-trang-example.plan.yaml'), calendar);
  const duty = (obligation: string, unit: string) => {
    const found = example.find((s) => s.obligationId === obligation && s.leadUnit === unit);
    if (!found?.report) throw new Error(`${obligation} ${unit}`);
    return found;
  };
  const periods = (spec: ReturnType<typeof duty>) => {
    const opened = [openReportPeriod(spec.report!, undefined, calendar)];
    while (!opened.at(-1)!.last) opened.push(openReportPeriod(spec.report!, opened.at(-1)!.period, calendar));
    return opened.map((p) => [p.period, p.deadline.nominal, p.deadline.effective]);
  };

  it('a quarterly duty due day 20 of the month after each quarter, from 2021-Q1 to its last period 2022-Q2', () => {
    const quarterly = duty('BAO-CAO-QUY', 'SO-TTTT');
    expect(quarterly.id).toBe('monthly-report:ST-BTV-2021-CDS-VD:BAO-CAO-QUY:SO-TTTT');
    expect(quarterly.title).toBe('Báo cáo quý về chỉ số chuyển đổi số — Sở Thông tin và Truyền thông');
    // 20/01/2022 is a Thursday; 20/04/2022 a Wednesday; 20/07/2022 a Wednesday.
    expect(periods(quarterly)).toEqual([
      ['2021-Q1', '2021-04-20', '2021-04-20'],
      ['2021-Q2', '2021-07-20', '2021-07-20'],
      ['2021-Q3', '2021-10-20', '2021-10-20'],
      ['2021-Q4', '2022-01-20', '2022-01-20'],
      ['2022-Q1', '2022-04-20', '2022-04-20'],
      ['2022-Q2', '2022-07-20', '2022-07-20'],
    ]);
    expect(reportPeriodTitle(quarterly, '2021-Q1')).toBe('Báo cáo quý I/2021 — Báo cáo quý về chỉ số chuyển đổi số — Sở Thông tin và Truyền thông');
  });

  it('a half-yearly duty with an end date, and a yearly one ended by the plan horizon (giai đoạn 2021-2022)', () => {
    // 15/06/2021 is a Tuesday; 15/12/2021 a Wednesday.
    expect(periods(duty('BAO-CAO-6-THANG', 'HU-KS'))).toEqual([
      ['2021-H1', '2021-06-15', '2021-06-15'],
      ['2021-H2', '2021-12-15', '2021-12-15'],
    ]);
    // 15/12/2022 is a Thursday.
    expect(periods(duty('BAO-CAO-NAM', 'BCSD-UBND'))).toEqual([
      ['2021', '2021-12-15', '2021-12-15'],
      ['2022', '2022-12-15', '2022-12-15'],
    ]);
    // The monthly duty of the same unit keeps its first-format id; the yearly one has its own.
    expect(duty('BAO-CAO-THANG', 'BCSD-UBND').id).toBe('monthly-report:ST-BTV-2021-CDS-VD:-:BCSD-UBND');
    expect(duty('BAO-CAO-THANG', 'BCSD-UBND').report?.lastPeriod).toBe('2022-12');
  });
});
