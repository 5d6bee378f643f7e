import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  addressWaitedOn,
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
import type { ApprovalStepSpec, Deadline, NoticeAudience, ScheduleEntry } from '@dieu-hanh/domain/assignment';

interface SlaRung {
  /** When, as a share of the step's SLA from the moment it opened. */
  share: number;
  type: 'reminder' | 'escalation';
  level: number;
  audience: NoticeAudience[];
  toUnits?: string[];
}
import { approvalStateQuery, decideUpdate } from './definitions';
import type { NoticeRequest } from './activities.contract';
import { EffectRunner, PATCH_BATCHED_EFFECTS, alarmNotice, effectActivities, type EffectPolicy } from './side-effects';
import { foldedIntoSummary, runWaitLadder } from './wait-ladder';

/** Approvals started from here on answer decisions from state and close on cancellation. */
export const PATCH_APPROVAL_EFFECTS = 'approval-effects-loop';

/**
 * Approvals started from here on give a step with a `deadline` its own deadline in working
 * days from the moment it opens, and that step's reminders and ladder from its escalation
 * policy (the schedule engine of assignments, asked through a local activity).
 */
export const PATCH_STEP_DEADLINE = 'esc-step-deadline';

/** Pure calendar computation on the worker: local, like the assignment's `reschedule`. */
const { waitSchedule } = proxyLocalActivities<AssignmentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 5 },
});

const { projectApproval, sendNotice } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export interface ApprovalResult {
  approvalId: string;
  version: number;
  /** A cancelled approval ends as cancelled and returns nothing. */
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
export async function approvalWorkflow(input: ApprovalInput & { effects?: EffectPolicy }): Promise<ApprovalResult> {
  // Patch perf2-batched-effects stands for itself and every patch before it (see the assignment workflow).
  const upToDate = patched(PATCH_BATCHED_EFFECTS);
  if (upToDate || patched(PATCH_APPROVAL_EFFECTS)) return approvalWorkflowV2(input, upToDate);
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
        ...slaNotice(input, step, rung),
        assignmentId: input.assignmentId,
        planId: input.planId,
        leadUnit: input.leadUnit,
        noticeUnits: input.noticeUnits,
      });
    }
    await condition(decided);
  }
  await condition(allHandlersFinished);

  const last = state.decisions.at(-1)!;
  return {
    approvalId: input.approvalId,
    version: input.version,
    outcome: state.outcome as Decision,
    comment: last.comment,
    by: last.by,
    onBehalfOf: last.onBehalfOf,
  };
}

/** The SLA ladder of a step: a reminder to the step's unit at half time, then the Standing Office at the SLA and the Standing Committee at twice the SLA. */
const slaLadder = (unit: string): SlaRung[] => [
  { share: 0.5, type: 'reminder', level: 0, audience: [], toUnits: [unit] },
  { share: 1, type: 'escalation', level: 1, audience: ['standing-office'] },
  { share: 2, type: 'escalation', level: 2, audience: ['standing-committee'] },
];

/**
 * The approval chain since patch `approval-effects-loop`: a decision is answered from
 * state (the read model and notices follow in the side-effect loop), and cancellation
 * (the assignment was cancelled, e.g. its plan closed) closes the approval as
 * 'cancelled' in the read model, so it leaves approvers' inboxes.
 */
async function approvalWorkflowV2(input: ApprovalInput & { effects?: EffectPolicy }, upToDate: boolean): Promise<ApprovalResult> {
  let state = initialApprovalState(input);
  // -1: the opening state (seq 0) is projected too, so the approval shows in inboxes.
  let projectedSeq = -1;
  const apply = (event: ApprovalEvent) => {
    state = reduceApproval(state, event);
  };
  const noticeBase = { assignmentId: input.assignmentId, planId: input.planId, leadUnit: input.leadUnit, noticeUnits: input.noticeUnits };
  const { projectApproval, recordEffects, sendNotice } = effectActivities(input.effects);
  // Projection and in-app notices in one activity per round of the effects loop (issue 12).
  const batchedEffects = upToDate;
  const effects = new EffectRunner({
    policy: input.effects,
    version: () => state.seq,
    projectionDue: () => state.seq !== projectedSeq,
    project: async () => {
      const snapshot = state;
      await projectApproval({ state: snapshot, planId: input.planId, leadUnit: input.leadUnit });
      projectedSeq = Math.max(projectedSeq, snapshot.seq);
    },
    send: (notice) => sendNotice(notice),
    batch: batchedEffects
      ? async (projecting, notices) => {
          const snapshot = state;
          const { toEmail } = await recordEffects({ approval: projecting ? { state: snapshot, planId: input.planId, leadUnit: input.leadUnit } : undefined, notices });
          if (projecting) projectedSeq = Math.max(projectedSeq, snapshot.seq);
          return toEmail;
        }
      : undefined,
    // The approval's state has no place for failures: the worker log and an alarm to the Standing Office carry them.
    report: (failure, first) => {
      const alarm = first ? alarmNotice({ ...noticeBase, assignmentId: input.approvalId }, `phê duyệt ${input.approvalId}`, failure, state.seq) : undefined;
      if (alarm) effects.notify({ ...alarm, assignmentId: input.assignmentId, key: alarm.key });
    },
  });
  const notify = (notice: Omit<NoticeRequest, keyof typeof noticeBase>) => effects.notify({ ...notice, ...noticeBase });
  const effectsDone = CancellationScope.nonCancellable(() => effects.run());

  setHandler(approvalStateQuery, () => state);
  setHandler(
    decideUpdate,
    (request) => {
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
      return state;
    },
    {
      validator: (request) => {
        const refusal = checkDecision(state, request);
        if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
      },
    },
  );

  const stepDeadlines = upToDate || patched(PATCH_STEP_DEADLINE);
  try {
    while (!state.outcome) {
      const step = currentStep(state)!;
      // Issue 10: the people holding a step are told it waits for them (before, only the Standing Office heard of a submission).
      if (upToDate || patched(PATCH_STEP_HOLDER_NOTICE)) notify(stepWaitingNotice(input, step));
      const decisionsSeen = state.decisions.length;
      const decided = () => state.decisions.length !== decisionsSeen;
      if (stepDeadlines && step.deadline && step.escalationPolicy) {
        const since = new Date().toISOString();
        const { deadline, schedule } = await waitSchedule({ since, limit: step.deadline, policy: step.escalationPolicy, timeZone: step.timeZone });
        // Decided while the calendar answered: the step never waited long enough to be late.
        if (decided()) continue;
        apply({ type: 'step-opened', at: since, step: step.step, unit: step.unit, role: step.role, deadline });
        let level = 0;
        await runWaitLadder(schedule, decided, (entry, index, missed) => {
          if (entry.type === 'escalation') apply({ type: 'step-escalated', at: new Date().toISOString(), step: step.step, level: entry.level });
          // A repeat of a level already notified goes into the plan's periodic summary when the policy has one.
          if (missed || foldedIntoSummary(step.escalationPolicy, entry, level)) return;
          level = Math.max(level, entry.level);
          notify(stepWaitNotice(input, step, entry, index, deadline));
        });
        await condition(decided);
        continue;
      }
      if (!step.slaSeconds) {
        await condition(decided);
        continue;
      }
      const openedAt = Date.now();
      for (const rung of slaLadder(step.unit)) {
        const wait = openedAt + rung.share * step.slaSeconds * 1000 - Date.now();
        if (wait > 0 && (await condition(decided, wait))) break;
        if (decided()) break;
        if (rung.type === 'escalation') apply({ type: 'step-escalated', at: new Date().toISOString(), step: step.step, level: rung.level });
        notify(slaNotice(input, step, rung));
      }
      await condition(decided);
    }
    await condition(allHandlersFinished);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(async () => {
      apply({ type: 'cancelled', at: new Date().toISOString(), reason: 'assignment cancelled' });
      effects.finish();
      await effectsDone;
    });
    // Ends as cancelled, as asked.
    throw err;
  }
  effects.finish();
  await CancellationScope.nonCancellable(() => effectsDone);

  const last = state.decisions.at(-1)!;
  return {
    approvalId: input.approvalId,
    version: input.version,
    outcome: state.outcome as Decision,
    comment: last.comment,
    by: last.by,
    onBehalfOf: last.onBehalfOf,
  };
}

/** Patch id: approval workflows tell the holders of each step as it opens. */
export const PATCH_STEP_HOLDER_NOTICE = 'ux-step-holder-notice';

/** "A draft waits for your decision", to the role holding the step in its unit (and so to whoever that role lends it to). */
function stepWaitingNotice(input: ApprovalInput, step: ApprovalStepSpec): Omit<NoticeRequest, 'assignmentId' | 'planId' | 'leadUnit' | 'noticeUnits'> {
  return {
    key: `${input.approvalId}:step:${step.step}`,
    audience: [],
    toUnits: [step.unit],
    toRoles: [step.role],
    kind: 'approval-needed',
    level: 0,
    subject: `Dự thảo chờ đồng chí cho ý kiến: bước "${step.label}"`,
    body: `Dự thảo phiên bản ${input.version} chờ quyết định của đồng chí ở bước "${step.label}".`,
  };
}

/** The notice of one rung of a step's SLA ladder (the same in the old and the new code path). */
function slaNotice(input: ApprovalInput, step: ApprovalStepSpec, rung: SlaRung) {
  return {
    key: rung.type === 'escalation' && rung.level === 1 ? `${input.approvalId}:sla:${step.step}` : `${input.approvalId}:sla:${step.step}:${rung.type}:${rung.level}`,
    audience: rung.audience,
    toUnits: rung.toUnits,
    kind: rung.type,
    level: rung.level,
    subject: rung.type === 'reminder' ? `Nhắc phê duyệt bước "${step.label}"` : `Quá hạn phê duyệt bước "${step.label}" (cấp ${rung.level})`,
    body: `Dự thảo phiên bản ${input.version} của ${input.assignmentId} chờ quyết định.`,
  };
}

/** The notice of one timer of a step with a deadline: the step's unit is the one waited on. */
function stepWaitNotice(input: ApprovalInput, step: ApprovalStepSpec, entry: ScheduleEntry, index: number, deadline: Deadline) {
  const due = deadline.effective.split('-').reverse().join('/');
  return {
    key: `${input.approvalId}:step:${step.step}:${index}`,
    ...addressWaitedOn(entry.notify, step.unit),
    kind: entry.type,
    level: entry.level,
    subject:
      entry.type === 'reminder'
        ? `Nhắc phê duyệt: bước "${step.label}" — hạn ${due}`
        : `Quá hạn phê duyệt (cấp ${entry.level}): bước "${step.label}"`,
    body: `Dự thảo phiên bản ${input.version} của ${input.assignmentId} chờ quyết định của ${step.unit} (${step.role}); hạn bước ${due}.`,
  };
}
