import type {
  ApprovalState,
  AssignmentEvent,
  AssignmentSpec,
  AssignmentState,
  Deadline,
  NoticeAudience,
  ScheduleEntry,
  WaitLimit,
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
  /** Within `toUnits`, the roles the notice is for (e.g. the role holding an approval step); absent = everyone there. */
  toRoles?: string[];
  kind: 'reminder' | 'escalation' | 'submitted' | 'approval-needed' | 'decided' | 'extension' | 'difficulties' | 'side-effect-failed' | 'handed-over' | 'citation-mismatch' | 'summary' | 'comment-request' | 'comment';
  level: number;
  subject: string;
  body: string;
  /** The page the e-mail links to, when not the assignment's own (e.g. a summary: /notifications). */
  linkPath?: string;
}

/** One period's overdue summaries of a plan. */
export interface OverdueSummaryRequest {
  planId: string;
  /** The period's instant (ISO): names the week and keys the notices, so a retry sends nothing twice. Absent: send nothing, only say when the first period is. */
  periodAt?: string;
  /** Now, the workflow's clock (for the first period). */
  now: string;
  rule: { everySeconds?: number };
  noticeTime: string;
  timeZone?: string;
}

export interface OverdueSummaryResult {
  /** When the next period's summaries are due. */
  nextAt: string;
  recipients: number;
  items: number;
  /** Assignments of the plan still open: none left, no more summaries. */
  open: number;
}

/**
 * What the side-effect loop writes in one activity (patch `perf2-batched-effects`): the
 * projection due, if any, and the in-app part of every queued notice, in one PostgreSQL
 * transaction. Each write is keyed (projection by seq, notice by key + unit), so a retry
 * changes nothing that is already there.
 */
export interface EffectsBatch {
  assignment?: AssignmentProjection;
  approval?: ApprovalProjection;
  notices: NoticeRequest[];
}

export interface EffectsRecorded {
  /** Keys of the notices whose e-mails are still to send (by `sendNotice`: retried, each e-mail at most once). */
  toEmail: string[];
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

/** The deadline and timers of something that started waiting on a person at `since`. */
export interface WaitScheduleRequest {
  since: string;
  limit: WaitLimit;
  policy: NonNullable<AssignmentSpec['escalationPolicy']>;
  timeZone?: string;
}

export interface ReportPeriodRequest {
  spec: AssignmentSpec;
  /** The period just finished (its key, e.g. 'YYYY-MM' or 'YYYY-Qn'), or undefined for the first one. */
  after?: string;
}

export interface ReportPeriod {
  /** The period's key: 'YYYY-MM', 'YYYY-Qn', 'YYYY-Hn', 'YYYY' or 'YYYY-Www'. */
  period: string;
  deadline: Deadline;
  schedule: ScheduleEntry[];
  /** The duty's last period (plan2-rhythms): the duty stops once it has opened it. */
  last?: boolean;
  /** The period's title in lists and notices, e.g. "Báo cáo quý I/2021 — Ban Tổ chức". */
  title?: string;
}

export interface PlanPageRequest {
  /** The plan version's key in the read model (`<code>@v<n>`). */
  planId: string;
  offset: number;
  limit: number;
  /** Launch only these assignments (ids), in plan order. */
  onlyAssignments?: string[];
  /** Ids only (closing a plan needs no more). */
  idsOnly?: boolean;
  /**
   * The plan version whose definition to expand (an amendment in force), ids still
   * under `planId`; `planId` itself when absent.
   */
  definitionOf?: string;
}

export interface PlanPage {
  /** How many assignments the plan (or the `onlyAssignments` selection) has in all. */
  total: number;
  /** Specs `offset .. offset+limit` in plan order (empty when `idsOnly`). */
  specs: AssignmentSpec[];
  ids: string[];
}

/**
 * Patch `perf3-opening-projection`: the opening projections (libs/domain `assignmentOpening`,
 * opened `at`) of assignment workflows the plan has just started with `opened: { at }`, from the
 * launched plan's stored definition.
 */
export interface OpeningProjectionsRequest {
  /** The plan version launched (`<code>@v<n>`): the specs are expanded again from its stored definition, as its pages were. */
  planId: string;
  /** The assignments just started (ids only: their specs are already in the plan's history twice). */
  ids: string[];
  at: string;
}

/** Ids whose opening PostgreSQL refused (the rest are written); empty in every ordinary case. */
export interface OpeningProjectionsWritten {
  refused: string[];
}

/**
 * What workflows ask the outside world to do. Implemented in apps/worker; workflows
 * import this file with `import type` only.
 */
export interface AssignmentActivities {
  projectAssignment(input: AssignmentProjection): Promise<void>;
  projectApproval(input: ApprovalProjection): Promise<void>;
  sendNotice(input: NoticeRequest): Promise<void>;
  /** Projection and in-app notices in one transaction (no SMTP: e-mails stay with `sendNotice`). */
  recordEffects(input: EffectsBatch): Promise<EffectsRecorded>;
  reschedule(input: RescheduleRequest): Promise<Rescheduled>;
  /** The same schedule computation as an assignment's deadline, for a wait (approval step, extension decision). */
  waitSchedule(input: WaitScheduleRequest): Promise<Rescheduled>;
  nextReportPeriod(input: ReportPeriodRequest): Promise<ReportPeriod>;
  /** A page of a launched plan's assignments, expanded from its stored definition. */
  planAssignmentsPage(input: PlanPageRequest): Promise<PlanPage>;
  /**
   * Writes, in one transaction, the opening projections of assignment workflows just started with
   * `opened` (patch `perf3-opening-projection`); never replaces a row a workflow has moved past.
   */
  writeOpeningProjections(input: OpeningProjectionsRequest): Promise<OpeningProjectionsWritten>;
  /**
   * Ids of the plan's assignments still open in the read model, in id order, after `afterId`:
   * a closing plan cancels those it did not start itself (on-demand ones opened before they
   * were the plan's children, periods of duties that do not cancel their periods).
   */
  openAssignmentIdsOfPlan(input: { planId: string; afterId?: string; limit: number }): Promise<string[]>;
  /**
   * The plan's open assignments that `unit` leads and that pass to its successor on the day
   * after `validTo` (the amendment diff's hand-overs, computed on the definition in force and
   * the read model's leads): what a scheduled unit end hands over.
   */
  handoversDue(input: { planId: string; unit: string; validTo: string }): Promise<{ id: string; from: string; to: string }[]>;
  /** Per recipient, one notice listing every item still overdue for it. */
  sendOverdueSummaries(input: OverdueSummaryRequest): Promise<OverdueSummaryResult>;
}

/** One pass of the sweep of uploaded files never submitted. */
export interface UploadSweepRequest {
  /** Uploads younger than this stay, submitted or not (a person may still be writing the draft). */
  graceSeconds: number;
}

/** What a pass removed: recorded as the workflow's result, so each pass is in history and the audit archive. */
export interface UploadSweepResult {
  /** Upload records (stored_file rows) removed: older than the grace period and named by no submission. */
  filesRemoved: number;
  /** Contents removed from the file store: hashes no remaining record names. */
  contentsRemoved: number;
  bytesRemoved: number;
  /** The SHA-256 of each content removed (hex). */
  sha256: string[];
}

export interface UploadActivities {
  sweepUploads(input: UploadSweepRequest): Promise<UploadSweepResult>;
}

/** Error types activities give ApplicationFailure, so workflows and people can tell them apart. */
export const SIDE_EFFECT_ERRORS = {
  /** PostgreSQL refused the data (SQLSTATE class 22/23): retrying cannot help. */
  BAD_DATA: 'READ_MODEL_BAD_DATA',
  /** PostgreSQL not reachable or not answering: retried, with a ceiling. */
  UNAVAILABLE: 'READ_MODEL_UNAVAILABLE',
  /** Some e-mails of a notice were not accepted by the SMTP server for now. */
  SMTP_UNAVAILABLE: 'SMTP_UNAVAILABLE',
  /** Nobody in the addressed unit has an e-mail address: the notice is in-app only, recorded as undeliverable (email_error). */
  NO_ADDRESS: 'NO_ADDRESS',
} as const;

/** Deliveries of one subscriber, oldest first: delivered in order, one lane per subscriber. */
export interface WebhookLane {
  subscriptionId: string;
  deliveryIds: string[];
}

/** Outbound webhooks (issue 14): claimed from the read model's event log, delivered signed. */
export interface WebhookActivities {
  /** Creates a pending delivery for every new event each active subscriber asked for; returns how many. */
  claimWebhookDeliveries(): Promise<number>;
  pendingWebhookDeliveries(input: { perLane: number }): Promise<WebhookLane[]>;
  /** One attempt: POSTs the signed event; throws (retryable) unless the receiver answers 2xx. */
  deliverWebhook(input: { deliveryId: string }): Promise<void>;
  /** Retries exhausted: the delivery is marked failed (administrators see it) and the lane moves on. */
  markWebhookFailed(input: { deliveryId: string; error: string }): Promise<void>;
}
