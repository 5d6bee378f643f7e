import type { Actor, Decision } from './assignment-events';
import type { ApprovalStepSpec } from './assignment-spec';

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
  outcome?: Decision;
  closedAt?: string;
  seq: number;
}

export type ApprovalEvent = { type: 'decided'; at: string; record: ApprovalDecisionRecord } | { type: 'step-escalated'; at: string; step: string; level: number };

export interface Delegation {
  /** The person holding the authority. */
  from: Actor;
  /** Inclusive ISO dates (Asia/Ho_Chi_Minh) the delegate may act. */
  validFrom: string;
  validTo: string;
}

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
      if (event.record.decision !== 'approve') {
        return { ...next, decisions, outcome: event.record.decision, closedAt: event.at };
      }
      const stepIndex = state.stepIndex + 1;
      const closed = stepIndex >= state.chain.length;
      return { ...next, decisions, stepIndex, outcome: closed ? 'approve' : undefined, closedAt: closed ? event.at : undefined };
    }
    case 'step-escalated':
      return next;
  }
}

export type DecisionRefusal =
  | { code: 'APPROVAL_CLOSED'; message: string }
  | { code: 'STALE_VERSION'; message: string }
  | { code: 'WRONG_STEP'; message: string }
  | { code: 'NOT_AUTHORISED'; message: string }
  | { code: 'DELEGATION_INVALID'; message: string }
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
  if (request.delegation) {
    const d = request.delegation;
    if (!holds(d.from, step)) {
      return { code: 'DELEGATION_INVALID', message: `${d.from.name} does not hold the authority for step "${step.label}"` };
    }
    if (request.today < d.validFrom || request.today > d.validTo) {
      return { code: 'DELEGATION_INVALID', message: `the delegation from ${d.from.name} is valid ${d.validFrom}..${d.validTo}, not on ${request.today}` };
    }
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
