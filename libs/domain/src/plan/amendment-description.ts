import type { IsoDate } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { onDemandOpenWindow } from './on-demand';
import { diffPlans, type Handover, type PlanAmendmentDiff, type WorkHandover } from './plan-amendment';
import type { PlanDefinition } from './plan-definition.schema';
import { ASSIGNMENT_KIND_TITLES, expandPlan } from './plan-expansion';
import { handoversAtUnitEnds, passedUnitEnds } from './unit-ends';

/**
 * What applying `next` to a running plan changes, as the Standing Office reads it before
 * confirming and as the plan workflow carries it out: the assignment diff (`diffPlans`),
 * plus what units that have ended by `now` hand to their successors and the plan file does
 * not list as assignments — their periodic duties and those duties' open periods, and the
 * on-demand assignments they opened (the list a scheduled unit end uses, `handoversAtUnitEnds`).
 */
export function describeAmendment(
  inForce: PlanDefinition,
  next: PlanDefinition,
  calendar: WorkingCalendar,
  options: {
    planId: string;
    /** Today (yyyy-mm-dd, plan time zone). */
    asOf: IsoDate;
    /** Lead unit of each open assignment now (the read model). */
    leads: ReadonlyMap<string, string>;
    /** The instant the amendment is described or applied (epoch ms): units ended by then hand over. */
    now: number;
  },
): PlanAmendmentDiff {
  const diff = diffPlans(inForce, next, calendar, options);
  const duties: WorkHandover[] = [];
  const onDemand: WorkHandover[] = [];
  const ended = passedUnitEnds(next, options.now);
  if (ended.length > 0) {
    const listed = new Set([...diff.assignments.handedOver, ...diff.assignments.removed].map((a) => a.id));
    const specs = new Map(expandPlan(next, calendar, { planId: options.planId }).map((s) => [s.id, s]));
    const dutySpecs = [...specs.values()].filter((s) => s.kind === 'monthly-report');
    const units = new Map(next.units.map((u) => [u.code, u]));
    const atEnds = handoversAtUnitEnds(next, calendar, { planId: options.planId, ends: ended, leads: options.leads, asOf: options.asOf });
    for (const { id, from, to } of atEnds) {
      if (listed.has(id)) continue;
      const unit = units.get(from);
      const move = { from, to, leadUnit: from, ...(unit?.endedBy ? { endedBy: unit.endedBy } : {}), ...(unit?.successorAssumed ? { successorAssumed: true } : {}) };
      const spec = specs.get(id);
      if (spec && spec.kind !== 'monthly-report') {
        // An assignment of the plan file the diff did not see move (its lead already changed in the read model).
        diff.assignments.handedOver.push({ id, obligationId: spec.obligationId ?? '', kind: spec.kind, taskCodes: [...spec.taskCodes], title: spec.title, ...move } satisfies Handover);
        continue;
      }
      const duty = spec ?? dutySpecs.find((d) => id.startsWith(`${d.id}:`));
      if (duty) {
        duties.push({
          id,
          obligationId: duty.obligationId ?? '',
          kind: duty.kind,
          taskCodes: [...duty.taskCodes],
          title: duty.title,
          ...move,
          ...(spec ? {} : { period: id.slice(duty.id.length + 1) }),
        });
        continue;
      }
      // On-demand ids are `<kind>:<plan>:<obligation>.<suffix>:<unit>` (libs/domain `openOnDemand`).
      const o = next.obligations.find((x) => x.onDemand && id.startsWith(`${x.kind}:${options.planId}:${x.id}.`));
      onDemand.push({
        id,
        obligationId: o?.id ?? '',
        kind: o?.kind ?? (id.split(':')[0] as WorkHandover['kind']),
        taskCodes: o ? [...o.tasks] : [],
        title: o ? (o.title ?? ASSIGNMENT_KIND_TITLES[o.kind]) : id,
        ...move,
      });
    }
  }
  const assignments = { ...diff.assignments, dutiesHandedOver: duties, onDemandHandedOver: onDemand };
  // An on-demand obligation added or removed, or the horizon moved, changes what the running plan takes.
  const windowChanges = JSON.stringify(onDemandOpenWindow(inForce, options.now) ?? null) !== JSON.stringify(onDemandOpenWindow(next, options.now) ?? null);
  return { ...diff, assignments, empty: diff.empty && !windowChanges && assignments.handedOver.length + duties.length + onDemand.length === 0 };
}

/** Every hand-over an amendment makes (assignments, duties and their periods, on-demand ones), each id once: what the plan workflow signals. */
export function amendmentHandovers(diff: PlanAmendmentDiff): { id: string; from: string; to: string }[] {
  const out = new Map<string, { id: string; from: string; to: string }>();
  // (Diffs stored before reorganisations existed have no hand-over lists.)
  for (const h of [...(diff.assignments.handedOver ?? []), ...(diff.assignments.dutiesHandedOver ?? []), ...(diff.assignments.onDemandHandedOver ?? [])]) {
    if (!out.has(h.id)) out.set(h.id, { id: h.id, from: h.from, to: h.to });
  }
  return [...out.values()];
}
