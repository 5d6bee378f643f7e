import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { parsePlanDefinition, validatePlanDefinition } from './plan-definition-parser';
import { diffPlans } from './plan-amendment';
import { unitInForce } from './plan-references';
import { applyReorganisation, parseReorganisation, reorganisationJsonSchema } from './reorganisation';

const plans = join(__dirname, '..', '..', 'plans');
const seedParsed = parsePlanDefinition(readFileSync(join(plans, 'tra-vinh-2020.plan.yaml'), 'utf8'));
if (!seedParsed.ok) throw new Error(JSON.stringify(seedParsed.errors));
const seed = seedParsed.plan;
const reorgText = readFileSync(join(plans, 'reorganisations', 'tra-vinh-2025.reorg.yaml'), 'utf8');
const KEY = 'TV-BTV-2020-NVTT-NVDP@v1';

function reorganised() {
  const parsed = parseReorganisation(reorgText);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const applied = applyReorganisation(seed, parsed.reorganisation);
  if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
  return applied.plan;
}

describe('the 2025 reorganisation of Trà Vinh, as data', () => {
  it('ends every unit of the seed plan on 30/06/2025 and names a successor in force from 01/07/2025', () => {
    const plan = reorganised();
    const index = { units: new Map(plan.units.map((u) => [u.code, u])) };
    for (const u of seed.units) {
      const now = plan.units.find((x) => x.code === u.code)!;
      expect(now.validTo, u.code).toBe('2025-06-30');
      expect(unitInForce(u.code, '2025-06-30', index)).toBe(u.code);
      const successor = unitInForce(u.code, '2025-07-01', index);
      expect(successor, u.code).toBeDefined();
      expect(index.units.get(successor!)!.validFrom).toBe('2025-07-01');
    }
    expect(plan.units.find((u) => u.code === 'HU-CK')).toMatchObject({ endedBy: 'abolished', successor: 'DU-X-CAUKE', successorAssumed: true });
    expect(plan.units.find((u) => u.code === 'BTC-TU')).toMatchObject({ endedBy: 'merged', successor: 'BTC-TU-VL' });
    expect(plan.units.find((u) => u.code === 'BTC-TU')!.successorAssumed).toBeUndefined();
  });

  it('hands over, in an amendment applied after 01/07/2025, every assignment that stays, and nothing before', () => {
    const calendar = createWorkingCalendar();
    const plan = reorganised();
    const before = diffPlans(seed, plan, calendar, { planId: KEY, asOf: '2025-06-30' });
    expect(before.assignments.handedOver).toEqual([]);
    expect(before.units.changed.length).toBe(seed.units.length);

    const after = diffPlans(seed, plan, calendar, { planId: KEY, asOf: '2025-07-01' });
    expect(after.assignments.added).toEqual([]);
    expect(after.assignments.removed).toEqual([]);
    expect(after.assignments.orphaned).toEqual([]);
    const cauKe = after.assignments.handedOver.filter((h) => h.from === 'HU-CK');
    expect(cauKe.map((h) => [h.id, h.to, h.endedBy])).toEqual([
      // III.4 (policy proposals) is opened by a unit when needed, so the seed imposes none to hand over.
      [`concretisation:${KEY}:-:HU-CK`, 'DU-X-CAUKE', 'abolished'],
    ]);
    // Applying the same reorganisation again hands nothing over twice.
    expect(diffPlans(plan, plan, calendar, { planId: KEY, asOf: '2025-07-01' }).assignments.handedOver).toEqual([]);
  });

  it('names as orphaned, not handed over, what a unit ending with no successor leads', () => {
    // The seed ends the district level on 30/06/2025 and names no successor.
    const leads = new Map([[`concretisation:${KEY}:-:HU-CK`, 'HU-CK'], [`review:${KEY}:-:BTC-TU`, 'BTC-TU']]);
    const diff = diffPlans(seed, seed, createWorkingCalendar(), { planId: KEY, asOf: '2025-07-01', leads });
    expect(diff.assignments.orphaned.map((a) => a.id)).toEqual([`concretisation:${KEY}:-:HU-CK`]);
    expect(diff.assignments.handedOver).toEqual([]);
    expect(diff.empty).toBe(true);
  });

  it('hands over from the lead an open assignment has now, and not again once it has the successor', () => {
    const plan = reorganised();
    const calendar = createWorkingCalendar();
    const id = `concretisation:${KEY}:-:HU-CK`;
    const first = diffPlans(seed, plan, calendar, { planId: KEY, asOf: '2025-07-01', leads: new Map([[id, 'HU-CK']]) });
    expect(first.assignments.handedOver.map((h) => [h.id, h.from, h.to])).toEqual([[id, 'HU-CK', 'DU-X-CAUKE']]);
    const again = diffPlans(plan, plan, calendar, { planId: KEY, asOf: '2025-07-01', leads: new Map([[id, 'DU-X-CAUKE']]) });
    expect(again.assignments.handedOver).toEqual([]);
  });

  it('refuses a successor that is unknown, the unit itself, a cycle, or a unit with no last day', () => {
    const plan = structuredClone(seed) as unknown as { units: Record<string, unknown>[] };
    const unit = (code: string) => plan.units.find((u) => u['code'] === code)!;
    Object.assign(unit('HU-CL'), { successor: 'NO-SUCH' });
    Object.assign(unit('HU-CK'), { successor: 'HU-CK' });
    Object.assign(unit('HU-TC'), { successor: 'HU-CT' });
    Object.assign(unit('HU-CT'), { successor: 'HU-TC' });
    Object.assign(unit('SO-NV'), { endedBy: 'abolished' });
    const result = validatePlanDefinition(plan);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/successor: unknown unit "NO-SUCH"/),
        expect.stringMatching(/successor: a unit cannot succeed itself/),
        expect.stringMatching(/successor: cycle of successors: HU-TC → HU-CT → HU-TC/),
        expect.stringMatching(/endedBy: a unit that ends needs validTo/),
      ]),
    );
  });

  it('answers a broken reorganisation file with its problems', () => {
    const result = parseReorganisation('formatVersion: 1\ncode: X\ntitle: t\nchanges:\n  - unit: A\n    validTo: 2025-13-01\n    endedBy: vanished\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['changes.0.validTo', 'changes.0.endedBy']));
  });

  it('publishes its JSON Schema as the committed reorganisation.schema.json', () => {
    const file = join(plans, 'reorganisation.schema.json');
    if (process.env['UPDATE_PLAN_SCHEMA']) writeFileSync(file, `${JSON.stringify(reorganisationJsonSchema, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(reorganisationJsonSchema);
  });
});
