import { ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  checkDecision,
  currentStep,
  initialApprovalState,
  reduceApproval,
  type Actor,
  type ApprovalEvent,
  type ApprovalInput,
  type Decision,
} from '@dieu-hanh/domain/assignment';
import type { AssignmentActivities } from './activities.contract';
import { approvalStateQuery, decideUpdate } from './definitions';

const { projectApproval, sendNotice } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export interface ApprovalResult {
  approvalId: string;
  version: number;
  outcome: Decision;
  comment: string;
  by: Actor;
  onBehalfOf?: Actor;
}

/**
 * The approval chain of one draft version (III.1). Each decision is an Update whose
 * validator refuses, synchronously and without a trace in history, a person without
 * authority for the open step, a stale version or a decision on a closed step.
 * Each step may carry an SLA: when it runs out the Standing Office is told, once.
 */
export async function approvalWorkflow(input: ApprovalInput): Promise<ApprovalResult> {
  let state = initialApprovalState(input);
  const apply = (event: ApprovalEvent) => {
    state = reduceApproval(state, event);
  };
  const project = () => projectApproval({ state, planId: input.planId, leadUnit: input.leadUnit });

  setHandler(approvalStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (request) => {
      apply({
        type: 'decided',
        at: new Date().toISOString(),
        record: {
          step: request.step,
          decision: request.decision,
          comment: request.comment,
          by: request.actor,
          onBehalfOf: request.delegation?.from,
          at: new Date().toISOString(),
        },
      });
      await project();
      return state;
    },
    {
      validator: (request) => {
        const refusal = checkDecision(state, request);
        if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
      },
    },
  );

  await project();
  while (!state.outcome) {
    const step = currentStep(state)!;
    const seen = state.seq;
    const changed = () => state.seq !== seen;
    if (!step.slaSeconds) {
      await condition(changed);
      continue;
    }
    if (!(await condition(changed, step.slaSeconds * 1000))) {
      apply({ type: 'step-escalated', at: new Date().toISOString(), step: step.step, level: 1 });
      await sendNotice({
        key: `${input.approvalId}:sla:${step.step}`,
        assignmentId: input.assignmentId,
        planId: input.planId,
        leadUnit: input.leadUnit,
        noticeUnits: input.noticeUnits,
        audience: ['standing-office'],
        kind: 'escalation',
        level: 1,
        subject: `Quá hạn phê duyệt bước "${step.label}"`,
        body: `Dự thảo phiên bản ${input.version} của ${input.assignmentId} chờ quyết định quá thời hạn.`,
      });
      await condition(() => state.seq !== seen + 1);
    }
  }
  await condition(allHandlersFinished);

  const last = state.decisions.at(-1)!;
  return {
    approvalId: input.approvalId,
    version: input.version,
    outcome: state.outcome,
    comment: last.comment,
    by: last.by,
    onBehalfOf: last.onBehalfOf,
  };
}
