import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { parsePlanDefinition } from './plan-definition-parser';
import { expandPlan } from './plan-expansion';
import { applyReorganisation, parseReorganisation } from './reorganisation';
import { handoversAtUnitEnd, handoversAtUnitEnds, passedUnitEnds, scheduledUnitEnds, unitEndInstant } from './unit-ends';

const plans = join(__dirname, '..', '..', 'plans');
const seedParsed = parsePlanDefinition(readFileSync(join(plans, 'tra-vinh-2020.plan.yaml'), 'utf8'));
if (!seedParsed.ok) throw new Error(JSON.stringify(seedParsed.errors));
const reorg = parseReorganisation(readFileSync(join(plans, 'reorganisations', 'tra-vinh-2025.reorg.yaml'), 'utf8'));
if (!reorg.ok) throw new Error(JSON.stringify(reorg.errors));
const applied = applyReorganisation(seedParsed.plan, reorg.reorganisation);
if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
const plan = applied.plan;
const KEY = 'TV-BTV-2020-NVTT-NVDP@v1';
const calendar = createWorkingCalendar();

describe('a unit that ends later', () => {
  it('ends at 00:00 of the day after its last day, in the plan time zone (UTC+7)', () => {
    // 30/06/2025 is the last day: 01/07/2025 00:00 in Hồ Chí Minh City is 30/06/2025 17:00 UTC.
    expect(unitEndInstant('2025-06-30', 'Asia/Ho_Chi_Minh')).toBe('2025-06-30T17:00:00Z');
    // The last day of a leap February: 01/03/2024 00:00 local.
    expect(unitEndInstant('2024-02-29', 'Asia/Ho_Chi_Minh')).toBe('2024-02-29T17:00:00Z');
    expect(unitEndInstant('2023-12-31', 'UTC')).toBe('2024-01-01T00:00:00Z');
  });

  it('is scheduled while its end is ahead, with its successor; not once it has passed', () => {
    const before = scheduledUnitEnds(plan, Date.parse('2025-06-30T16:59:59Z'));
    expect(before.find((e) => e.unit === 'HU-CK')).toEqual({ unit: 'HU-CK', validTo: '2025-06-30', successor: 'DU-X-CAUKE', at: '2025-06-30T17:00:00Z', endedBy: 'abolished', successorAssumed: true });
    expect(before.find((e) => e.unit === 'BTC-TU')).toMatchObject({ successor: 'BTC-TU-VL', endedBy: 'merged' });
    expect(before.every((e) => e.at === '2025-06-30T17:00:00Z')).toBe(true);
    expect(scheduledUnitEnds(plan, Date.parse('2025-06-30T17:00:00Z'))).toEqual([]);
    // The seed as written ends no unit.
    expect(scheduledUnitEnds(seedParsed.plan, Date.parse('2020-01-01T00:00:00Z'))).toEqual([]);
  });

  it('hands over what the amendment diff would, plus the unit\'s report duties and the open work the plan file does not list', () => {
    const specs = expandPlan(plan, calendar, { planId: KEY });
    const concretisation = `concretisation:${KEY}:-:HU-CK`;
    expect(specs.some((s) => s.id === concretisation)).toBe(true);
    const onDemand = `policy-proposal:${KEY}:III.4.0a1b2c3d:HU-CK`;
    const elsewhere = `concretisation:${KEY}:-:HU-CL`;
    const leads = new Map([
      [concretisation, 'HU-CK'],
      [onDemand, 'HU-CK'],
      [elsewhere, 'HU-CL'],
    ]);
    expect(handoversAtUnitEnd(plan, calendar, { planId: KEY, unit: 'HU-CK', validTo: '2025-06-30', leads })).toEqual([
      { id: concretisation, from: 'HU-CK', to: 'DU-X-CAUKE' },
      { id: onDemand, from: 'HU-CK', to: 'DU-X-CAUKE' },
    ]);
    // Already handed over (the read model says the successor leads): nothing to do again.
    expect(handoversAtUnitEnd(plan, calendar, { planId: KEY, unit: 'HU-CK', validTo: '2025-06-30', leads: new Map([[concretisation, 'DU-X-CAUKE']]) })).toEqual([]);
    // The Organisation Board's monthly duty is not in the read model (its periods are): it passes too.
    const duty = specs.find((s) => s.kind === 'monthly-report' && s.leadUnit === 'BTC-TU')!;
    expect(handoversAtUnitEnd(plan, calendar, { planId: KEY, unit: 'BTC-TU', validTo: '2025-06-30', leads: new Map() })).toEqual([{ id: duty.id, from: 'BTC-TU', to: 'BTC-TU-VL' }]);
    // The day is the one the plan says: a unit still in force on that day hands nothing over.
    expect(handoversAtUnitEnd(plan, calendar, { planId: KEY, unit: 'HU-CK', validTo: '2025-06-29', leads })).toEqual([]);
  });

  it('an amendment applied after the ends hands over the same list, for every unit ended, as of its own day', () => {
    const ended = passedUnitEnds(plan, Date.parse('2026-11-27T00:00:00Z'));
    expect(ended.map((e) => e.unit)).toEqual(expect.arrayContaining(['HU-CK', 'BTC-TU']));
    expect(passedUnitEnds(plan, Date.parse('2025-06-30T16:59:59Z'))).toEqual([]);
    const specs = expandPlan(plan, calendar, { planId: KEY });
    const duty = specs.find((s) => s.kind === 'monthly-report' && s.leadUnit === 'BTC-TU')!;
    const onDemand = `policy-proposal:${KEY}:III.4.0a1b2c3d:HU-CK`;
    const leads = new Map([[onDemand, 'HU-CK'], [`${duty.id}:2026-10`, 'BTC-TU']]);
    const list = handoversAtUnitEnds(plan, calendar, { planId: KEY, ends: ended, leads, asOf: '2026-11-27' });
    expect(list).toEqual(
      expect.arrayContaining([
        { id: duty.id, from: 'BTC-TU', to: 'BTC-TU-VL' },
        { id: onDemand, from: 'HU-CK', to: 'DU-X-CAUKE' },
        { id: `${duty.id}:2026-10`, from: 'BTC-TU', to: 'BTC-TU-VL' },
      ]),
    );
    expect(new Set(list.map((h) => h.id)).size).toBe(list.length);
    // One end as of its successor's first day is the scheduled end's list.
    expect(handoversAtUnitEnds(plan, calendar, { planId: KEY, ends: [{ unit: 'HU-CK', validTo: '2025-06-30' }], leads, asOf: '2025-07-01' })).toEqual(
      handoversAtUnitEnd(plan, calendar, { planId: KEY, unit: 'HU-CK', validTo: '2025-06-30', leads }),
    );
  });
});
