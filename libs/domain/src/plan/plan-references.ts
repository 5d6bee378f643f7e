import { parseReportRhythm } from '../deadline/deadline-expression';

/**
 * Resolution of unit and group references shared by validation and expansion, written
 * against loosely typed input so validation can run on a file that is not yet well formed.
 */

export interface UnitIndex {
  units: Map<string, { parent?: string; validFrom?: string; validTo?: string; successor?: string }>;
  groups: Map<string, string[]>;
}

/** Expands unit and group codes to unit codes, in order, without duplicates. Unknown codes are skipped. */
export function expandUnitRefs(refs: readonly string[], index: UnitIndex): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visiting = new Set<string>();
  const visit = (ref: string) => {
    if (index.units.has(ref)) {
      if (!seen.has(ref)) {
        seen.add(ref);
        out.push(ref);
      }
      return;
    }
    const members = index.groups.get(ref);
    if (!members || visiting.has(ref)) return;
    visiting.add(ref);
    members.forEach(visit);
    visiting.delete(ref);
  };
  refs.forEach(visit);
  return out;
}

/** The business key of an assignment: `<kind>:<plan key>:<task or '-'>:<unit>`. */
export function assignmentId(kind: string, planKey: string, task: string | undefined, unit: string): string {
  return `${kind}:${planKey}:${task ?? '-'}:${unit}`;
}

/** The plan part of business keys: the official number, or the code while the number is assumed. */
export function planKey(plan: { code: string; number: string; numberAssumed?: boolean }): string {
  return plan.numberAssumed ? plan.code : plan.number;
}

/** Whether an obligation yields one assignment per task (drafting does by default). */
export function isPerTask(obligation: { kind: string; perTask?: boolean }): boolean {
  return obligation.perTask ?? obligation.kind === 'drafting';
}

/**
 * The unit that leads in place of `unit` on `date` (yyyy-mm-dd): itself while it exists,
 * else its successor (followed through later reorganisations), else undefined when it
 * ended with no successor. Cycles (refused at import) end the walk.
 */
export function unitInForce(unit: string, date: string, index: Pick<UnitIndex, 'units'>): string | undefined {
  const seen = new Set<string>();
  let current: string | undefined = unit;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const u = index.units.get(current);
    if (!u || u.validTo === undefined || u.validTo >= date) return current;
    current = u.successor;
  }
  return undefined;
}

/**
 * The task part of a periodic duty's id. Duties with a first-format monthly rhythm keep `-`
 * (their ids predate this, and running plans know them); every other rhythm puts the
 * obligation id there, so one unit can hold a monthly, a quarterly and a yearly duty of
 * one plan without their ids colliding.
 */
export function reportDutySlot(obligation: { id?: unknown; kind?: unknown; report?: unknown }): string | undefined {
  if (obligation.kind !== 'monthly-report' || typeof obligation.id !== 'string') return undefined;
  const rhythm = (obligation.report as { rhythm?: unknown } | undefined)?.rhythm;
  if (typeof rhythm !== 'string') return undefined;
  const parsed = parseReportRhythm(rhythm);
  return parsed.ok && parsed.rhythm.kind === 'periodic' ? obligation.id : undefined;
}
