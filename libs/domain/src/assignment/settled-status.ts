import type { AssignmentState } from './assignment-state';

/**
 * The part of an assignment's status that no longer moves with the clock. It lives here,
 * beside the reducer and free of the calendar, because workflows write it into the DhStatus
 * search attribute; `assignmentStatus` (libs/domain/src/status) adds the clock for open ones.
 */
export type SettledStatus = 'not-due' | 'overdue' | 'done-on-time' | 'done-late' | 'cancelled' | 'rejected';

/** What the status of an assignment is judged from: a slice of its reducer state. */
export type StatusState = Pick<AssignmentState, 'lifecycle' | 'deadline' | 'submissions' | 'completedAt'>;

function epochMs(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO instant: "${iso}"`);
  return ms;
}

/** True when `at` is past the deadline. The deadline covers its whole last second (23:59:59). */
export function isLate(at: string, dueAt: string): boolean {
  return epochMs(at, 'at') >= epochMs(dueAt, 'dueAt') + 1000;
}

/**
 * Settled status, or null while the assignment is open (then the clock decides).
 *
 * - done: the version that was finally approved (or, without a chain, the last one
 *   submitted) against the deadline in force when it closed: a send-back's new deadline
 *   or a granted extension counts, the first submission does not;
 * - awaiting approval: the unit's clock stops while the approvers hold the draft, so the
 *   pending version decides: submitted late is overdue, otherwise not yet due;
 * - rejected and cancelled are their own statuses, never "done" or "overdue".
 */
export function settledStatus(state: StatusState): SettledStatus | null {
  const dueAt = state.deadline.dueAt;
  switch (state.lifecycle) {
    case 'open':
      return null;
    case 'cancelled':
      return 'cancelled';
    case 'rejected':
      return 'rejected';
    case 'awaiting-approval': {
      const pending = state.submissions.at(-1);
      return pending && isLate(pending.at, dueAt) ? 'overdue' : 'not-due';
    }
    case 'done': {
      const approved = state.submissions.findLast((s) => s.outcome === 'approve') ?? state.submissions.at(-1);
      const at = approved?.at ?? state.completedAt;
      return at !== undefined && isLate(at, dueAt) ? 'done-late' : 'done-on-time';
    }
  }
}
