/**
 * Resolution of unit and group references shared by validation and expansion, written
 * against loosely typed input so validation can run on a file that is not yet well formed.
 */

export interface UnitIndex {
  units: Map<string, { parent?: string; validFrom?: string; validTo?: string }>;
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
