/**
 * What one assignment workflow needs to run, computed by the domain from a plan
 * definition (and the calendar) *before* the workflow starts, so workflow code
 * never reads a table or a calendar and replay stays deterministic.
 */

import type { ReportRhythm } from '../deadline/deadline-expression';
import type { EscalationPolicy } from '../escalation/escalation-policy.schema';
import type { WaitLimit } from './waits';

export const ASSIGNMENT_KINDS = [
  'drafting',
  'approval',
  'concretisation',
  'review',
  'policy-proposal',
  'propaganda',
  'monthly-report',
] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];

/**
 * A monthly report runs as a series of periods (its own workflow, one assignment per period);
 * every other kind is one assignment workflow, whose first projection is `assignmentOpening`.
 */
export const isPeriodicSeries = (spec: { kind: AssignmentKind }): boolean => spec.kind === 'monthly-report';

/** A deadline as a Vietnamese office counts it: the date written, and the date that counts. */
export interface Deadline {
  /** Date the document names, ISO yyyy-mm-dd, local (Asia/Ho_Chi_Minh). */
  nominal: string;
  /** Same date moved past weekends/holidays (Civil Code 2015 art. 148(5)), ISO yyyy-mm-dd. */
  effective: string;
  /** The instant the deadline ends: effective date 23:59:59 +07:00, as ISO 8601 with offset. */
  dueAt: string;
}

/** Who receives a reminder or an escalation notice, as roles relative to the assignment. */
export type NoticeAudience = 'lead-unit' | 'lead-unit-head' | 'standing-office' | 'standing-committee' | 'waited-on';

/** One concrete timer of an assignment: fire at `at` (ISO instant). */
export interface ScheduleEntry {
  at: string;
  type: 'reminder' | 'escalation';
  /** 0 for reminders; 1, 2, 3 … up the ladder for escalations. */
  level: number;
  notify: NoticeAudience[];
}

/** One step of an approval chain. Authority is (unit, role); people are data in the read model. */
export interface ApprovalStepSpec {
  step: string;
  label: string;
  unit: string;
  role: string;
  /** Timers for this step, relative to the moment the step opens, in seconds (older plans, tests). */
  slaSeconds?: number;
  /**
   * The step's own deadline, counted from the moment it opens ("thẩm định trong 05 ngày làm
   * việc"), with its reminders and ladder from `escalationPolicy`. Takes over from `slaSeconds`.
   */
  deadline?: WaitLimit;
  /** True when the document sets no time for the step and the plan file assumes one. */
  deadlineAssumed?: boolean;
  escalationPolicy?: EscalationPolicy;
  /** IANA zone the step's working days end in (the plan's). */
  timeZone?: string;
}

export interface AssignmentSpec {
  /** Business key and workflow id, e.g. `drafting:12-KH/TU:FT2:BCSD-UBND`. */
  id: string;
  kind: AssignmentKind;
  planId: string;
  planNumber: string;
  taskCodes: string[];
  title: string;
  leadUnit: string;
  coordinatingUnits: string[];
  deadline: Deadline;
  schedule: ScheduleEntry[];
  /** Only for assignments that go through approval (drafting). */
  approvalChain?: ApprovalStepSpec[];
  /**
   * Unit codes that receive notices addressed to 'standing-office' (Văn phòng Tỉnh ủy)
   * and 'standing-committee' (Thường trực / Ban Thường vụ), taken from the plan file.
   */
  noticeUnits: { standingOffice: string; standingCommittee: string };
  /** Concretisation plans must cite this number (e.g. the parent plan's `12-KH/TU`). */
  mustCite?: string;
  /** True when `mustCite` is a placeholder (the plan's numberAssumed): a real number is accepted and flagged. */
  mustCiteAssumed?: boolean;
  /** The plan obligation this assignment comes from, e.g. `III.3`. */
  obligationId?: string;
  /** Where the duty is written in the document, e.g. `II.2.a; III.1`. */
  section?: string;
  /** True when the document sets no deadline and the plan file assumes one for tracking. */
  deadlineAssumed?: boolean;
  /** The unit the deliverable is submitted to (trình), e.g. Ban Thường vụ Tỉnh ủy. */
  submitTo?: string;
  /** The policy `schedule` was built from, so an extension or a send-back can rebuild it. */
  escalationPolicy?: EscalationPolicy;
  /** IANA zone the deadlines end in (the plan's); Asia/Ho_Chi_Minh when absent. */
  timeZone?: string;
  /**
   * Recurring reports (III.6): how each period's deadline and timers are computed. `deadline`
   * and `schedule` above are those of `firstPeriod`; later ones come from `nextReportPeriod`.
   * `lastPeriod`: the duty stops after it (absent: it runs until the plan closes it).
   * `subject`: who reports, for period titles ("Báo cáo quý I/2021 — <subject>").
   */
  report?: { rhythm: ReportRhythm; policy: EscalationPolicy; firstPeriod: string; lastPeriod?: string; subject?: string };
  /**
   * Time limits for what waits on a person besides approval steps: the Standing Office's
   * decision on an extension request; a coordinating unit's comments (xin ý kiến), the default
   * when the lead unit names none; the answer to difficulties a report raised (III.6).
   */
  responseDeadlines?: { extensionDecision?: WaitRule; coordinationComment?: WaitRule; difficultyAnswer?: WaitRule };
}

/** A time limit for a wait and the policy of its reminders and ladder. */
export interface WaitRule {
  limit: WaitLimit;
  policy: EscalationPolicy;
  /** True when the document sets no such limit and the plan file assumes one. */
  assumed?: boolean;
}
