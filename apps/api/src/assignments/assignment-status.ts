import type { AssignmentEntity } from '@dieu-hanh/persistence';

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
