import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { amendmentHandovers, describeAmendment } from './amendment-description';
import { diffPlans } from './plan-amendment';
import { parsePlanDefinition } from './plan-definition-parser';
import { ASSIGNMENT_KIND_TITLES, expandPlan } from './plan-expansion';
import { applyReorganisation, parseReorganisation } from './reorganisation';
import { handoversAtUnitEnds, passedUnitEnds } from './unit-ends';

const plans = join(__dirname, '..', '..', 'plans');
const seedParsed = parsePlanDefinition(readFileSync(join(plans, 'tra-vinh-2020.plan.yaml'), 'utf8'));
if (!seedParsed.ok) throw new Error(JSON.stringify(seedParsed.errors));
const reorg = parseReorganisation(readFileSync(join(plans, 'reorganisations', 'tra-vinh-2025.reorg.yaml'), 'utf8'));
if (!reorg.ok) throw new Error(JSON.stringify(reorg.errors));
const applied = applyReorganisation(seedParsed.plan, reorg.reorganisation);
if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
const seed = seedParsed.plan;
const reorganised = applied.plan;
const KEY = 'TV-BTV-2020-NVTT-NVDP@v1';
const calendar = createWorkingCalendar();
const specs = expandPlan(reorganised, calendar, { planId: KEY });
const concretisation = `concretisation:${KEY}:-:HU-CK`;
const duty = specs.find((s) => s.kind === 'monthly-report' && s.leadUnit === 'BTC-TU')!;
const period = `${duty.id}:2026-10`;
const proposal = `policy-proposal:${KEY}:III.4.0a1b2c3d:HU-CK`;
const leads = new Map([
  [concretisation, 'HU-CK'],
  [proposal, 'HU-CK'],
  [period, 'BTC-TU'],
]);
const AFTER_ENDS = Date.parse('2026-11-27T03:00:00Z');

describe('the description of an amendment applied after units ended', () => {
  const diff = describeAmendment(seed, reorganised, calendar, { planId: KEY, asOf: '2026-11-27', leads, now: AFTER_ENDS });

  it('lists the imposed assignment as the diff does', () => {
    expect(diff.assignments.handedOver.map((h) => h.id)).toEqual([concretisation]);
    expect(diff.assignments.handedOver[0]).toMatchObject({ from: 'HU-CK', to: 'DU-X-CAUKE', successorAssumed: true });
  });

  it('lists the ended unit\'s periodic duty (its periods from now on) and its open period', () => {
    expect(diff.assignments.dutiesHandedOver).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: duty.id, obligationId: duty.obligationId, kind: 'monthly-report', title: duty.title, from: 'BTC-TU', to: 'BTC-TU-VL', endedBy: 'merged' }),
        expect.objectContaining({ id: period, obligationId: duty.obligationId, title: duty.title, from: 'BTC-TU', to: 'BTC-TU-VL', period: '2026-10' }),
      ]),
    );
    expect(diff.assignments.dutiesHandedOver!.find((h) => h.id === duty.id)!.period).toBeUndefined();
    // Only duties (and their periods) of units that ended.
    expect(diff.assignments.dutiesHandedOver!.every((h) => h.kind === 'monthly-report' && h.from !== h.to)).toBe(true);
  });

  it('lists the open on-demand assignment with its obligation', () => {
    const o = seed.obligations.find((x) => x.id === 'III.4')!;
    expect(diff.assignments.onDemandHandedOver).toEqual([
      {
        id: proposal,
        obligationId: 'III.4',
        kind: 'policy-proposal',
        leadUnit: 'HU-CK',
        taskCodes: [...o.tasks],
        title: o.title ?? ASSIGNMENT_KIND_TITLES['policy-proposal'],
        from: 'HU-CK',
        to: 'DU-X-CAUKE',
        endedBy: 'abolished',
        successorAssumed: true,
      },
    ]);
    expect(diff.empty).toBe(false);
  });

  it('hands over, each id once, exactly what it lists: the unit ends\' list and the diff\'s', () => {
    const list = amendmentHandovers(diff);
    expect(new Set(list.map((h) => h.id)).size).toBe(list.length);
    const atEnds = handoversAtUnitEnds(reorganised, calendar, { planId: KEY, ends: passedUnitEnds(reorganised, AFTER_ENDS), leads, asOf: '2026-11-27' });
    expect([...list].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...atEnds].sort((a, b) => a.id.localeCompare(b.id)));
    expect(list).toEqual(expect.arrayContaining([{ id: proposal, from: 'HU-CK', to: 'DU-X-CAUKE' }, { id: period, from: 'BTC-TU', to: 'BTC-TU-VL' }]));
  });

  it('lists nothing more before the units end, and reads a diff stored before the lists existed', () => {
    const before = describeAmendment(seed, reorganised, calendar, { planId: KEY, asOf: '2025-06-30', leads, now: Date.parse('2025-06-30T16:59:59Z') });
    expect(before.assignments.dutiesHandedOver).toEqual([]);
    expect(before.assignments.onDemandHandedOver).toEqual([]);
    const bare = diffPlans(seed, reorganised, calendar, { planId: KEY, asOf: '2026-11-27', leads });
    expect(amendmentHandovers(bare)).toEqual([{ id: concretisation, from: 'HU-CK', to: 'DU-X-CAUKE' }]);
    // Nothing changes, nothing ends: an empty description.
    const quiet = { planId: KEY, asOf: '2026-11-27', leads: new Map<string, string>(), now: AFTER_ENDS };
    expect(describeAmendment(seed, seed, calendar, quiet).empty).toBe(true);
    // Removing the on-demand obligation changes no assignment, but what the running plan takes.
    const longer = { ...seed, plan: { ...seed.plan, horizon: 'đến hết năm 2031' } };
    expect(describeAmendment(longer, { ...longer, obligations: longer.obligations.filter((o) => o.id !== 'III.4') }, calendar, quiet)).toMatchObject({
      obligations: { removed: ['III.4'] },
      assignments: { added: [], removed: [] },
      empty: false,
    });
  });
});
