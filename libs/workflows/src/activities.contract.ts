import type {
  ApprovalState,
  AssignmentEvent,
  AssignmentSpec,
  AssignmentState,
  Deadline,
  NoticeAudience,
  ScheduleEntry,
} from '@dieu-hanh/domain/assignment';

/** A state snapshot plus the events that produced it since the last projection. */
export interface AssignmentProjection {
  spec: AssignmentSpec;
  state: AssignmentState;
  /** Events numbered from `firstSeq` (1-based), so a retried projection never duplicates. */
  events: AssignmentEvent[];
  firstSeq: number;
}

export interface ApprovalProjection {
  state: ApprovalState;
  planId: string;
  leadUnit: string;
}

export interface NoticeRequest {
  /** Stable key: a retried activity or a replay never sends the same notice twice. */
  key: string;
  assignmentId: string;
  planId: string;
  leadUnit: string;
  noticeUnits: AssignmentSpec['noticeUnits'];
  audience: NoticeAudience[];
  /** Units addressed by code besides the audience (e.g. the unit holding an approval step). */
  toUnits?: string[];
  kind: 'reminder' | 'escalation' | 'submitted' | 'approval-needed' | 'decided' | 'extension' | 'difficulties';
  level: number;
  subject: string;
  body: string;
}

export interface RescheduleRequest {
  spec: AssignmentSpec;
  /** A new deadline date (ISO yyyy-mm-dd), or else the policy's send-back allowance from `now`. */
  date?: string;
  /** The deadline in force; a send-back never makes it earlier. */
  current?: Deadline;
  now: string;
}

export interface Rescheduled {
  deadline: Deadline;
  schedule: ScheduleEntry[];
}

export interface ReportPeriodRequest {
  spec: AssignmentSpec;
  /** The period just finished ('YYYY-MM'), or undefined for the first one. */
  after?: string;
}

export interface ReportPeriod {
  period: string;
  deadline: Deadline;
  schedule: ScheduleEntry[];
}

/**
 * What workflows ask the outside world to do. Implemented in apps/worker; workflows
 * import this file with `import type` only.
 */
export interface AssignmentActivities {
  projectAssignment(input: AssignmentProjection): Promise<void>;
  projectApproval(input: ApprovalProjection): Promise<void>;
  sendNotice(input: NoticeRequest): Promise<void>;
  reschedule(input: RescheduleRequest): Promise<Rescheduled>;
  nextReportPeriod(input: ReportPeriodRequest): Promise<ReportPeriod>;
}
