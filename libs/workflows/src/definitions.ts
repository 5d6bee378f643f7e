import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReportPeriod } from './activities.contract';
import type { Actor, ApprovalState, AssignmentSpec, AssignmentState, Attachment, CommentInput, CommentRequestInput, DecisionRequest } from '@dieu-hanh/domain/assignment';
import type { ScheduledUnitEnd } from '@dieu-hanh/domain';

/** Messages the API sends to workflows. Shared by both sides so names and payloads cannot drift. */

export interface SubmitRequest {
  /** The version the submitter believes comes next; a stale or repeated submission is refused. */
  version: number;
  text: string;
  attachments: Attachment[];
  actor: Actor;
  cites?: string;
  difficulties?: string;
}
export interface SubmitResult {
  version: number;
  approvalId?: string;
}

export interface ExtensionRequest {
  requestId: string;
  reason: string;
  proposedDate: string;
  actor: Actor;
}
export interface ExtensionDecision {
  requestId: string;
  granted: boolean;
  comment: string;
  /** The granted date; defaults to the proposed one. */
  date?: string;
  actor: Actor;
}
export interface DeadlineShift {
  date: string;
  reason: string;
  actor: Actor;
}

/** The lead unit asks coordinating units for written comments (xin ý kiến); `limit` absent: the plan's default. */
export type CommentRequest = CommentRequestInput;
/** A coordinating unit's written comments on a request. */
export type Comment = CommentInput;
/** The body a report went to answers the difficulties reported with version `version` (III.6). */
export interface DifficultyAnswer {
  version: number;
  text: string;
  actor: Actor;
}

export const submitUpdate = defineUpdate<SubmitResult, [SubmitRequest]>('submit');
export const requestExtensionUpdate = defineUpdate<AssignmentState, [ExtensionRequest]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<AssignmentState, [ExtensionDecision]>('decideExtension');
export const shiftDeadlineUpdate = defineUpdate<AssignmentState, [DeadlineShift]>('shiftDeadline');
export const requestCommentsUpdate = defineUpdate<AssignmentState, [CommentRequest]>('requestComments');
export const giveCommentUpdate = defineUpdate<AssignmentState, [Comment]>('giveComment');
export const answerDifficultyUpdate = defineUpdate<AssignmentState, [DifficultyAnswer]>('answerDifficulty');
export const cancelSignal = defineSignal<[{ reason: string; actor: Actor }]>('cancel');
export const assignmentStateQuery = defineQuery<AssignmentState>('assignmentState');

export const decideUpdate = defineUpdate<ApprovalState, [DecisionRequest]>('decide');
export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

/** Sent by an assignment to its plan when it reaches a final state. */
export const assignmentClosedSignal = defineSignal<[{ assignmentId: string; lifecycle: string }]>('assignmentClosed');
export const closePlanSignal = defineSignal<[{ reason: string }]>('closePlan');
export const planProgressQuery = defineQuery<PlanProgress>('planProgress');

export interface PlanProgress {
  started: number;
  closed: number;
  total: number;
  closing: boolean;
  /** Assignments started after the first launch (a later launch, an amendment). */
  extra?: number;
  /** Changes (later launches, amendments) taken while the plan runs, oldest first. */
  changes?: PlanChangeRecord[];
  /** Assignments units opened from an available obligation (khi cần thiết), started as children of the plan. */
  onDemand?: number;
  /** Units whose end the plan is waiting for, to hand their work over then. */
  unitEnds?: ScheduledUnitEnd[];
}

/** A unit opens an assignment of an available obligation (III.4): the spec the domain computed (`openOnDemand`). */
export interface OpenOnDemandRequest {
  spec: AssignmentSpec;
  actor: Actor;
}
/**
 * Sent to the plan workflow, which starts the assignment as its child (so closing the plan
 * cancels it); refused once the plan is closing or finished, and for an id already opened.
 */
export const openOnDemandUpdate = defineUpdate<{ id: string }, [OpenOnDemandRequest]>('openOnDemand');

/**
 * A change to a running plan, decided by the Standing Office: start these assignments,
 * cancel those, move the deadlines of others. `source` is the plan version whose
 * definition the new assignments' specs are read from (ids stay under the running key).
 */
export interface PlanChangeRequest {
  /** Unique per plan: the amending version's key, or a launch request id. */
  changeId: string;
  source: string;
  reason: string;
  actor: Actor;
  start: string[];
  cancel: string[];
  /** New nominal deadline dates (yyyy-mm-dd) of assignments that stay. */
  shift: { id: string; date: string }[];
  /** Assignments whose lead unit ended, to pass to its successor (reorganisation). */
  handOver?: { id: string; from: string; to: string }[];
  /** Units that end later (libs/domain `scheduledUnitEnds`): the plan hands their work over when each ends. */
  unitEnds?: ScheduledUnitEnd[];
  /**
   * An amendment's on-demand window (libs/domain `onDemandOpenWindow` of the amended definition):
   * from now on the plan stays open for openings until `until` (none: until it is closed);
   * null: the amended plan has no on-demand obligation (or its horizon has ended), so it
   * finishes with its imposed work. Absent (older requests, later launches): unchanged.
   */
  onDemandOpen?: { until?: string } | null;
}

export interface PlanChangeRecord {
  changeId: string;
  /** `unit-end`: a unit's scheduled end came (its work passed to its successor). */
  kind: 'amendment' | 'launch' | 'unit-end';
  at: string;
  /** Queued until the plan's main loop has carried it out. */
  applied: boolean;
  started: number;
  alreadyStarted: number;
  cancelled: number;
  shifted: number;
  handedOver?: number;
}

/** An amendment of a running plan: a new version of its definition, confirmed by the Standing Office. */
export const amendPlanUpdate = defineUpdate<PlanChangeRecord, [PlanChangeRequest]>('amendPlan');
/** Starts assignments of a partly launched plan that are not running yet (the rest of a pilot). */
export const launchMoreUpdate = defineUpdate<PlanChangeRecord, [Omit<PlanChangeRequest, 'cancel' | 'shift'>]>('launchMore');
/** Sent by the plan to an assignment whose deadline an amendment moved. */
/** Sent by the plan to an assignment (or a report duty) whose lead unit ended: `to` leads it from now on. */
export const handOverSignal = defineSignal<[{ changeId: string; from: string; to: string; reason: string; actor: Actor }]>('handOver');
export const amendDeadlineSignal = defineSignal<[{ changeId: string; date: string; reason: string; actor: Actor }]>('amendDeadline');

export const TASK_QUEUE_DEFAULT = 'dieu-hanh';

/** Business-key workflow ids. */
export const approvalWorkflowId = (assignmentId: string, version: number) => `approval:${assignmentId}:v${version}`;
export const planWorkflowId = (planId: string) => `plan:${planId}`;

export const reportDutyQuery = defineQuery<{ after?: string; current?: ReportPeriod; periodIds: string[] }>('reportDuty');
/** A report period is its own assignment workflow: `<duty id>:<YYYY-MM>`. */
export const periodAssignmentId = (dutyId: string, period: string) => `${dutyId}:${period}`;
