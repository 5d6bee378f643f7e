import { parse } from 'yaml';
import { z } from 'zod';
import { UNIT_ENDINGS, UnitSchema, type PlanDefinition, type PlanUnit } from './plan-definition.schema';
import { validatePlanDefinition, type PlanProblem } from './plan-definition-parser';

/**
 * A reorganisation (sắp xếp tổ chức bộ máy) as data: the units that come into being and
 * what happens to existing ones (their last day, how they end, who takes over). It is
 * written once per reorganisation and applied to any plan that names those units,
 * giving the plan's next version (an amendment that hands open assignments over).
 */
export const ReorganisationSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(1),
  code: UnitSchema.shape.code.describe('Mã đợt sắp xếp / reorganisation code'),
  title: z.string().trim().min(1).describe('Tên / title'),
  basis: z.array(z.string().trim().min(1)).default([]).describe('Căn cứ / documents it rests on'),
  units: z.array(UnitSchema).default([]).describe('Đơn vị mới / units that come into being (same keys as a plan unit)'),
  changes: z
    .array(
      z.strictObject({
        unit: UnitSchema.shape.code.describe('Đơn vị / existing unit code'),
        validTo: UnitSchema.shape.validTo.unwrap(),
        endedBy: z.enum(UNIT_ENDINGS),
        successor: UnitSchema.shape.successor,
        successorAssumed: UnitSchema.shape.successorAssumed,
      }),
    )
    .min(1),
});
export type Reorganisation = z.output<typeof ReorganisationSchema>;

export type ReorganisationParseResult = { ok: true; reorganisation: Reorganisation } | { ok: false; errors: PlanProblem[] };

export function parseReorganisation(text: string): ReorganisationParseResult {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: `YAML syntax error: ${(err as Error).message}` }] };
  }
  const result = ReorganisationSchema.safeParse(raw);
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  return { ok: true, reorganisation: result.data };
}

/**
 * The plan with a reorganisation written in: each unit the plan names that the
 * reorganisation ends gets its last day, how it ended and its successor, and the
 * successors (followed through) are added as units. Units the plan does not name are
 * left out. The result is validated as any plan file is.
 */
export function applyReorganisation(plan: PlanDefinition, reorganisation: Reorganisation): { ok: true; plan: PlanDefinition } | { ok: false; errors: PlanProblem[] } {
  const changes = new Map(reorganisation.changes.map((c) => [c.unit, c]));
  const newUnits = new Map(reorganisation.units.map((u) => [u.code, u]));
  const units: PlanUnit[] = plan.units.map((u) => {
    const change = changes.get(u.code);
    if (!change) return { ...u };
    return {
      ...u,
      validTo: change.validTo,
      endedBy: change.endedBy,
      ...(change.successor !== undefined ? { successor: change.successor } : {}),
      ...(change.successorAssumed !== undefined ? { successorAssumed: change.successorAssumed } : {}),
    };
  });
  // Bring in each successor, its own successor and parents, as far as the reorganisation names them.
  const present = new Set(units.map((u) => u.code));
  const wanted = units.flatMap((u) => (u.successor ? [u.successor] : []));
  while (wanted.length) {
    const code = wanted.pop()!;
    if (present.has(code)) continue;
    const unit = newUnits.get(code);
    if (!unit) continue;
    present.add(code);
    const change = changes.get(code);
    units.push(change ? { ...unit, validTo: change.validTo, endedBy: change.endedBy, ...(change.successor ? { successor: change.successor } : {}) } : { ...unit });
    if (unit.parent) wanted.push(unit.parent);
    if (change?.successor) wanted.push(change.successor);
  }
  const validated = validatePlanDefinition({ ...plan, units });
  return validated.ok ? { ok: true, plan: validated.plan } : { ok: false, errors: validated.errors };
}

/** JSON Schema of a reorganisation file; a committed copy lives at libs/domain/plans/reorganisation.schema.json. */
export const reorganisationJsonSchema: Record<string, unknown> = z.toJSONSchema(
  ReorganisationSchema.meta({
    $id: 'https://dieu-hanh.local/schemas/reorganisation.schema.json',
    title: 'Điều hành reorganisation',
    description: 'Sắp xếp tổ chức / units that come into being and units that end, with successors. See docs/plan-format.md.',
  }),
  { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' },
) as Record<string, unknown>;
