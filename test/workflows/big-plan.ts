import { createWorkingCalendar, expandPlan, parsePlanDefinition, type PlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { ownSeedPlan } from '../support/seed-plan';

/**
 * The seed plan with `extraUnits` more district committees (a group of their own), all leading a III.3
 * concretisation plan, whose deadline is moved to 2099 so the thousands of workflows
 * it starts sit waiting (no timers firing during a test).
 */
export function bigSeedPlan(prefix: string, extraUnits: number): { text: string; plan: PlanDefinition; specs: AssignmentSpec[] } {
  const { text: seed } = ownSeedPlan(prefix);
  const codes = Array.from({ length: extraUnits }, (_, i) => `XA-${String(i).padStart(5, '0')}`);
  const units = codes.map((code) => `  - code: ${code}\n    name: Đảng ủy ${code}\n    shortName: ${code}\n    kind: district-party-committee\n    parent: BCH-TU\n`).join('');
  let text = seed.replace(/^units:\n/m, `units:\n${units}`);
  text = text.replace(/^unitGroups:\n/m, `unitGroups:\n  - code: XA-TEST\n    name: Các đảng ủy thêm cho kiểm thử\n    members: [${codes.join(', ')}]\n`);
  text = text.replace(/(- id: III\.3\n(?:.*\n)*?\s+lead: \[HUYEN-UY, DU-TRUC-THUOC, SO-BAN-NGANH)\]/, '$1, XA-TEST]');
  text = text.replace(/(- id: III\.3\n(?:.*\n)*?\s+deadline: )cuối tháng 02\/2020/, '$1cuối tháng 02/2099');
  const parsed = parsePlanDefinition(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 5)));
  return { text, plan: parsed.plan, specs: expandPlan(parsed.plan, createWorkingCalendar(), { planId: `${parsed.plan.plan.code}@v1` }) };
}
