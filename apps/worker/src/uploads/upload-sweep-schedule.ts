import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { WORKFLOW_TYPES, uploadSweepScheduleId, type UploadSweepRequest } from '@dieu-hanh/workflows';

export interface UploadSweepSettings {
  taskQueue: string;
  everySeconds: number;
  graceSeconds: number;
}

/**
 * The Temporal Schedule of the uploads sweep, created when the worker starts (not a timer in
 * the API: Temporal keeps the rhythm, starts a pass even after a restart, and shows the
 * schedule and each pass). Created once; a later start with other settings updates it.
 * Overlapping passes are skipped (a pass is idempotent anyway).
 */
export async function ensureUploadSweepSchedule(client: Client, s: UploadSweepSettings): Promise<void> {
  const scheduleId = uploadSweepScheduleId(s.taskQueue);
  const args: [UploadSweepRequest] = [{ graceSeconds: s.graceSeconds }];
  const spec = { intervals: [{ every: s.everySeconds * 1000 }] };
  const action: ScheduleOptionsStartWorkflowAction<Workflow> = { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.uploadSweep, workflowId: `${scheduleId}:pass`, taskQueue: s.taskQueue, args };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
