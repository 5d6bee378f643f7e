import type { Actor, Decision } from './assignment-events';
import type { ApprovalStepSpec, Deadline } from './assignment-spec';
import type { WaitingOn } from './waits';
import { openWaits, type AssignmentState } from './assignment-state';
import { delegationRefusal, type Delegation } from '../delegation/delegation';

export type { Delegation } from '../delegation/delegation';

export interface ApprovalInput {
  approvalId: string;
  assignmentId: string;
  planId: string;
  leadUnit: string;
  version: number;
  chain: ApprovalStepSpec[];
  noticeUnits: { standingOffice: string; standingCommittee: string };
}

export interface ApprovalDecisionRecord {
  step: string;
  decision: Decision;
  comment: string;
  by: Actor;
  /** The person whose authority a delegate used; the record names both. */
  onBehalfOf?: Actor;
  at: string;
}

export interface ApprovalState {
  approvalId: string;
  assignmentId: string;
  version: number;
  chain: ApprovalStepSpec[];
  /** Index of the step waiting for a decision; equals chain.length when closed by approval. */
  stepIndex: number;
  decisions: ApprovalDecisionRecord[];
  /** How the approval closed; 'cancelled' when its assignment was cancelled (plan closed) first. */
  outcome?: ApprovalOutcome;
  closedAt?: string;
  seq: number;
  /**
   * Each step's wait since it opened (steps with a deadline, patch `esc-step-deadline`): who
   * was waited on, since and until when, the level reached and when it was decided. The
   * last one without `closedAt` is the step waiting now. Absent in older approvals.
   */
  stepWaits?: StepWait[];
}

export interface StepWait extends WaitingOn {
  kind: 'approval-step';
  closedAt?: string;
}

/** The step wait open now, if the open step has a deadline. */
export const openStepWait = (state: ApprovalState): StepWait | undefined => {
  const last = state.stepWaits?.at(-1);
  return last && !last.closedAt && !state.outcome ? last : undefined;
};

/** Everything of one assignment that waits on a person now: its open approval step, then its own open waits. */
export function openWaitsOf(state: AssignmentState, approval: ApprovalState | undefined): WaitingOn[] {
  const step = approval && !approval.outcome ? openStepWait(approval) : undefined;
  return [...(step ? [step] : []), ...openWaits(state)];
}

const closeOpenWait = (state: ApprovalState, at: string): StepWait[] | undefined =>
  state.stepWaits?.map((w, i, all) => (i === all.length - 1 && !w.closedAt ? { ...w, closedAt: at } : w));

/** A decision, or 'cancelled': the draft's assignment was cancelled before the chain finished. */
export type ApprovalOutcome = Decision | 'cancelled';

export type ApprovalEvent =
  | { type: 'decided'; at: string; record: ApprovalDecisionRecord }
  | { type: 'step-escalated'; at: string; step: string; level: number }
  /** A step with a deadline opened: the calendar's answer, recorded once. */
  | { type: 'step-opened'; at: string; step: string; unit: string; role: string; deadline: Deadline }
  | { type: 'cancelled'; at: string; reason: string };

export interface DecisionRequest {
  approvalId: string;
  version: number;
  step: string;
  decision: Decision;
  comment: string;
  actor: Actor;
  /** Present when the actor decides on someone else's authority. */
  delegation?: Delegation;
  /** Local date of the decision, ISO yyyy-mm-dd, to check delegation validity. */
  today: string;
}

export function initialApprovalState(input: ApprovalInput): ApprovalState {
  return {
    approvalId: input.approvalId,
    assignmentId: input.assignmentId,
    version: input.version,
    chain: input.chain,
    stepIndex: 0,
    decisions: [],
    seq: 0,
  };
}

export function reduceApproval(state: ApprovalState, event: ApprovalEvent): ApprovalState {
  const next = { ...state, seq: state.seq + 1 };
  switch (event.type) {
    case 'decided': {
      const decisions = [...state.decisions, event.record];
      if (state.stepWaits) next.stepWaits = closeOpenWait(state, event.at);
      if (event.record.decision !== 'approve') {
        return { ...next, decisions, outcome: event.record.decision, closedAt: event.at };
      }
      const stepIndex = state.stepIndex + 1;
      const closed = stepIndex >= state.chain.length;
      return { ...next, decisions, stepIndex, outcome: closed ? 'approve' : undefined, closedAt: closed ? event.at : undefined };
    }
    case 'step-escalated': {
      const open = openStepWait(state);
      if (!open || open.ref !== event.step) return next;
      return { ...next, stepWaits: [...state.stepWaits!.slice(0, -1), { ...open, level: Math.max(open.level, event.level) }] };
    }
    case 'step-opened':
      if (state.outcome) return state;
      return {
        ...next,
        stepWaits: [
          ...(state.stepWaits ?? []),
          { kind: 'approval-step', ref: event.step, unit: event.unit, role: event.role, since: event.at, deadline: event.deadline, level: 0 },
        ],
      };
    case 'cancelled':
      if (state.outcome) return state;
      return { ...next, outcome: 'cancelled', closedAt: event.at, ...(state.stepWaits ? { stepWaits: closeOpenWait(state, event.at) } : {}) };
  }
}

export type DecisionRefusal =
  | { code: 'APPROVAL_CLOSED'; message: string }
  | { code: 'STALE_VERSION'; message: string }
  | { code: 'WRONG_STEP'; message: string }
  | { code: 'NOT_AUTHORISED'; message: string }
  | { code: 'DELEGATION_INVALID'; message: string }
  | { code: 'SAME_PERSON'; message: string }
  | { code: 'COMMENT_REQUIRED'; message: string };

const holds = (actor: Actor, step: ApprovalStepSpec) => actor.unit === step.unit && actor.roles.includes(step.role);

/**
 * Why this decision may not be recorded, or undefined when it may. The approval
 * workflow's Update validator calls it, so a refusal reaches the person at once and
 * leaves no trace in history.
 */
export function checkDecision(state: ApprovalState, request: DecisionRequest): DecisionRefusal | undefined {
  if (state.outcome) {
    return { code: 'APPROVAL_CLOSED', message: `this approval is already closed (${state.outcome})` };
  }
  if (request.version !== state.version) {
    return {
      code: 'STALE_VERSION',
      message: `draft version ${request.version} is not the one under approval (version ${state.version})`,
    };
  }
  const step = state.chain[state.stepIndex];
  if (request.step !== step.step) {
    return { code: 'WRONG_STEP', message: `step "${request.step}" is not open; the open step is "${step.step}"` };
  }
  if (request.decision !== 'approve' && request.comment.trim().length === 0) {
    return { code: 'COMMENT_REQUIRED', message: 'a comment is required to request changes or reject' };
  }
  // Four eyes: whoever decided an earlier step of this chain, as themselves or by lending
  // their authority, decides no other step of it in either capacity.
  const decidedBefore = new Set(state.decisions.flatMap((d) => [d.by.userId, ...(d.onBehalfOf ? [d.onBehalfOf.userId] : [])]));
  const people = [request.actor, ...(request.delegation ? [request.delegation.from] : [])];
  const again = people.find((p) => decidedBefore.has(p.userId));
  if (again) {
    return { code: 'SAME_PERSON', message: `${again.name} already decided a step of this approval chain; another person must decide "${step.label}"` };
  }
  if (request.delegation) {
    const d = request.delegation;
    if (!holds(d.from, step)) {
      return { code: 'DELEGATION_INVALID', message: `${d.from.name} does not hold the authority for step "${step.label}"` };
    }
    const refusal = delegationRefusal(d, request.actor, request.today);
    if (refusal) return { code: 'DELEGATION_INVALID', message: refusal };
    return undefined;
  }
  if (!holds(request.actor, step)) {
    return {
      code: 'NOT_AUTHORISED',
      message: `${request.actor.name} may not decide step "${step.label}": it needs role "${step.role}" in unit "${step.unit}"`,
    };
  }
  return undefined;
}

export const currentStep = (state: ApprovalState): ApprovalStepSpec | undefined =>
  state.outcome ? undefined : state.chain[state.stepIndex];
