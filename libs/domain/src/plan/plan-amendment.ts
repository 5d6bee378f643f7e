import type { AssignmentSpec, Deadline } from '../assignment/assignment-spec';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { canonicalJson } from './canonical-plan-json';
import type { PlanDefinition, UnitEnding } from './plan-definition.schema';
import { expandPlan } from './plan-expansion';
import { unitInForce } from './plan-references';

/** One assignment named in an amendment, as people read it. */
export interface AmendedAssignment {
  id: string;
  obligationId: string;
  kind: AssignmentSpec['kind'];
  leadUnit: string;
  taskCodes: string[];
  title: string;
}

export interface AmendedDeadline extends AmendedAssignment {
  from: Deadline;
  to: Deadline;
}

/** An open assignment whose lead unit has ended: it passes to `to` (the successor in force). */
export interface Handover extends AmendedAssignment {
  from: string;
  to: string;
  /** How the lead unit ended (merged, renamed, abolished), when the plan says. */
  endedBy?: UnitEnding;
  successorAssumed?: boolean;
}

/**
 * A hand-over the plan file cannot list as an assignment: a periodic duty, one of its report
 * periods (`period`: its key, e.g. 2026-10), or an on-demand assignment a unit opened. `title` is the
 * duty's or the obligation's; `leadUnit` is `from`.
 */
export interface WorkHandover extends Handover {
  period?: string;
}

/**
 * What an amendment (a new version of a running plan) changes: obligations, units and
 * the assignments they set in motion. Assignment ids are computed under the running
 * plan's key, so the same obligation and unit keep their workflow across versions.
 */
export interface PlanAmendmentDiff {
  obligations: { added: string[]; removed: string[]; changed: string[] };
  units: { added: string[]; removed: string[]; changed: string[] };
  assignments: {
    added: AmendedAssignment[];
    removed: AmendedAssignment[];
    deadlineChanged: AmendedDeadline[];
    /** Lead unit ended (validTo before `asOf`) with a successor: the assignment passes to it. */
    handedOver: Handover[];
    /**
     * Lead unit ended with no successor: nobody can take the assignment over. Shown as a
     * warning; applying leaves it with its old unit until a version names a successor.
     */
    orphaned: AmendedAssignment[];
    /**
     * Units that have ended by the time the amendment applies (`describeAmendment`): their
     * periodic duties (the periods from now on are the successor's) and the duties' open
     * periods pass to the successor. Absent from a bare `diffPlans` and from diffs stored before.
     */
    dutiesHandedOver?: WorkHandover[];
    /** Likewise, the on-demand assignments (khi cần thiết) the ended units opened and that are still open. */
    onDemandHandedOver?: WorkHandover[];
  };
  /** True when nothing a running plan carries changes (e.g. only the title was corrected). */
  empty: boolean;
}

export class PlanAmendmentError extends Error {
  override readonly name = 'PlanAmendmentError';
}

const summary = (s: AssignmentSpec): AmendedAssignment => ({
  id: s.id,
  obligationId: s.obligationId ?? '',
  kind: s.kind,
  leadUnit: s.leadUnit,
  taskCodes: [...s.taskCodes],
  title: s.title,
});

function byCode<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

/** Codes present only in `after`, only in `before`, and present in both with other content. */
function compare<T>(before: Map<string, T>, after: Map<string, T>) {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.keys()].filter((k) => before.has(k) && canonicalJson(before.get(k)) !== canonicalJson(after.get(k)));
  return { added, removed, changed };
}

/**
 * The difference between the definition in force for a running plan and a new version
 * of it. Pure: both are expanded with the running plan's key (`planId`), so an
 * assignment that both versions set in motion has the same id in both.
 *
 * A periodic duty (monthly-report) whose rhythm changes shows as a changed obligation
 * but not as a deadline change: its periods compute their own deadlines.
 */
export function diffPlans(
  inForce: PlanDefinition,
  next: PlanDefinition,
  calendar: WorkingCalendar,
  options: {
    planId: string;
    /** Today (yyyy-mm-dd, plan time zone): units that ended before it hand over. */
    asOf: string;
    /** Lead unit of each open assignment now (the read model), when known. */
    leads?: ReadonlyMap<string, string>;
  },
): PlanAmendmentDiff {
  if (inForce.plan.code !== next.plan.code) {
    throw new PlanAmendmentError(`plan ${next.plan.code} is not a version of plan ${inForce.plan.code}`);
  }
  const expandOptions = { planId: options.planId };
  const before = byCode(expandPlan(inForce, calendar, expandOptions), (s) => s.id);
  const after = byCode(expandPlan(next, calendar, expandOptions), (s) => s.id);

  const added = [...after.values()].filter((s) => !before.has(s.id)).map(summary);
  const removed = [...before.values()].filter((s) => !after.has(s.id)).map(summary);
  const deadlineChanged: AmendedDeadline[] = [];
  for (const s of after.values()) {
    const old = before.get(s.id);
    if (!old || s.kind === 'monthly-report') continue;
    if (old.deadline.nominal !== s.deadline.nominal || old.deadline.dueAt !== s.deadline.dueAt) {
      deadlineChanged.push({ ...summary(s), from: { ...old.deadline }, to: { ...s.deadline } });
    }
  }

  // Reorganisation: who should lead each assignment that stays, on `asOf`, against who
  // leads it now: the read model's lead of each open assignment when the caller knows it
  // (`leads`), else who the definition in force makes lead (it was applied already).
  const unitsBefore = { units: byCode(inForce.units, (u) => u.code) };
  const unitsAfter = byCode(next.units, (u) => u.code);
  const handedOver: Handover[] = [];
  const orphaned: AmendedAssignment[] = [];
  for (const s of after.values()) {
    if (!before.has(s.id)) continue;
    const current = options.leads ? options.leads.get(s.id) : unitInForce(s.leadUnit, options.asOf, unitsBefore);
    if (options.leads && current === undefined) continue;
    const target = unitInForce(s.leadUnit, options.asOf, { units: unitsAfter });
    if (target === current) continue;
    if (target === undefined) {
      orphaned.push(summary(s));
      continue;
    }
    const ended = unitsAfter.get(current ?? s.leadUnit);
    handedOver.push({
      ...summary(s),
      from: current ?? s.leadUnit,
      to: target,
      ...(ended?.endedBy ? { endedBy: ended.endedBy } : {}),
      ...(ended?.successorAssumed ? { successorAssumed: true } : {}),
    });
  }

  const obligations = compare(byCode(inForce.obligations, (o) => o.id), byCode(next.obligations, (o) => o.id));
  const units = compare(unitsBefore.units, unitsAfter);
  return {
    obligations,
    units,
    assignments: { added, removed, deadlineChanged, handedOver, orphaned },
    empty: added.length + removed.length + deadlineChanged.length + handedOver.length === 0,
  };
}

/** Which assignments of a plan a (partial) launch means: by id, lead unit or task; all when none is given. */
export interface LaunchSelection {
  assignments?: readonly string[];
  units?: readonly string[];
  tasks?: readonly string[];
}

/**
 * The specs a selection picks, in plan order, and the codes in it the plan does not
 * know (field, code), so a caller can refuse them. Criteria combine: an assignment is
 * picked when it matches every criterion given (units and tasks: any of the codes).
 */
export function selectAssignments<T extends Pick<AssignmentSpec, 'id' | 'leadUnit' | 'taskCodes'>>(
  specs: readonly T[],
  selection: LaunchSelection,
): { picked: T[]; unknown: { field: 'assignments' | 'units' | 'tasks'; code: string }[] } {
  const unknown: { field: 'assignments' | 'units' | 'tasks'; code: string }[] = [];
  const check = (field: 'assignments' | 'units' | 'tasks', codes: readonly string[] | undefined, known: Set<string>) => {
    for (const code of codes ?? []) if (!known.has(code)) unknown.push({ field, code });
  };
  check('assignments', selection.assignments, new Set(specs.map((s) => s.id)));
  check('units', selection.units, new Set(specs.map((s) => s.leadUnit)));
  check('tasks', selection.tasks, new Set(specs.flatMap((s) => s.taskCodes)));
  const ids = selection.assignments && new Set(selection.assignments);
  const units = selection.units && new Set(selection.units);
  const tasks = selection.tasks && new Set(selection.tasks);
  const picked = specs.filter(
    (s) => (!ids || ids.has(s.id)) && (!units || units.has(s.leadUnit)) && (!tasks || s.taskCodes.some((t) => tasks.has(t))),
  );
  return { picked, unknown };
}
