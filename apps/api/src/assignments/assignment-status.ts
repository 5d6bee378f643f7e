import { classifyStatus, createWorkingCalendar, type StatusCode, type WorkingCalendar } from '@dieu-hanh/domain';
import type { AssignmentEntity } from '@dieu-hanh/persistence';

export type StatusRow = Pick<AssignmentEntity, 'lifecycle' | 'submissionCount' | 'firstSubmittedAt' | 'completedAt' | 'dueAt'>;

const defaultCalendar = createWorkingCalendar();

/**
 * The status taxonomy of one read-model row, now: the one place the API, the web UI
 * and the exports get it from. A finished assignment counts from its first
 * submission: a unit that submitted its draft by the deadline was on time, however
 * long the approval took.
 */
export function assignmentStatus(row: StatusRow, now = new Date(), calendar: WorkingCalendar = defaultCalendar): StatusCode {
  const finished = row.lifecycle === 'done' || row.lifecycle === 'rejected';
  const completedAt = finished ? (row.firstSubmittedAt ?? row.completedAt) : null;
  return classifyStatus({
    started: row.submissionCount > 0,
    completedAt: completedAt ? completedAt.toISOString() : undefined,
    dueAt: row.dueAt.toISOString(),
    now: now.toISOString(),
    calendar,
  });
}
