import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { parsePlanDefinition } from './plan-definition-parser';
import type { PlanDefinition } from './plan-definition.schema';
import { PlanAmendmentError, diffPlans, selectAssignments } from './plan-amendment';
import { expandPlan } from './plan-expansion';

const calendar = createWorkingCalendar();
const parsed = parsePlanDefinition(readFileSync(join(__dirname, '..', '..', 'plans', 'tra-vinh-2020.plan.yaml'), 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const seed = parsed.plan;
const KEY = 'TV-BTV-2020-NVTT-NVDP@v1';

function amend(edit: (plan: PlanDefinition) => void): PlanDefinition {
  const copy = structuredClone(seed);
  edit(copy);
  return copy;
}

describe('diffPlans: what a new version of a running plan changes', () => {
  it('finds nothing in the same plan, nor in a corrected title', () => {
    const diff = diffPlans(seed, amend((p) => (p.plan.title += ' (đính chính)')), calendar, { planId: KEY, asOf: '2026-11-27' });
    expect(diff.empty).toBe(true);
    expect(diff.obligations).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.units).toEqual({ added: [], removed: [], changed: [] });
  });

  it('names one obligation added, one removed and one deadline moved, under the running plan key', () => {
    const next = amend((p) => {
      const btc = p.obligations.findIndex((o) => o.id === 'III.2-BTC');
      p.obligations.splice(btc, 1);
      p.obligations.find((o) => o.id === 'III.5-BTG')!.deadline = 'cuối tháng 03/2021';
      p.obligations.push({ ...structuredClone(p.obligations.find((o) => o.id === 'III.5-BTG')!), id: 'III.5-BTG-BS', kind: 'review', deadline: 'cuối tháng 06/2021' });
    });
    const diff = diffPlans(seed, next, calendar, { planId: KEY, asOf: '2026-11-27' });

    expect(diff.empty).toBe(false);
    expect(diff.obligations).toEqual({ added: ['III.5-BTG-BS'], removed: ['III.2-BTC'], changed: ['III.5-BTG'] });
    expect(diff.assignments.added.map((a) => a.id)).toEqual([`review:${KEY}:-:BTG-TU`]);
    expect(diff.assignments.removed.map((a) => a.id)).toEqual([`review:${KEY}:-:BTC-TU`]);
    expect(diff.assignments.removed[0]).toMatchObject({ obligationId: 'III.2-BTC', leadUnit: 'BTC-TU', taskCodes: ['FT1'] }); // III.2 reviews only the tasks with a basis already (BT1 has none in the seed)
    // 31/03/2021 is a Wednesday: the nominal and effective dates agree; 31/12/2020 is a Thursday.
    expect(diff.assignments.deadlineChanged).toEqual([
      expect.objectContaining({
        id: `propaganda:${KEY}:-:BTG-TU`,
        from: { nominal: '2020-12-31', effective: '2020-12-31', dueAt: '2020-12-31T23:59:59+07:00' },
        to: { nominal: '2021-03-31', effective: '2021-03-31', dueAt: '2021-03-31T23:59:59+07:00' },
      }),
    ]);
  });

  it('names units added and removed, and the assignments a removed lead unit loses', () => {
    const next = amend((p) => {
      p.units = p.units.filter((u) => u.code !== 'HU-CK');
      p.unitGroups = p.unitGroups.map((g) => ({ ...g, members: g.members.filter((m) => m !== 'HU-CK') }));
      p.units.push({ code: 'HU-MOI', name: 'Huyện ủy Mới', kind: 'district-party-committee', parent: 'BCH-TU' });
      p.unitGroups.find((g) => g.code === 'HUYEN-UY')!.members.push('HU-MOI');
    });
    const diff = diffPlans(seed, next, calendar, { planId: KEY, asOf: '2026-11-27' });
    expect(diff.units.added).toEqual(['HU-MOI']);
    expect(diff.units.removed).toEqual(['HU-CK']);
    expect(diff.assignments.added.map((a) => a.leadUnit)).toContain('HU-MOI');
    expect(diff.assignments.removed.map((a) => a.leadUnit)).toEqual(diff.assignments.removed.map(() => 'HU-CK'));
    expect(diff.assignments.removed.length).toBeGreaterThan(0);
  });

  it('refuses a file of another plan', () => {
    expect(() => diffPlans(seed, amend((p) => (p.plan.code = 'OTHER')), calendar, { planId: KEY, asOf: '2026-11-27' })).toThrow(PlanAmendmentError);
  });
});

describe('selectAssignments: what a partial launch means', () => {
  const specs = expandPlan(seed, calendar, { planId: KEY });

  it('picks by lead unit and by task, in plan order, and all when nothing is named', () => {
    expect(selectAssignments(specs, {}).picked).toHaveLength(specs.length);
    const btc = selectAssignments(specs, { units: ['BTC-TU'] });
    expect(btc.unknown).toEqual([]);
    expect(btc.picked.map((s) => s.id)).toEqual(specs.filter((s) => s.leadUnit === 'BTC-TU').map((s) => s.id));
    const ft1 = selectAssignments(specs, { units: ['BTC-TU'], tasks: ['FT1'] }).picked.map((s) => s.id);
    expect(ft1).toContain(`drafting:${KEY}:FT1:BTC-TU`);
    expect(ft1).not.toContain(`drafting:${KEY}:BT1:BTC-TU`);
  });

  it('names the codes the plan does not know', () => {
    expect(selectAssignments(specs, { units: ['BTC-TU', 'NO-SUCH'], tasks: ['FT9'], assignments: ['x'] }).unknown).toEqual([
      { field: 'assignments', code: 'x' },
      { field: 'units', code: 'NO-SUCH' },
      { field: 'tasks', code: 'FT9' },
    ]);
  });
});
