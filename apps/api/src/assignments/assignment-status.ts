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

/**
 * Of a plan's monthly report periods (`<duty id>:<YYYY-MM>`), the ids of the latest one
 * per duty: the matrix shows a duty once, at its current period; the monthly report
 * page and the statistics cover every period.
 */
export function latestReportPeriods(rows: Pick<AssignmentEntity, 'id' | 'kind'>[]): Set<string> {
  const latest = new Map<string, string>();
  for (const { id, kind } of rows) {
    if (kind !== 'monthly-report') continue;
    const duty = id.slice(0, id.lastIndexOf(':'));
    const seen = latest.get(duty);
    if (!seen || id > seen) latest.set(duty, id);
  }
  return new Set(latest.values());
}

/** Whether a row belongs in a matrix cell (every assignment, but only the latest report period). */
export const showsInMatrix = (row: Pick<AssignmentEntity, 'id' | 'kind'>, latest: Set<string>) => row.kind !== 'monthly-report' || latest.has(row.id);
