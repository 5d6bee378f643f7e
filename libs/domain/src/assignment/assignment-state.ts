import type { Actor, AssignmentEvent, Attachment, Decision } from './assignment-events';
import type { AssignmentSpec, Deadline, ScheduleEntry } from './assignment-spec';
import { isIsoDate } from '../calendar/iso-date';
import type { WaitKind, WaitingOn } from './waits';
import type { CommentRequestRecord } from './coordination';

/**
 * Where an assignment stands. `open` waits for a submission; `awaiting-approval` waits
 * for the approval chain; the last four are final.
 */
export type Lifecycle = 'open' | 'awaiting-approval' | 'done' | 'rejected' | 'cancelled';

export interface SubmissionRecord {
  version: number;
  text: string;
  attachments: Attachment[];
  by: Actor;
  at: string;
  cites?: string;
  difficulties?: string;
  /** The answer to `difficulties` from the body the report went to (patch esc2-difficulty-answer). */
  difficultyAnswer?: { text: string; by: Actor; at: string };
  /** Set when the difficulty stopped waiting unanswered (its plan closed first). */
  difficultyClosedAt?: string;
  outcome?: Decision;
  comment?: string;
  decidedBy?: Actor;
  onBehalfOf?: Actor;
}

export interface ExtensionRecord {
  requestId: string;
  reason: string;
  proposedDate: string;
  requestedBy: Actor;
  requestedAt: string;
  status: 'pending' | 'granted' | 'refused';
  decidedBy?: Actor;
  comment?: string;
  /** The date granted (may differ from the proposed one). */
  grantedDate?: string;
}

/** A side effect that gave up; kept (the last few) so the Standing Office and the audit log see it. */
export interface SideEffectFailure {
  at: string;
  effect: 'projection' | 'notice';
  key?: string;
  code: string;
  message: string;
  willRetry: boolean;
}

export interface AssignmentState {
  id: string;
  kind: AssignmentSpec['kind'];
  /** Whether a submission goes through an approval chain (drafting; any kind the plan gives a chain). */
  requiresApproval: boolean;
  lifecycle: Lifecycle;
  /** The deadline in force (after extensions, send-backs and shifts). */
  deadline: Deadline;
  /** The first deadline, kept for on-time statistics. */
  originalDeadline: Deadline;
  /** Set when a reorganisation handed the assignment over: the unit that leads it now. */
  leadUnit?: string;
  schedule: ScheduleEntry[];
  /** Indexes into `schedule` that already fired; reset when the schedule is replaced. */
  fired: number[];
  escalationLevel: number;
  submissions: SubmissionRecord[];
  approvalId?: string;
  extensions: ExtensionRecord[];
  completedAt?: string;
  /** Number of events folded; the read model uses it to apply each snapshot once, in order. */
  seq: number;
  lastEventAt?: string;
  /** Side effects that failed for good or are waiting out an outage; absent when none ever failed. */
  sideEffectFailures?: SideEffectFailure[];
  /**
   * What waited or waits on a person other than the lead unit (an extension decision), with
   * its deadline and level; `closedAt` once answered. Absent in assignments without any.
   */
  waits?: AssignmentWait[];
  /** Comments asked of coordinating units (xin ý kiến) and their answers; absent when none was asked. */
  commentRequests?: CommentRequestRecord[];
}

export interface AssignmentWait extends WaitingOn {
  closedAt?: string;
}

/**
 * Whether a wait of this kind still waits in this lifecycle: until the assignment is final,
 * except an answer to a reported difficulty, which a report done still waits for.
 */
const waitsIn = (kind: WaitKind, lifecycle: AssignmentState['lifecycle']): boolean => !isFinalLifecycle(lifecycle) || (kind === 'difficulty-answer' && lifecycle === 'done');

/** The waits still open (not answered, the assignment not final, or a done report's difficulty). */
export const openWaits = (state: AssignmentState): AssignmentWait[] => (state.waits ?? []).filter((w) => !w.closedAt && waitsIn(w.kind, state.lifecycle));

/** The submission whose difficulties wait for an answer, if any (the latest such). */
/** Who answers a reported difficulty in the body the report went to: its approvers and its Standing Office people (a unit head decides steps, not difficulties). */
export const DIFFICULTY_ANSWER_ROLES: readonly string[] = ['approver', 'standing-office'];
export const mayAnswerDifficulty = (roles: readonly string[]): boolean => roles.some((r) => DIFFICULTY_ANSWER_ROLES.includes(r));

export const unansweredDifficulty = (state: AssignmentState): SubmissionRecord | undefined =>
  state.lifecycle === 'cancelled' ? undefined : [...state.submissions].reverse().find((s) => s.difficulties?.trim() && !s.difficultyAnswer && !s.difficultyClosedAt);

const closeWaits = (state: AssignmentState, at: string, which: (w: AssignmentWait) => boolean): Pick<AssignmentState, 'waits'> =>
  state.waits ? { waits: state.waits.map((w) => (!w.closedAt && which(w) ? { ...w, closedAt: at } : w)) } : {};

/** How many side-effect failures the state keeps; the audit log keeps them all. */
export const SIDE_EFFECT_FAILURES_KEPT = 10;

export function initialAssignmentState(spec: AssignmentSpec): AssignmentState {
  return {
    id: spec.id,
    kind: spec.kind,
    requiresApproval: (spec.approvalChain?.length ?? 0) > 0,
    lifecycle: 'open',
    deadline: spec.deadline,
    originalDeadline: spec.deadline,
    schedule: spec.schedule,
    fired: [],
    escalationLevel: 0,
    submissions: [],
    extensions: [],
    seq: 0,
  };
}

/** The final lifecycles (nothing more happens to the assignment), e.g. for SQL filters. */
export const FINAL_LIFECYCLES: readonly Lifecycle[] = ['done', 'rejected', 'cancelled'];
/** Whether a lifecycle is final (nothing more happens to the assignment). */
export const isFinalLifecycle = (l: Lifecycle) => FINAL_LIFECYCLES.includes(l);

/**
 * The one reducer of an assignment. The workflow folds its events through it, its
 * queries return the result, and an auditor rebuilds the state at any event with it.
 * Pure and total: an event that does not apply leaves the state as it was.
 */
export function reduceAssignment(state: AssignmentState, event: AssignmentEvent): AssignmentState {
  const next = { ...state, seq: state.seq + 1, lastEventAt: event.at };
  switch (event.type) {
    case 'opened':
      return { ...next, deadline: event.deadline, originalDeadline: event.deadline, schedule: event.schedule, fired: [] };
    case 'submitted': {
      const record: SubmissionRecord = {
        version: event.version,
        text: event.text,
        attachments: event.attachments,
        by: event.by,
        at: event.at,
        cites: event.cites,
        difficulties: event.difficulties,
      };
      const needsApproval = state.requiresApproval;
      return {
        ...next,
        submissions: [...state.submissions, record],
        lifecycle: needsApproval ? 'awaiting-approval' : 'done',
        completedAt: needsApproval ? undefined : event.at,
      };
    }
    case 'approval-opened':
      return { ...next, approvalId: event.approvalId };
    case 'approval-closed': {
      const submissions = state.submissions.map((s) =>
        s.version === event.version
          ? { ...s, outcome: event.outcome, comment: event.comment, decidedBy: event.by, onBehalfOf: event.onBehalfOf }
          : s,
      );
      if (event.outcome === 'approve') return { ...next, submissions, lifecycle: 'done', completedAt: event.at };
      if (event.outcome === 'reject') return { ...next, submissions, lifecycle: 'rejected', completedAt: event.at };
      return {
        ...next,
        submissions,
        lifecycle: 'open',
        deadline: event.deadline ?? state.deadline,
        schedule: event.schedule ?? state.schedule,
        fired: event.schedule ? [] : state.fired,
        escalationLevel: event.schedule ? 0 : state.escalationLevel,
      };
    }
    case 'timer-fired':
      if (state.fired.includes(event.index)) return state;
      return {
        ...next,
        fired: [...state.fired, event.index],
        escalationLevel: Math.max(state.escalationLevel, event.entry.level),
      };
    case 'extension-requested':
      return {
        ...next,
        extensions: [
          ...state.extensions,
          {
            requestId: event.requestId,
            reason: event.reason,
            proposedDate: event.proposedDate,
            requestedBy: event.by,
            requestedAt: event.at,
            status: 'pending',
          },
        ],
      };
    case 'extension-decided': {
      const extensions = state.extensions.map((x) =>
        x.requestId === event.requestId
          ? {
              ...x,
              status: event.granted ? ('granted' as const) : ('refused' as const),
              decidedBy: event.by,
              comment: event.comment,
              ...(event.granted && event.date ? { grantedDate: event.date } : {}),
            }
          : x,
      );
      const answered = closeWaits(state, event.at, (w) => w.kind === 'extension-decision' && w.ref === event.requestId);
      if (!event.granted || !event.deadline || !event.schedule) return { ...next, extensions, ...answered };
      return { ...next, extensions, ...answered, deadline: event.deadline, schedule: event.schedule, fired: [], escalationLevel: 0 };
    }
    case 'deadline-shifted':
      return { ...next, deadline: event.deadline, schedule: event.schedule, fired: [], escalationLevel: 0 };
    case 'deadline-rescheduled':
      // A final assignment keeps the deadline it closed with.
      if (isFinalLifecycle(state.lifecycle)) return next;
      return { ...next, deadline: event.deadline, schedule: event.schedule, fired: [], escalationLevel: 0 };
    case 'side-effect-failed': {
      const { type: _type, ...failure } = event;
      return { ...next, sideEffectFailures: [...(state.sideEffectFailures ?? []), failure].slice(-SIDE_EFFECT_FAILURES_KEPT) };
    }
    case 'cancelled':
      return { ...next, lifecycle: 'cancelled', completedAt: event.at, ...closeWaits(state, event.at, () => true) };
    case 'wait-opened':
      if (!waitsIn(event.kind, state.lifecycle)) return next;
      return {
        ...next,
        waits: [...(state.waits ?? []), { kind: event.kind, ref: event.ref, unit: event.unit, since: event.since, deadline: event.deadline, level: 0 }],
      };
    case 'wait-escalated':
      return {
        ...next,
        ...(state.waits
          ? { waits: state.waits.map((w) => (!w.closedAt && w.kind === event.kind && w.ref === event.ref ? { ...w, level: Math.max(w.level, event.level) } : w)) }
          : {}),
      };
    case 'handed-over':
      return { ...next, leadUnit: event.to };
    case 'comments-requested':
      if (isFinalLifecycle(state.lifecycle)) return next;
      return {
        ...next,
        commentRequests: [
          ...(state.commentRequests ?? []),
          { requestId: event.requestId, question: event.question, units: [...event.units], version: event.version, limit: event.limit, requestedBy: event.by, requestedAt: event.at, comments: [] },
        ],
      };
    case 'comment-given':
      return {
        ...next,
        commentRequests: (state.commentRequests ?? []).map((r) =>
          r.requestId === event.requestId && !r.comments.some((c) => c.unit === event.unit)
            ? { ...r, comments: [...r.comments, { unit: event.unit, text: event.text, by: event.by, at: event.at }] }
            : r,
        ),
        ...closeWaits(state, event.at, (w) => w.kind === 'coordination-comment' && w.ref === `${event.requestId}:${event.unit}`),
      };
    case 'difficulty-answered':
      return {
        ...next,
        submissions: state.submissions.map((s) => (s.version === event.version ? { ...s, difficultyAnswer: { text: event.text, by: event.by, at: event.at } } : s)),
        ...closeWaits(state, event.at, (w) => w.kind === 'difficulty-answer' && w.ref === `v${event.version}`),
      };
    case 'difficulty-closed':
      return {
        ...next,
        submissions: state.submissions.map((s) => (s.version === event.version ? { ...s, difficultyClosedAt: event.at } : s)),
        ...closeWaits(state, event.at, (w) => w.kind === 'difficulty-answer' && w.ref === `v${event.version}`),
      };
  }
}

/** Folds a whole history; `upTo` stops after that many events (for "state at event N"). */
export function foldAssignment(spec: AssignmentSpec, events: AssignmentEvent[], upTo = events.length): AssignmentState {
  return events.slice(0, upTo).reduce(reduceAssignment, initialAssignmentState(spec));
}

/**
 * How an assignment opens: its first event, at `at`. The workflow records it as its first step;
 * a starter that writes the opening into the read model itself (the plan's page activity,
 * patch `perf3-opening-projection`) writes `assignmentOpening` of the same spec and time, so the
 * row and events are those the workflow's first round of effects would have written.
 */
export const openingEvent = (spec: Pick<AssignmentSpec, 'deadline' | 'schedule'>, at: string): AssignmentEvent => ({
  type: 'opened',
  at,
  deadline: spec.deadline,
  schedule: spec.schedule,
});

/** An assignment just opened, as its first projection shows it: the spec, the state after `openingEvent`, that one event as seq 1. */
export function assignmentOpening(spec: AssignmentSpec, at: string): { spec: AssignmentSpec; state: AssignmentState; events: AssignmentEvent[]; firstSeq: number } {
  const event = openingEvent(spec, at);
  return { spec, state: foldAssignment(spec, [event]), events: [event], firstSeq: 1 };
}

/** The unit that leads an assignment now: the spec's, unless a reorganisation handed it over. */
export const leadUnitOf = (spec: Pick<AssignmentSpec, 'leadUnit'>, state: Pick<AssignmentState, 'leadUnit'>): string => state.leadUnit ?? spec.leadUnit;

export const isAssignmentFinal = (state: AssignmentState): boolean => isFinalLifecycle(state.lifecycle);

/** The next timer that has not fired yet, in schedule order, or undefined. */
export function nextPendingTimer(state: AssignmentState): { index: number; entry: ScheduleEntry } | undefined {
  if (isFinalLifecycle(state.lifecycle) || state.lifecycle === 'awaiting-approval') return undefined;
  for (let index = 0; index < state.schedule.length; index++) {
    if (!state.fired.includes(index)) return { index, entry: state.schedule[index] };
  }
  return undefined;
}

export interface DeadlineRefusal {
  code: 'INVALID';
  field: string;
  message: string;
}

/**
 * Whether `date` may become the new deadline of an extension (requested or granted): a
 * real calendar date (yyyy-mm-dd, so 2020-02-31 is refused) after the deadline in force.
 * A grant can only give more time; shortening a deadline is a deadline shift's business.
 * Used by the workflow validators and by the API, so both refuse the same dates.
 */
export function checkExtensionDate(state: Pick<AssignmentState, 'deadline'>, date: string, field = 'date'): DeadlineRefusal | undefined {
  if (typeof date !== 'string' || !isIsoDate(date)) {
    return { code: 'INVALID', field, message: `${field} must be a calendar date yyyy-mm-dd, not "${String(date)}"` };
  }
  if (date <= state.deadline.effective) {
    return { code: 'INVALID', field, message: `${field} must be after the current deadline ${state.deadline.effective}` };
  }
  return undefined;
}

/** A deadline shift's date: any real calendar date (a shift may also bring a deadline forward). */
export function checkShiftDate(date: string, field = 'date'): DeadlineRefusal | undefined {
  if (typeof date !== 'string' || !isIsoDate(date)) {
    return { code: 'INVALID', field, message: `${field} must be a calendar date yyyy-mm-dd, not "${String(date)}"` };
  }
  return undefined;
}

export const latestSubmission = (state: AssignmentState): SubmissionRecord | undefined => state.submissions.at(-1);
