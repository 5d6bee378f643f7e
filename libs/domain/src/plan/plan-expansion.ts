import type { ApprovalStepSpec, AssignmentKind, AssignmentSpec } from '../assignment/assignment-spec';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { isReportRhythm, parseDeadlineExpression, resolveDeadline } from '../deadline/deadline-expression';
import { buildEscalationSchedule } from '../escalation/escalation-policy';
import type { EscalationPolicy } from '../escalation/escalation-policy.schema';
import type { NamedEscalationPolicy, PlanDefinition, PlanTask } from './plan-definition.schema';
import { assignmentId, expandUnitRefs, isPerTask, planKey, type UnitIndex } from './plan-references';
import { reportPeriod } from './report-period';

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

function policyOf(named: NamedEscalationPolicy): EscalationPolicy {
  return {
    noticeTime: named.noticeTime,
    reminders: named.reminders,
    ladder: named.ladder,
    ...(named.repeat ? { repeat: named.repeat } : {}),
    ...(named.sendBack ? { sendBack: named.sendBack } : {}),
  };
}

/**
 * Turns a validated plan into the assignments the workflows run: one per (obligation, lead
 * unit), or per (obligation, lead unit, task) for drafting, each with its deadline, timers,
 * approval chain and business-key id. Pure and deterministic: same plan, same calendar,
 * same specs in the same order.
 */
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

  const specs: AssignmentSpec[] = [];
  for (const o of plan.obligations) {
    const named = policies.get(o.escalation);
    if (!named) throw new PlanExpansionError(`obligation ${o.id}: unknown escalation policy "${o.escalation}"`);
    const policy = policyOf(named);
    let approvalChain: ApprovalStepSpec[] | undefined;
    if (o.approvalChain !== undefined) {
      const chain = chains.get(o.approvalChain);
      if (!chain) throw new PlanExpansionError(`obligation ${o.id}: unknown approval chain "${o.approvalChain}"`);
      approvalChain = chain.steps.map((s) => ({ step: s.step, label: s.label, unit: s.unit, role: s.role, ...(s.slaSeconds !== undefined ? { slaSeconds: s.slaSeconds } : {}) }));
    }

    let report: AssignmentSpec['report'];
    let deadline;
    let schedule;
    if (o.kind === 'monthly-report') {
      if (!o.report) throw new PlanExpansionError(`obligation ${o.id}: a monthly report needs report.rhythm`);
      const parsed = parseDeadlineExpression(o.report.rhythm);
      if (!parsed.ok || !isReportRhythm(parsed.expression)) throw new PlanExpansionError(`obligation ${o.id}: "${o.report.rhythm}" is not a monthly rhythm`);
      report = { rhythm: parsed.expression, policy, firstPeriod: o.report.firstPeriod };
      ({ deadline, schedule } = reportPeriod(parsed.expression, o.report.firstPeriod, policy, calendar, timeZone));
    } else {
      if (o.deadline === undefined) throw new PlanExpansionError(`obligation ${o.id}: no deadline`);
      deadline = resolveDeadline(o.deadline, calendar, { events, timeZone });
      schedule = buildEscalationSchedule(policy, deadline, calendar);
    }

    const leads = expandUnitRefs(typeof o.lead === 'string' ? [o.lead] : o.lead, index);
    const coordinatingAll = expandUnitRefs(o.coordinating, index);
    const mustCite = (o.mustCite ?? o.kind === 'concretisation') ? plan.plan.number : undefined;
    const baseTitle = o.title ?? ASSIGNMENT_KIND_TITLES[o.kind];

    for (const lead of leads) {
      const unit = units.get(lead);
      const unitName = unit?.shortName ?? unit?.name ?? lead;
      for (const taskCode of isPerTask(o) ? o.tasks : [undefined]) {
        const task = taskCode === undefined ? undefined : tasks.get(taskCode);
        specs.push({
          id: assignmentId(o.kind, key, taskCode, lead),
          kind: o.kind,
          planId: options.planId ?? plan.plan.code,
          planNumber: plan.plan.number,
          taskCodes: taskCode === undefined ? [...o.tasks] : [taskCode],
          title: task ? `${baseTitle}: ${taskLabel(task)} — ${unitName}` : `${baseTitle} — ${unitName}`,
          leadUnit: lead,
          coordinatingUnits: coordinatingAll.filter((c) => c !== lead),
          deadline: { ...deadline },
          schedule: schedule.map((e) => ({ ...e, notify: [...e.notify] })),
          ...(approvalChain ? { approvalChain: approvalChain.map((s) => ({ ...s })) } : {}),
          noticeUnits: { ...noticeUnits },
          ...(mustCite !== undefined ? { mustCite } : {}),
          obligationId: o.id,
          section: o.section,
          ...(o.deadlineAssumed ? { deadlineAssumed: true } : {}),
          ...(o.submitTo !== undefined ? { submitTo: o.submitTo } : {}),
          escalationPolicy: policy,
          timeZone,
          ...(report ? { report } : {}),
        });
      }
    }
  }
  return specs;
}
