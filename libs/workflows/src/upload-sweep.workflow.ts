import { proxyActivities } from '@temporalio/workflow';
import type { UploadActivities, UploadSweepRequest, UploadSweepResult } from './activities.contract';

const { sweepUploads } = proxyActivities<UploadActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/**
 * One pass of the sweep of uploaded files never submitted, started by a Temporal Schedule
 * (`upload-sweep:<task queue>`, created by the worker): a short run, nothing to replay across
 * passes, and the schedule itself is visible (and pausable) in Temporal's UI and CLI. The
 * activity is idempotent, so a retried or overlapping pass removes nothing twice.
 */
export async function uploadSweepWorkflow(input: UploadSweepRequest): Promise<UploadSweepResult> {
  return sweepUploads(input);
}
