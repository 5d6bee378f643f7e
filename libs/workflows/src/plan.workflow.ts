import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { assignmentClosedSignal, closePlanSignal, planProgressQuery } from './definitions';
import { assignmentWorkflow } from './assignment.workflow';
import { monthlyReportWorkflow } from './monthly-report.workflow';

export interface PlanWorkflowInput {
  /** The plan version's id in the read model (also in each spec). */
  planId: string;
  specs: AssignmentSpec[];
  /** How many specs earlier runs already started (continue-as-new carries it). */
  startedCount?: number;
  closedIds?: string[];
  /** Children started per run before continuing as new, so history stays bounded for big plans. */
  startsPerRun?: number;
  /** How many children to start at once. */
  batchSize?: number;
}

/**
 * A launched plan: starts one workflow per assignment (a sliding window over runs for
 * plans with thousands of units), counts them closing, and cancels what is still
 * open when the plan is closed. Children are abandoned on continue-as-new, not
 * killed; they report back by signal to this workflow id.
 */
export async function planWorkflow(input: PlanWorkflowInput): Promise<{ total: number; closed: number; closedEarly: boolean }> {
  const { specs, startsPerRun = 1000, batchSize = 50 } = input;
  const planWorkflowId = workflowInfo().workflowId;
  const closed = new Set(input.closedIds ?? []);
  let started = input.startedCount ?? 0;
  let closing: string | undefined;

  setHandler(assignmentClosedSignal, ({ assignmentId }) => {
    closed.add(assignmentId);
  });
  setHandler(closePlanSignal, ({ reason }) => {
    closing = reason;
  });
  setHandler(planProgressQuery, () => ({ started, closed: closed.size, total: specs.length, closing: closing !== undefined }));

  const stopAt = Math.min(specs.length, started + startsPerRun);
  while (started < stopAt && closing === undefined) {
    const batch = specs.slice(started, Math.min(stopAt, started + batchSize));
    await Promise.all(batch.map((spec) => startAssignment(spec, planWorkflowId)));
    started += batch.length;
  }
  if (started < specs.length && closing === undefined) {
    await continueAsNew<typeof planWorkflow>({ ...input, startedCount: started, closedIds: [...closed] });
  }

  await condition(() => closing !== undefined || closed.size >= specs.length);
  if (closing !== undefined) {
    const open = specs.slice(0, started).filter((s) => !closed.has(s.id));
    await Promise.all(open.map((s) => getExternalWorkflowHandle(s.id).cancel().catch(() => undefined)));
  }
  return { total: specs.length, closed: closed.size, closedEarly: closing !== undefined };
}

async function startAssignment(spec: AssignmentSpec, planWorkflowId: string): Promise<void> {
  const options = {
    workflowId: spec.id,
    parentClosePolicy: ParentClosePolicy.ABANDON,
  };
  try {
    if (spec.kind === 'monthly-report') {
      await startChild(monthlyReportWorkflow, { ...options, args: [{ spec, planWorkflowId }] });
    } else {
      await startChild(assignmentWorkflow, { ...options, args: [{ spec, planWorkflowId }] });
    }
  } catch (err) {
    // Started by an earlier run of this plan (or by hand): one workflow per business key.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
