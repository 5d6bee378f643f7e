import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
} from '@temporalio/workflow';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import type { AssignmentActivities, ReportPeriod } from './activities.contract';
import { assignmentClosedSignal, cancelSignal, periodAssignmentId, reportDutyQuery } from './definitions';
import { assignmentWorkflow } from './assignment.workflow';

const { nextReportPeriod } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export interface MonthlyReportInput {
  spec: AssignmentSpec;
  planWorkflowId?: string;
  /** The last period this duty opened ('YYYY-MM'), carried across continue-as-new. */
  after?: string;
  /** Periods per run before continuing as new: history stays bounded over years. */
  periodsPerRun?: number;
  /** Stop after this many periods in total (undefined: until the plan closes it). */
  periodsLeft?: number;
}

/**
 * A monthly reporting duty (III.6): opens one period after another, each its own
 * assignment workflow with its deadline and timers (so a missing report keeps
 * escalating after the next period opens), and continues as new every few periods.
 */
export async function monthlyReportWorkflow(input: MonthlyReportInput): Promise<void> {
  const { spec, periodsPerRun = 12 } = input;
  let after = input.after;
  let periodsLeft = input.periodsLeft;
  let current: ReportPeriod | undefined;
  let stopped = false;
  const periodIds: string[] = [];

  setHandler(reportDutyQuery, () => ({ after, current, periodIds }));
  setHandler(cancelSignal, () => {
    stopped = true;
  });

  for (let i = 0; i < periodsPerRun && !stopped && (periodsLeft === undefined || periodsLeft > 0); i++) {
    current = await nextReportPeriod({ spec, after });
    const periodSpec: AssignmentSpec = {
      ...spec,
      id: periodAssignmentId(spec.id, current.period),
      title: `${spec.title} — kỳ ${current.period}`,
      deadline: current.deadline,
      schedule: current.schedule,
    };
    periodIds.push(periodSpec.id);
    try {
      await startChild(assignmentWorkflow, {
        workflowId: periodSpec.id,
        args: [{ spec: periodSpec }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    // The next period opens once this one's deadline has passed.
    const untilDue = Date.parse(current.deadline.dueAt) - Date.now();
    if (untilDue > 0) await Promise.race([sleep(untilDue), condition(() => stopped)]);
    after = current.period;
    if (periodsLeft !== undefined) periodsLeft--;
  }

  if (!stopped && (periodsLeft === undefined || periodsLeft > 0)) {
    await continueAsNew<typeof monthlyReportWorkflow>({ ...input, after, periodsLeft });
  }
  if (input.planWorkflowId) {
    await getExternalWorkflowHandle(input.planWorkflowId).signal(assignmentClosedSignal, { assignmentId: spec.id, lifecycle: 'done' });
  }
}
