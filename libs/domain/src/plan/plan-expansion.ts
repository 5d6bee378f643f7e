import type { ApprovalStepSpec, AssignmentKind, AssignmentSpec } from '../assignment/assignment-spec';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { parseReportRhythm, resolveDeadline } from '../deadline/deadline-expression';
import { periodUnitName } from '../deadline/report-rhythm';
import { buildEscalationSchedule } from '../escalation/escalation-policy';
import type { EscalationPolicy } from '../escalation/escalation-policy.schema';
import type { ApprovalChain, NamedEscalationPolicy, PlanDefinition, PlanObligation, PlanTask, UnitHeadReview } from './plan-definition.schema';
import { assignmentId, expandUnitRefs, isPerTask, planKey, reportDutySlot, type UnitIndex } from './plan-references';
import { parsePlanHorizon } from './plan-horizon';
import { lastReportPeriod, reportPeriod, rhythmUnit } from './report-period';
import { waitLimitOf } from '../escalation/wait-deadline';

export class PlanExpansionError extends Error {
  override readonly name = 'PlanExpansionError';
}

/** Default Vietnamese titles per assignment kind, used when an obligation has no `title`. */
export const ASSIGNMENT_KIND_TITLES: Readonly<Record<AssignmentKind, string>> = {
  drafting: 'Tham mưu xây dựng kế hoạch chi tiết',
  approval: 'Phê duyệt',
  concretisation: 'Xây dựng kế hoạch cụ thể hóa',
  review: 'Rà soát, đánh giá kết quả thực hiện',
  'policy-proposal': 'Rà soát, đề xuất cơ chế, chính sách',
  propaganda: 'Tuyên truyền, vận động thực hiện kế hoạch',
  'monthly-report': 'Báo cáo định kỳ hằng tháng',
};

export function taskLabel(task: Pick<PlanTask, 'kind' | 'number'>): string {
  return `${task.kind === 'focus' ? 'nhiệm vụ tập trung' : 'nhiệm vụ đột phá'} (${task.number})`;
}

/** A step's time limit and the policy its reminders and ladder come from. */
function stepDeadline(step: Pick<ApprovalChain['steps'][number], 'step' | 'deadline' | 'deadlineAssumed' | 'escalation'>, policies: ReadonlyMap<string, NamedEscalationPolicy>, timeZone: string | undefined): Partial<ApprovalStepSpec> {
  const named = step.escalation === undefined ? undefined : policies.get(step.escalation);
  if (!named) throw new PlanExpansionError(`approval step ${step.step}: a step deadline needs a known escalation policy, got "${step.escalation ?? ''}"`);
  return {
    deadline: waitLimitOf(step.deadline!),
    ...(step.deadlineAssumed ? { deadlineAssumed: true } : {}),
    escalationPolicy: policyOf(named),
    ...(timeZone !== undefined ? { timeZone } : {}),
  };
}

/** The plan's time limits for what waits on a person besides approval steps, with their policies. */
function responseDeadlinesOf(plan: PlanDefinition, policies: ReadonlyMap<string, NamedEscalationPolicy>): AssignmentSpec['responseDeadlines'] {
  if (!plan.responseDeadlines) return undefined;
  const rules: NonNullable<AssignmentSpec['responseDeadlines']> = {};
  for (const which of ['extensionDecision', 'coordinationComment', 'difficultyAnswer'] as const) {
    const rule = plan.responseDeadlines[which];
    if (!rule) continue;
    const named = policies.get(rule.escalation);
    if (!named) throw new PlanExpansionError(`responseDeadlines.${which}: unknown escalation policy "${rule.escalation}"`);
    rules[which] = { limit: waitLimitOf(rule.deadline), policy: policyOf(named), ...(rule.deadlineAssumed ? { assumed: true } : {}) };
  }
  return rules;
}

export function policyOf(named: NamedEscalationPolicy): EscalationPolicy {
  return {
    noticeTime: named.noticeTime,
    reminders: named.reminders,
    ladder: named.ladder,
    ...(named.repeat ? { repeat: named.repeat } : {}),
    ...(named.sendBack ? { sendBack: named.sendBack } : {}),
    ...(named.summary ? { summary: named.summary } : {}),
  };
}

/**
 * Turns a validated plan into the assignments the workflows run: one per (obligation, lead
 * unit), or per (obligation, lead unit, task) for drafting, each with its deadline, timers,
 * approval chain and business-key id. Pure and deterministic: same plan, same calendar,
 * same specs in the same order.
 */
/** The obligation's approval chain as specs carry it, or undefined when it has none. */
export function approvalChainOf(
  o: PlanObligation,
  chains: ReadonlyMap<string, ApprovalChain>,
  context: {
    policies: ReadonlyMap<string, NamedEscalationPolicy>;
    timeZone: string | undefined;
    /** The plan's unit-head step and the assignment's lead unit: the chain starts in the lead unit. */
    unitHead?: { review: UnitHeadReview | undefined; leadUnit: string };
  },
): ApprovalStepSpec[] | undefined {
  if (o.approvalChain === undefined) return undefined;
  const chain = chains.get(o.approvalChain);
  if (!chain) throw new PlanExpansionError(`obligation ${o.id}: unknown approval chain "${o.approvalChain}"`);
  const steps: ApprovalStepSpec[] = chain.steps.map((s) => ({
    step: s.step,
    label: s.label,
    unit: s.unit,
    role: s.role,
    ...(s.slaSeconds !== undefined ? { slaSeconds: s.slaSeconds } : {}),
    ...(s.deadline !== undefined ? stepDeadline(s, context.policies, context.timeZone) : {}),
  }));
  const head = context.unitHead?.review;
  if (!head || (head.kinds !== undefined && !head.kinds.includes(o.kind))) return steps;
  // The drafter's draft reaches the lead unit's head first (lãnh đạo đơn vị), then the chain.
  const first: ApprovalStepSpec = {
    step: head.step,
    label: head.label,
    unit: context.unitHead!.leadUnit,
    role: head.role,
    ...(head.deadline !== undefined ? stepDeadline(head, context.policies, context.timeZone) : {}),
  };
  return [first, ...steps];
}

export interface ExpandPlanOptions {
  /**
   * The id of the imported plan version (e.g. `TV-BTV-2020@v2`), used in workflow ids
   * and as `planId`, so two versions of one plan never share a workflow id.
   * Defaults to the plan's number, or its code while the number is assumed.
   */
  planId?: string;
}

export function expandPlan(plan: PlanDefinition, calendar: WorkingCalendar, options: ExpandPlanOptions = {}): AssignmentSpec[] {
  const index: UnitIndex = {
    units: new Map(plan.units.map((u) => [u.code, u])),
    groups: new Map(plan.unitGroups.map((g) => [g.code, g.members])),
  };
  const units = new Map(plan.units.map((u) => [u.code, u]));
  const tasks = new Map(plan.tasks.map((t) => [t.code, t]));
  const chains = new Map(plan.approvalChains.map((c) => [c.code, c]));
  const policies = new Map(plan.escalationPolicies.map((p) => [p.code, p]));
  const events: Record<string, string> = { plan: plan.plan.date, ...Object.fromEntries(plan.events.map((e) => [e.code, e.date])) };
  const key = options.planId ?? planKey(plan.plan);
  const timeZone = plan.plan.timeZone;
  const noticeUnits = { standingOffice: plan.plan.standingOffice, standingCommittee: plan.plan.standingCommittee };
  const horizon = plan.plan.horizon === undefined ? undefined : parsePlanHorizon(plan.plan.horizon);
  if (horizon && !horizon.ok) throw new PlanExpansionError(`plan.horizon: ${horizon.message}`);
  const horizonEnd = horizon?.ok ? horizon.horizon.to : undefined;

  const responseDeadlines = responseDeadlinesOf(plan, policies);

  const specs: AssignmentSpec[] = [];
  for (const o of plan.obligations) {
    // Available, not imposed (khi cần thiết): a unit opens one when it needs it (see on-demand.ts).
    if (o.onDemand) continue;
    const named = policies.get(o.escalation);
    if (!named) throw new PlanExpansionError(`obligation ${o.id}: unknown escalation policy "${o.escalation}"`);
    const policy = policyOf(named);

    let report: AssignmentSpec['report'];
    let deadline;
    let schedule;
    let baseTitle = o.title ?? ASSIGNMENT_KIND_TITLES[o.kind];
    if (o.kind === 'monthly-report') {
      if (!o.report) throw new PlanExpansionError(`obligation ${o.id}: a periodic report needs report.rhythm`);
      const parsed = parseReportRhythm(o.report.rhythm);
      if (!parsed.ok) throw new PlanExpansionError(`obligation ${o.id}: ${parsed.message}`);
      const unit = rhythmUnit(parsed.rhythm);
      const lastPeriod = lastReportPeriod(unit, { lastPeriod: o.report.lastPeriod, until: o.report.until, horizonEnd });
      report = { rhythm: parsed.rhythm, policy, firstPeriod: o.report.firstPeriod, ...(lastPeriod !== undefined ? { lastPeriod } : {}) };
      baseTitle = o.title ?? `Báo cáo định kỳ ${periodUnitName(unit)}`;
      ({ deadline, schedule } = reportPeriod(parsed.rhythm, o.report.firstPeriod, policy, calendar, timeZone));
    } else {
      if (o.deadline === undefined) throw new PlanExpansionError(`obligation ${o.id}: no deadline`);
      deadline = resolveDeadline(o.deadline, calendar, { events, timeZone });
      schedule = buildEscalationSchedule(policy, deadline, calendar);
    }

    // III.2: a review of what already has a resolution, plan or programme covers only those tasks.
    const taskCodes = o.onlyTasksWithBasis ? o.tasks.filter((c) => tasks.get(c)?.existingBasis !== undefined) : o.tasks;
    if (taskCodes.length === 0) continue;
    const leads = expandUnitRefs(typeof o.lead === 'string' ? [o.lead] : o.lead, index);
    const coordinatingAll = expandUnitRefs(o.coordinating, index);
    const mustCite = (o.mustCite ?? o.kind === 'concretisation') ? plan.plan.number : undefined;

    for (const lead of leads) {
      const approvalChain = approvalChainOf(o, chains, { policies, timeZone, unitHead: { review: plan.unitHeadReview, leadUnit: lead } });
      const unit = units.get(lead);
      const unitName = unit?.shortName ?? unit?.name ?? lead;
      for (const taskCode of isPerTask(o) ? taskCodes : [undefined]) {
        const task = taskCode === undefined ? undefined : tasks.get(taskCode);
        specs.push({
          id: assignmentId(o.kind, key, taskCode ?? reportDutySlot(o), lead),
          kind: o.kind,
          planId: options.planId ?? plan.plan.code,
          planNumber: plan.plan.number,
          taskCodes: taskCode === undefined ? [...taskCodes] : [taskCode],
          title: task ? `${baseTitle}: ${taskLabel(task)} — ${unitName}` : `${baseTitle} — ${unitName}`,
          leadUnit: lead,
          coordinatingUnits: coordinatingAll.filter((c) => c !== lead),
          deadline: { ...deadline },
          schedule: schedule.map((e) => ({ ...e, notify: [...e.notify] })),
          ...(approvalChain ? { approvalChain: approvalChain.map((s) => ({ ...s })) } : {}),
          noticeUnits: { ...noticeUnits },
          ...(mustCite !== undefined ? { mustCite, ...(plan.plan.numberAssumed ? { mustCiteAssumed: true } : {}) } : {}),
          obligationId: o.id,
          section: o.section,
          ...(o.deadlineAssumed ? { deadlineAssumed: true } : {}),
          ...(o.submitTo !== undefined ? { submitTo: o.submitTo } : {}),
          escalationPolicy: policy,
          timeZone,
          ...(report ? { report: { ...report, subject: o.title ? `${o.title} — ${unitName}` : unitName } } : {}),
          ...(responseDeadlines ? { responseDeadlines } : {}),
        });
      }
    }
  }
  return specs;
}
