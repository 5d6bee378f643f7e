import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
} from '@temporalio/workflow';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import type { AssignmentActivities, ReportPeriod } from './activities.contract';
import { assignmentClosedSignal, cancelSignal, handOverSignal, periodAssignmentId, reportDutyQuery } from './definitions';
import { PATCH_AMEND_HANDOVER, assignmentWorkflow } from './assignment.workflow';

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
  /** Every period workflow the duty opened in earlier runs, so cancelling the duty can cancel them. */
  openedPeriodIds?: string[];
}

/** Duties started from here on cancel their period workflows when they are cancelled. */
export const PATCH_MONTHLY_CANCELS_PERIODS = 'monthly-cancels-periods';
/**
 * Duties started from here on stop after the last period the plan gives them (the activity
 * marks it `last`) and title each period by its report ("Báo cáo quý I/2021 — …").
 */
export const PATCH_RHYTHMS = 'plan2-rhythms';

/**
 * A periodic reporting duty (III.6: monthly, or any rhythm the plan gives): opens one
 * period after another, each its own assignment workflow with its deadline and timers (so
 * a missing report keeps escalating after the next period opens), the next one only once
 * the current one's deadline has passed; continues as new every few periods, and stops
 * after its last period.
 */
export async function monthlyReportWorkflow(input: MonthlyReportInput): Promise<void> {
  const { spec, periodsPerRun = 12 } = input;
  // Period workflows are abandoned children (they outlive continue-as-new), so nothing
  // closes them with the duty unless the duty does it itself.
  const cancelsPeriods = patched(PATCH_MONTHLY_CANCELS_PERIODS);
  const rhythms = patched(PATCH_RHYTHMS);
  let ended = false;
  const opened = [...(input.openedPeriodIds ?? [])];
  let after = input.after;
  let periodsLeft = input.periodsLeft;
  let current: ReportPeriod | undefined;
  let stopped = false;
  const periodIds: string[] = [];

  setHandler(reportDutyQuery, () => ({ after, current, periodIds }));
  setHandler(cancelSignal, () => {
    stopped = true;
  });
  // The lead unit ended: later periods open for its successor, and the periods already
  // open pass to it too (a closed one answers "not found").
  let lead = spec.leadUnit;
  setHandler(handOverSignal, async (handOver) => {
    if (lead === handOver.to) return;
    patched(PATCH_AMEND_HANDOVER);
    lead = handOver.to;
    await Promise.all(opened.map((id) => getExternalWorkflowHandle(id).signal(handOverSignal, handOver).catch(() => undefined)));
  });
  const cancelPeriods = () =>
    CancellationScope.nonCancellable(() =>
      // A period already closed answers "not found"; that is fine.
      Promise.all(opened.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined))),
    );

  const openPeriods = async () => {
    for (let i = 0; i < periodsPerRun && !stopped && !ended && (periodsLeft === undefined || periodsLeft > 0); i++) {
      current = await nextReportPeriod({ spec, after });
      const periodSpec: AssignmentSpec = {
        ...spec,
        ...(lead !== spec.leadUnit ? { leadUnit: lead, coordinatingUnits: spec.coordinatingUnits.filter((c) => c !== lead) } : {}),
        id: periodAssignmentId(spec.id, current.period),
        title: rhythms && current.title !== undefined ? current.title : `${spec.title} — kỳ ${current.period}`,
        deadline: current.deadline,
        schedule: current.schedule,
      };
      periodIds.push(periodSpec.id);
      opened.push(periodSpec.id);
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
      if (rhythms && current.last) ended = true;
    }
  };

  try {
    await openPeriods();
  } catch (err) {
    if (!cancelsPeriods || !isCancellation(err)) throw err;
    await cancelPeriods();
    throw err;
  }
  if (cancelsPeriods && stopped) await cancelPeriods();

  if (!stopped && !ended && (periodsLeft === undefined || periodsLeft > 0)) {
    await continueAsNew<typeof monthlyReportWorkflow>({ ...input, ...(lead !== spec.leadUnit ? { spec: { ...spec, leadUnit: lead } } : {}), after, periodsLeft, ...(cancelsPeriods ? { openedPeriodIds: opened } : {}) });
  }
  if (input.planWorkflowId) {
    await getExternalWorkflowHandle(input.planWorkflowId).signal(assignmentClosedSignal, { assignmentId: spec.id, lifecycle: 'done' });
  }
}
