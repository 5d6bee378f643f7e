import type { PlanDefinition } from './plan-definition.schema';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/** JSON with object keys sorted at every depth and no insignificant whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/**
 * The identity of a plan version: the validated plan (defaults applied) as canonical JSON.
 * Comments, key order and YAML style do not change it; any change of content does, so the
 * API can hash it to make imports idempotent and give a changed file a new version.
 */
export function canonicalPlanJson(plan: PlanDefinition): string {
  return canonicalJson(plan);
}
