import type { DataSource } from 'typeorm';
import { waitedOnStats, type WaitTimelinessInput, type WaitedOnStats, type WorkingCalendar } from '@dieu-hanh/domain';
import type { AssignmentWait, StepWait } from '@dieu-hanh/domain/assignment';

/** One row of the "waited on" statistics, with the unit's name for pages. */
export interface WaitedOnRow extends WaitedOnStats {
  name: string;
}

/**
 * Everything of a plan that waited or waits on a person with a deadline, from the read model:
 * each approval step (who held it) and each extension decision (the Standing Office). Their
 * lateness is counted against the unit waited on, never against the unit that submitted.
 */
export async function planWaits(db: DataSource, planKey: string): Promise<WaitTimelinessInput[]> {
  const rows = (await db.query(
    `SELECT w FROM approvals a, jsonb_array_elements(COALESCE(a.state->'stepWaits', '[]'::jsonb)) w WHERE a.plan_key = $1
     UNION ALL
     SELECT w FROM assignments s, jsonb_array_elements(COALESCE(s.state->'waits', '[]'::jsonb)) w WHERE s.plan_key = $1`,
    [planKey],
  )) as { w: StepWait | AssignmentWait }[];
  return rows.map(({ w }) => ({ unit: w.unit, since: w.since, deadline: w.deadline, closedAt: w.closedAt }));
}

/** Per unit waited on, named, optionally only the waits whose deadline falls in `[from, to)`. */
export function waitedOnRows(
  waits: WaitTimelinessInput[],
  unitName: (code: string) => string,
  now: Date,
  calendar: WorkingCalendar,
  window?: { from: Date; to: Date },
): WaitedOnRow[] {
  const inWindow = window
    ? waits.filter((w) => w.deadline && Date.parse(w.deadline.dueAt) >= window.from.getTime() && Date.parse(w.deadline.dueAt) < window.to.getTime())
    : waits;
  return waitedOnStats(inWindow, now.toISOString(), calendar).map((s) => ({ ...s, name: unitName(s.unit) }));
}
