import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { AssignmentActivities } from './activities.contract';

const { sendOverdueSummaries } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

export interface OverdueSummaryInput {
  planId: string;
  /** The plan's summary rule (its escalation policies'): weekly unless `everySeconds` (tests). */
  rule: { everySeconds?: number };
  noticeTime: string;
  timeZone?: string;
  /** Periods per run before continuing as new, so history stays bounded. */
  periodsPerRun?: number;
}

/**
 * One per plan (`summary:<plan>`): at each period, every unit that was told of an item's
 * escalation gets one notice listing all items still overdue for it, by level, instead of a
 * notice per item per repeat. Ends when the plan has no open assignment left.
 *
 * A workflow with a durable timer rather than a Temporal Schedule: it lives and ends with
 * its plan (started by the plan workflow, no schedule to create or delete from the API),
 * its period comes from the plan file, and a missed period (worker down) is sent once late.
 */
export async function overdueSummaryWorkflow(input: OverdueSummaryInput): Promise<void> {
  const { planId, rule, noticeTime, timeZone, periodsPerRun = 50 } = input;
  const request = { planId, rule, noticeTime, timeZone };
  let { nextAt } = await sendOverdueSummaries({ ...request, now: new Date().toISOString() });
  for (let period = 0; period < periodsPerRun; period++) {
    await sleep(Math.max(0, Date.parse(nextAt) - Date.now()));
    const result = await sendOverdueSummaries({ ...request, periodAt: nextAt, now: new Date().toISOString() });
    if (result.open === 0) return;
    nextAt = result.nextAt;
  }
  await continueAsNew<typeof overdueSummaryWorkflow>(input);
}
