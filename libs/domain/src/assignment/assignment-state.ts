import type { Actor, AssignmentEvent, Attachment, Decision } from './assignment-events';
import type { AssignmentSpec, Deadline, ScheduleEntry } from './assignment-spec';

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
}

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

const isFinal = (l: Lifecycle) => l === 'done' || l === 'rejected' || l === 'cancelled';

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
          ? { ...x, status: event.granted ? ('granted' as const) : ('refused' as const), decidedBy: event.by, comment: event.comment }
          : x,
      );
      if (!event.granted || !event.deadline || !event.schedule) return { ...next, extensions };
      return { ...next, extensions, deadline: event.deadline, schedule: event.schedule, fired: [], escalationLevel: 0 };
    }
    case 'deadline-shifted':
      return { ...next, deadline: event.deadline, schedule: event.schedule, fired: [], escalationLevel: 0 };
    case 'cancelled':
      return { ...next, lifecycle: 'cancelled', completedAt: event.at };
  }
}

/** Folds a whole history; `upTo` stops after that many events (for "state at event N"). */
export function foldAssignment(spec: AssignmentSpec, events: AssignmentEvent[], upTo = events.length): AssignmentState {
  return events.slice(0, upTo).reduce(reduceAssignment, initialAssignmentState(spec));
}

export const isAssignmentFinal = (state: AssignmentState): boolean => isFinal(state.lifecycle);

/** The next timer that has not fired yet, in schedule order, or undefined. */
export function nextPendingTimer(state: AssignmentState): { index: number; entry: ScheduleEntry } | undefined {
  if (isFinal(state.lifecycle) || state.lifecycle === 'awaiting-approval') return undefined;
  for (let index = 0; index < state.schedule.length; index++) {
    if (!state.fired.includes(index)) return { index, entry: state.schedule[index] };
  }
  return undefined;
}

export const latestSubmission = (state: AssignmentState): SubmissionRecord | undefined => state.submissions.at(-1);
