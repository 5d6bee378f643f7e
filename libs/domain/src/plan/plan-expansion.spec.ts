import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssignmentSpec } from '../assignment/assignment-spec';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { canonicalPlanJson } from './canonical-plan-json';
import { parsePlanDefinition } from './plan-definition-parser';
import type { PlanDefinition } from './plan-definition.schema';
import { expandPlan } from './plan-expansion';
import { nextReportPeriod, openReportPeriod } from './report-period';

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

  it('gives review (III.2), policy-proposal (III.4) and propaganda (III.5) duties, with assumed horizons flagged', () => {
    expect(ofKind('review').map((s) => s.leadUnit)).toEqual(['BCSD-UBND', 'BTC-TU']);
    expect(ofKind('policy-proposal').length).toBeGreaterThan(30);
    expect(ofKind('propaganda').map((s) => s.leadUnit)).toEqual(['BTG-TU', 'MTTQ-T', 'TINH-DOAN', 'HLHPN-T', 'HND-T', 'HCCB-T', 'LDLD-T']);
    for (const s of [...ofKind('review'), ...ofKind('policy-proposal'), ...ofKind('propaganda')]) expect(s.deadlineAssumed).toBe(true);
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
    expect(json).toContain('{"code":"FT1","kind":"focus","number":1,"text":');
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
    const report = example.find((s) => s.kind === 'monthly-report');
    // 30/04/2021, a Friday, is a holiday: the last working day of April 2021 is Thursday 29/04.
    expect(report?.deadline).toEqual({ nominal: '2021-04-29', effective: '2021-04-29', dueAt: '2021-04-29T23:59:59+07:00' });
    expect(report?.schedule[0].at).toBe('2021-04-27T07:30:00+07:00');
  });
});
