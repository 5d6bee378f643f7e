import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkingCalendar, expandPlan, parsePlanDefinition, type PlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';

export const SEED_TEXT = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/tra-vinh-2020.plan.yaml'), 'utf8');

/** The seed plan under a code of the test's own (tests share one database), and what it expands to. */
export function ownSeedPlan(prefix: string): { text: string; plan: PlanDefinition; specsFor(planKey: string): AssignmentSpec[] } {
  const code = `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const text = SEED_TEXT.replace(/^(\s+)code: TV-BTV-2020-NVTT-NVDP$/m, `$1code: ${code}`);
  const parsed = parsePlanDefinition(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { text, plan: parsed.plan, specsFor: (planKey) => expandPlan(parsed.plan, createWorkingCalendar(), { planId: planKey }) };
}
