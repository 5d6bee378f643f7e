import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReportPeriod } from './activities.contract';
import type { Actor, ApprovalState, AssignmentState, Attachment, DecisionRequest } from '@dieu-hanh/domain/assignment';

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

export const submitUpdate = defineUpdate<SubmitResult, [SubmitRequest]>('submit');
export const requestExtensionUpdate = defineUpdate<AssignmentState, [ExtensionRequest]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<AssignmentState, [ExtensionDecision]>('decideExtension');
export const shiftDeadlineUpdate = defineUpdate<AssignmentState, [DeadlineShift]>('shiftDeadline');
export const cancelSignal = defineSignal<[{ reason: string; actor: Actor }]>('cancel');
export const assignmentStateQuery = defineQuery<AssignmentState>('assignmentState');

export const decideUpdate = defineUpdate<ApprovalState, [DecisionRequest]>('decide');
export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

/** Sent by an assignment to its plan when it reaches a final state. */
export const assignmentClosedSignal = defineSignal<[{ assignmentId: string; lifecycle: string }]>('assignmentClosed');
export const closePlanSignal = defineSignal<[{ reason: string }]>('closePlan');
export const planProgressQuery = defineQuery<{ started: number; closed: number; total: number; closing: boolean }>('planProgress');

export const TASK_QUEUE_DEFAULT = 'dieu-hanh';

/** Business-key workflow ids. */
export const approvalWorkflowId = (assignmentId: string, version: number) => `approval:${assignmentId}:v${version}`;
export const planWorkflowId = (planId: string) => `plan:${planId}`;

export const reportDutyQuery = defineQuery<{ after?: string; current?: ReportPeriod; periodIds: string[] }>('reportDuty');
/** A report period is its own assignment workflow: `<duty id>:<YYYY-MM>`. */
export const periodAssignmentId = (dutyId: string, period: string) => `${dutyId}:${period}`;
