import type { Actor } from './assignment-events';
import type { AssignmentSpec } from './assignment-spec';
import { isFinalLifecycle, leadUnitOf, type AssignmentState } from './assignment-state';
import type { WaitLimit } from './waits';

/**
 * Xin ý kiến: the lead unit asks coordinating units (phối hợp) for written comments on its
 * draft by a deadline; each unit answers once. One definition of who may ask, who may answer
 * and what is accepted, used by the workflow's Update validators and by the API and pages.
 */
export interface CommentRecord {
  unit: string;
  text: string;
  by: Actor;
  at: string;
}

export interface CommentRequestRecord {
  requestId: string;
  question: string;
  units: string[];
  /** The draft version the request is about (0: before any version was submitted). */
  version: number;
  limit: WaitLimit;
  requestedBy: Actor;
  requestedAt: string;
  comments: CommentRecord[];
}

/** Longest question and comment, in characters (the API documents the same). */
export const COMMENT_TEXT_MAX = 10_000;
/** The most working days a lead unit may give for comments. */
export const COMMENT_MAX_WORKING_DAYS = 30;

export interface CommentRequestInput {
  requestId: string;
  units: string[];
  question: string;
  /** Absent: the plan's `responseDeadlines.coordinationComment`. */
  limit?: WaitLimit;
  actor: Actor;
}

export interface CommentInput {
  requestId: string;
  text: string;
  actor: Actor;
}

export interface CoordinationRefusal {
  code: 'NOT_ACCEPTING' | 'NOT_AUTHORISED' | 'INVALID' | 'DUPLICATE' | 'NOT_FOUND' | 'ALREADY_ANSWERED';
  field?: string;
  message: string;
}

/** The coordinating units of an assignment now (a hand-over may have made one of them the lead). */
export function coordinatingUnitsOf(spec: Pick<AssignmentSpec, 'leadUnit' | 'coordinatingUnits'>, state: Pick<AssignmentState, 'leadUnit'>): string[] {
  const lead = leadUnitOf(spec, state);
  return spec.coordinatingUnits.filter((c) => c !== lead);
}

/** The time limit a request runs for: its own, or the plan's default; undefined when neither is set. */
export const commentLimitOf = (spec: Pick<AssignmentSpec, 'responseDeadlines'>, request: Pick<CommentRequestInput, 'limit'>): WaitLimit | undefined =>
  request.limit ?? spec.responseDeadlines?.coordinationComment?.limit;

const invalidLimit = (limit: WaitLimit): string | undefined => {
  if ('seconds' in limit) return Number.isInteger(limit.seconds) && limit.seconds > 0 ? undefined : 'seconds must be a positive whole number';
  return Number.isInteger(limit.workingDays) && limit.workingDays >= 1 && limit.workingDays <= COMMENT_MAX_WORKING_DAYS
    ? undefined
    : `the deadline is 1 to ${COMMENT_MAX_WORKING_DAYS} working days`;
};

/** Why the lead unit may not ask for these comments now, or undefined when it may. */
export function checkCommentRequest(spec: AssignmentSpec, state: AssignmentState, request: CommentRequestInput): CoordinationRefusal | undefined {
  if (isFinalLifecycle(state.lifecycle)) return { code: 'NOT_ACCEPTING', message: `this assignment is ${state.lifecycle}; it takes no comment request` };
  const lead = leadUnitOf(spec, state);
  if (request.actor.unit !== lead) return { code: 'NOT_AUTHORISED', message: `only the lead unit ${lead} asks its coordinating units for comments` };
  if ((state.commentRequests ?? []).some((r) => r.requestId === request.requestId)) return { code: 'DUPLICATE', field: 'requestId', message: `request ${request.requestId} exists` };
  const coordinating = coordinatingUnitsOf(spec, state);
  if (!Array.isArray(request.units) || request.units.length === 0) return { code: 'INVALID', field: 'units', message: 'pick at least one coordinating unit' };
  const stranger = request.units.find((u) => !coordinating.includes(u));
  if (stranger !== undefined) return { code: 'INVALID', field: 'units', message: `${stranger} is not a coordinating unit of this assignment (${coordinating.join(', ') || 'none'})` };
  if (new Set(request.units).size !== request.units.length) return { code: 'INVALID', field: 'units', message: 'a unit is named twice' };
  if (typeof request.question !== 'string' || !request.question.trim()) return { code: 'INVALID', field: 'question', message: 'the question must not be empty' };
  if (request.question.length > COMMENT_TEXT_MAX) return { code: 'INVALID', field: 'question', message: `the question has at most ${COMMENT_TEXT_MAX} characters` };
  const limit = commentLimitOf(spec, request);
  if (!limit) return { code: 'INVALID', field: 'workingDays', message: 'give a deadline in working days (the plan sets no default)' };
  const bad = invalidLimit(limit);
  if (bad) return { code: 'INVALID', field: 'workingDays', message: bad };
  return undefined;
}

/** Why this person may not give this comment now, or undefined when they may. */
export function checkComment(state: AssignmentState, comment: CommentInput): CoordinationRefusal | undefined {
  if (isFinalLifecycle(state.lifecycle)) return { code: 'NOT_ACCEPTING', message: `this assignment is ${state.lifecycle}; it takes no comment` };
  const request = (state.commentRequests ?? []).find((r) => r.requestId === comment.requestId);
  if (!request) return { code: 'NOT_FOUND', field: 'requestId', message: `no comment request ${comment.requestId}` };
  if (!request.units.includes(comment.actor.unit)) return { code: 'NOT_AUTHORISED', message: `request ${comment.requestId} asks ${request.units.join(', ')}, not ${comment.actor.unit}` };
  if (request.comments.some((c) => c.unit === comment.actor.unit)) return { code: 'ALREADY_ANSWERED', message: `${comment.actor.unit} already answered request ${comment.requestId}` };
  if (typeof comment.text !== 'string' || !comment.text.trim()) return { code: 'INVALID', field: 'text', message: 'the comment must not be empty' };
  if (comment.text.length > COMMENT_TEXT_MAX) return { code: 'INVALID', field: 'text', message: `a comment has at most ${COMMENT_TEXT_MAX} characters` };
  return undefined;
}

/** The wait of one unit on one request: its `ref` in the assignment's waits. */
export const commentWaitRef = (requestId: string, unit: string) => `${requestId}:${unit}`;

/** The requests still waiting on `unit` (not answered by it, the assignment not final). */
export function commentsAwaited(state: AssignmentState, unit: string): CommentRequestRecord[] {
  if (isFinalLifecycle(state.lifecycle)) return [];
  return (state.commentRequests ?? []).filter((r) => r.units.includes(unit) && !r.comments.some((c) => c.unit === unit));
}
