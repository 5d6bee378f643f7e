import type { AssignmentKind, AssignmentSpec } from '../assignment/assignment-spec';
import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { deadlineFromNominal } from '../deadline/deadline-expression';
import { buildEscalationSchedule } from '../escalation/escalation-policy';
import type { PlanDefinition } from './plan-definition.schema';
import { ASSIGNMENT_KIND_TITLES, approvalChainOf, policyOf } from './plan-expansion';
import { parsePlanHorizon } from './plan-horizon';
import { assignmentId, expandUnitRefs, type UnitIndex } from './plan-references';
import { unitEndInstant } from './unit-ends';

/**
 * An obligation available to a set of units (khi cần thiết, III.4): nothing runs at launch;
 * a unit opens an assignment of it when it needs one.
 */
export interface AvailableObligation {
  obligationId: string;
  section: string;
  kind: AssignmentKind;
  title: string;
  /** The units that may open one (the lead units, groups expanded). */
  units: string[];
  taskCodes: string[];
  submitTo?: string;
  text: string;
}

export function availableObligations(plan: PlanDefinition): AvailableObligation[] {
  const index: UnitIndex = { units: new Map(plan.units.map((u) => [u.code, u])), groups: new Map(plan.unitGroups.map((g) => [g.code, g.members])) };
  return plan.obligations
    .filter((o) => o.onDemand)
    .map((o) => ({
      obligationId: o.id,
      section: o.section,
      kind: o.kind,
      title: o.title ?? ASSIGNMENT_KIND_TITLES[o.kind],
      units: expandUnitRefs(typeof o.lead === 'string' ? [o.lead] : o.lead, index),
      taskCodes: [...o.tasks],
      ...(o.submitTo !== undefined ? { submitTo: o.submitTo } : {}),
      text: o.text,
    }));
}

/**
 * How long a launched plan takes on-demand openings: its available obligations stand while it
 * runs, so it stays open after its imposed work is done — until the Standing Office closes it,
 * or its horizon ends (`until`: 00:00 of the day after `plan.horizon`'s last day, in the plan's
 * zone; none when the plan declares no horizon). Undefined when it has no such obligation, or
 * its horizon has already ended by `now` (epoch ms): then it finishes with its imposed work.
 */
export function onDemandOpenWindow(plan: PlanDefinition, now: number): { until?: string } | undefined {
  if (!plan.obligations.some((o) => o.onDemand)) return undefined;
  if (plan.plan.horizon === undefined) return {};
  const horizon = parsePlanHorizon(plan.plan.horizon);
  // The parser refuses a horizon it cannot read; a stored one always reads.
  if (!horizon.ok) return {};
  const until = unitEndInstant(horizon.horizon.to, plan.plan.timeZone);
  return Date.parse(until) > now ? { until } : undefined;
}

export interface OpenOnDemandRequest {
  /** The plan version's key (`<code>@v<n>`), as launched specs carry it. */
  planId: string;
  obligationId: string;
  unit: string;
  /** What the unit proposes, in a line: becomes the assignment's title. */
  subject: string;
  /** The unit's own target date (yyyy-mm-dd): reminders before it, no escalation after it. */
  targetDate: IsoDate;
  /** Today in the plan's zone: the target may not be earlier. */
  today: IsoDate;
  /** Makes the id unique among the unit's openings of this obligation (e.g. a few random characters). */
  suffix: string;
}

/** Why an opening is refused: the field and the reason, in Vietnamese and English. */
export interface OnDemandRefusal {
  code: 'NOT_FOUND' | 'NOT_AVAILABLE_TO_UNIT' | 'INVALID';
  field: string;
  reason: string;
}

/**
 * The assignment a unit opens from an available obligation: its own target date as the
 * deadline, the obligation's reminders before it and none of its escalations (nothing is
 * imposed), its approval chain when it has one. Id `<kind>:<plan>:<obligation>.<suffix>:<unit>`.
 */
export function openOnDemand(plan: PlanDefinition, calendar: WorkingCalendar, request: OpenOnDemandRequest): { ok: true; spec: AssignmentSpec } | { ok: false; refusal: OnDemandRefusal } {
  const o = plan.obligations.find((x) => x.id === request.obligationId && x.onDemand);
  if (!o) return refuse('NOT_FOUND', 'obligationId', `kế hoạch không có nghĩa vụ "${request.obligationId}" để đơn vị tự mở / the plan has no on-demand obligation "${request.obligationId}"`);
  const available = availableObligations({ ...plan, obligations: [o] })[0];
  if (!available.units.includes(request.unit)) {
    return refuse('NOT_AVAILABLE_TO_UNIT', 'unit', `đơn vị ${request.unit} không thuộc các đơn vị của mục ${o.section} / unit ${request.unit} is not one of the units of ${o.section}`);
  }
  const subject = request.subject.trim();
  if (subject.length < 3 || subject.length > 500) return refuse('INVALID', 'subject', 'nội dung đề xuất từ 3 đến 500 ký tự / the subject has 3 to 500 characters');
  if (!isIsoDate(request.targetDate)) return refuse('INVALID', 'targetDate', `"${request.targetDate}" không phải ngày (yyyy-mm-dd) / is not a date (yyyy-mm-dd)`);
  if (request.targetDate < request.today) return refuse('INVALID', 'targetDate', `ngày dự kiến ${request.targetDate} đã qua / the target date ${request.targetDate} has passed`);

  const named = plan.escalationPolicies.find((p) => p.code === o.escalation);
  const policy = named ? policyOf(named) : undefined;
  const deadline = deadlineFromNominal(request.targetDate, calendar, plan.plan.timeZone);
  const approvalChain = approvalChainOf(o, new Map(plan.approvalChains.map((c) => [c.code, c])), {
    policies: new Map(plan.escalationPolicies.map((p) => [p.code, p])),
    timeZone: plan.plan.timeZone,
    unitHead: { review: plan.unitHeadReview, leadUnit: request.unit },
  });
  const unit = plan.units.find((u) => u.code === request.unit);
  return {
    ok: true,
    spec: {
      id: assignmentId(o.kind, request.planId, `${o.id}.${request.suffix}`, request.unit),
      kind: o.kind,
      planId: request.planId,
      planNumber: plan.plan.number,
      taskCodes: [...o.tasks],
      title: `${available.title}: ${subject} — ${unit?.shortName ?? unit?.name ?? request.unit}`,
      leadUnit: request.unit,
      coordinatingUnits: [],
      deadline,
      // The unit's own date: reminders to it, no escalation to anyone.
      schedule: policy ? buildEscalationSchedule(policy, deadline, calendar).filter((e) => e.type === 'reminder') : [],
      ...(approvalChain ? { approvalChain } : {}),
      noticeUnits: { standingOffice: plan.plan.standingOffice, standingCommittee: plan.plan.standingCommittee },
      obligationId: o.id,
      section: o.section,
      ...(o.submitTo !== undefined ? { submitTo: o.submitTo } : {}),
      timeZone: plan.plan.timeZone,
    },
  };
}

const refuse = (code: OnDemandRefusal['code'], field: string, reason: string) => ({ ok: false as const, refusal: { code, field, reason } });
