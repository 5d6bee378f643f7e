import { DateTime } from 'luxon';
import { addDays, type IsoDate } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { diffPlans } from './plan-amendment';
import type { PlanDefinition, UnitEnding } from './plan-definition.schema';
import { expandPlan } from './plan-expansion';
import { unitInForce } from './plan-references';

/**
 * A unit of a running plan that ends later (validTo still ahead): at `at` its open
 * assignments pass to its successor, without waiting for another amendment. Computed
 * here and given to the plan workflow as input, which only holds a timer to `at`.
 */
export interface ScheduledUnitEnd {
  unit: string;
  /** The unit's last day (inclusive), as the plan says. */
  validTo: IsoDate;
  /** Who takes over on the day after (the successor in force then, followed through). */
  successor: string;
  /** The instant the unit ends: the start of the day after validTo in the plan's time zone (ISO, UTC). */
  at: string;
  endedBy?: UnitEnding;
  successorAssumed?: boolean;
}

/** The instant a unit valid to `validTo` (inclusive) ends: 00:00 of the next day in `timeZone`. */
export function unitEndInstant(validTo: IsoDate, timeZone: string): string {
  return DateTime.fromISO(`${addDays(validTo, 1)}T00:00:00`, { zone: timeZone }).toUTC().toISO({ suppressMilliseconds: true })!;
}

/** The day the successor leads from (the date a hand-over is computed as of). */
export const handoverDate = (end: Pick<ScheduledUnitEnd, 'validTo'>): IsoDate => addDays(end.validTo, 1);

/** Every unit of the plan that ends and has someone to take over, soonest first. */
function unitEnds(plan: PlanDefinition): ScheduledUnitEnd[] {
  const units = new Map(plan.units.map((u) => [u.code, u]));
  const ends: ScheduledUnitEnd[] = [];
  for (const u of plan.units) {
    if (u.validTo === undefined) continue;
    const successor = unitInForce(u.code, handoverDate({ validTo: u.validTo }), { units });
    if (successor === undefined || successor === u.code) continue;
    ends.push({
      unit: u.code,
      validTo: u.validTo,
      successor,
      at: unitEndInstant(u.validTo, plan.plan.timeZone),
      ...(u.endedBy ? { endedBy: u.endedBy } : {}),
      ...(u.successorAssumed ? { successorAssumed: true } : {}),
    });
  }
  return ends.sort((a, b) => a.at.localeCompare(b.at) || a.unit.localeCompare(b.unit));
}

/**
 * The plan's units that end after `now` (epoch ms) and have someone to take over, soonest
 * first. A unit that ends with no successor is left out: nobody can take its work (the
 * amendment preview shows such assignments as orphaned).
 */
export function scheduledUnitEnds(plan: PlanDefinition, now: number): ScheduledUnitEnd[] {
  return unitEnds(plan).filter((e) => Date.parse(e.at) > now);
}

/** The plan's units that have ended by `now` (epoch ms) and have a successor: what an amendment applied now ends. */
export function passedUnitEnds(plan: PlanDefinition, now: number): ScheduledUnitEnd[] {
  return unitEnds(plan).filter((e) => Date.parse(e.at) <= now);
}

/**
 * What passes to the successor when `unit` ends (its last day `validTo`): the hand-overs an
 * amendment would show on the successor's first day (`diffPlans` on the definition in force,
 * against `leads`, the lead of each open assignment now), plus what that diff cannot see —
 * the unit's report duties (their periods open for the successor from then on) and the open
 * assignments not expanded from the definition (report periods, on-demand ones) it leads.
 */
export function handoversAtUnitEnd(
  plan: PlanDefinition,
  calendar: WorkingCalendar,
  options: { planId: string; unit: string; validTo: IsoDate; leads: ReadonlyMap<string, string> },
): { id: string; from: string; to: string }[] {
  return handoversAtUnitEnds(plan, calendar, { planId: options.planId, ends: [options], leads: options.leads, asOf: handoverDate(options) });
}

/**
 * The hand-overs of several unit ends as of `asOf`, each assignment once: a scheduled end
 * (one unit, as of its successor's first day) and an amendment applied after units ended
 * (every end passed, as of today: the successor in force then, followed through) use the
 * same list. The diff's hand-overs come first; a duty or open item of a unit that ended
 * passes to the unit in force on `asOf` after it.
 */
export function handoversAtUnitEnds(
  plan: PlanDefinition,
  calendar: WorkingCalendar,
  options: { planId: string; ends: readonly { unit: string; validTo: IsoDate }[]; leads: ReadonlyMap<string, string>; asOf: IsoDate },
): { id: string; from: string; to: string }[] {
  const { asOf, leads } = options;
  const units = new Map(plan.units.map((u) => [u.code, u]));
  const ending = options.ends
    .map((e) => ({ ...e, to: unitInForce(e.unit, asOf, { units }) }))
    .filter((e): e is { unit: string; validTo: IsoDate; to: string } => e.to !== undefined && e.to !== e.unit);
  if (ending.length === 0) return [];
  const endingUnits = new Map(ending.map((e) => [e.unit, e]));
  const diff = diffPlans(plan, plan, calendar, { planId: options.planId, asOf, leads });
  const out = diff.assignments.handedOver.filter((h) => endingUnits.has(h.from)).map(({ id, from, to }) => ({ id, from, to }));
  const taken = new Set(out.map((h) => h.id));
  const specs = expandPlan(plan, calendar, { planId: options.planId });
  for (const s of specs) {
    if (s.kind !== 'monthly-report' || taken.has(s.id)) continue;
    const end = ending.find((e) => unitInForce(s.leadUnit, e.validTo, { units }) === e.unit);
    if (!end) continue;
    out.push({ id: s.id, from: end.unit, to: end.to });
    taken.add(s.id);
  }
  const expanded = new Set(specs.map((s) => s.id));
  for (const [id, lead] of leads) {
    const end = endingUnits.get(lead);
    if (end && !expanded.has(id) && !taken.has(id)) out.push({ id, from: lead, to: end.to });
  }
  return out;
}
