import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
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
import type { NoticeAudience } from '@dieu-hanh/domain/assignment';

interface SlaRung {
  /** When, as a share of the step's SLA from the moment it opened. */
  share: number;
  type: 'reminder' | 'escalation';
  level: number;
  audience: NoticeAudience[];
  toUnits?: string[];
}
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
    const decisionsSeen = state.decisions.length;
    const decided = () => state.decisions.length !== decisionsSeen;
    if (!step.slaSeconds) {
      await condition(decided);
      continue;
    }
    // The SLA ladder of a step: a reminder to the step's unit at half time, then the
    // Standing Office at the SLA and the Standing Committee at twice the SLA.
    const ladder: SlaRung[] = patched('approval-sla-ladder')
      ? [
          { share: 0.5, type: 'reminder', level: 0, audience: [], toUnits: [step.unit] },
          { share: 1, type: 'escalation', level: 1, audience: ['standing-office'] },
          { share: 2, type: 'escalation', level: 2, audience: ['standing-committee'] },
        ]
      : [{ share: 1, type: 'escalation', level: 1, audience: ['standing-office'] }];
    const openedAt = Date.now();
    for (const rung of ladder) {
      const wait = openedAt + rung.share * step.slaSeconds * 1000 - Date.now();
      if (wait > 0 && (await condition(decided, wait))) break;
      if (decided()) break;
      if (rung.type === 'escalation') apply({ type: 'step-escalated', at: new Date().toISOString(), step: step.step, level: rung.level });
      await sendNotice({
        key: rung.type === 'escalation' && rung.level === 1 ? `${input.approvalId}:sla:${step.step}` : `${input.approvalId}:sla:${step.step}:${rung.type}:${rung.level}`,
        assignmentId: input.assignmentId,
        planId: input.planId,
        leadUnit: input.leadUnit,
        noticeUnits: input.noticeUnits,
        audience: rung.audience,
        toUnits: rung.toUnits,
        kind: rung.type,
        level: rung.level,
        subject: rung.type === 'reminder' ? `Nhắc phê duyệt bước "${step.label}"` : `Quá hạn phê duyệt bước "${step.label}" (cấp ${rung.level})`,
        body: `Dự thảo phiên bản ${input.version} của ${input.assignmentId} chờ quyết định.`,
      });
    }
    await condition(decided);
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
