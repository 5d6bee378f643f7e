import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  allHandlersFinished,
  upsertSearchAttributes,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import {
  checkExtensionDate,
  checkShiftDate,
  foldAssignment,
  isAssignmentFinal,
  nextPendingTimer,
  reduceAssignment,
  type AssignmentEvent,
  type AssignmentState,
  citesPlanNumber,
} from '@dieu-hanh/domain/assignment';
import type { AssignmentActivities, NoticeRequest } from './activities.contract';
import {
  approvalWorkflowId,
  assignmentClosedSignal,
  assignmentStateQuery,
  cancelSignal,
  decideExtensionUpdate,
  requestExtensionUpdate,
  shiftDeadlineUpdate,
  submitUpdate,
} from './definitions';
import { approvalWorkflow } from './approval.workflow';
import { assignmentSearchAttributes } from './search-attributes.workflow';
import type { AssignmentWorkflowInput } from './assignment.workflow';

const { projectAssignment, sendNotice, reschedule } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const refuse = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * FROZEN: the assignment workflow as it ran before patch `assignment-effects-loop`.
 * Workflows started before that patch replay through this code, so it must not change.
 * Its handlers await the projection and the notices (the hole the patch closes).
 */
export async function assignmentWorkflowV1({ spec, planWorkflowId }: AssignmentWorkflowInput): Promise<AssignmentState> {
  const events: AssignmentEvent[] = [];
  let state = foldAssignment(spec, []);
  let projectedSeq = 0;
  let approval: ChildWorkflowHandle<typeof approvalWorkflow> | undefined;

  const apply = (event: AssignmentEvent) => {
    events.push(event);
    state = reduceAssignment(state, event);
  };
  const now = () => new Date().toISOString();
  const notify = (notice: Omit<NoticeRequest, 'assignmentId' | 'planId' | 'leadUnit' | 'noticeUnits'>) =>
    sendNotice({ ...notice, assignmentId: spec.id, planId: spec.planId, leadUnit: spec.leadUnit, noticeUnits: spec.noticeUnits });

  // Projection is idempotent and ordered by seq, so handlers and the main loop may both call it.
  const project = async () => {
    if (state.seq === projectedSeq) return;
    const firstSeq = projectedSeq + 1;
    const snapshot = state;
    await projectAssignment({ spec, state: snapshot, events: events.slice(firstSeq - 1, snapshot.seq), firstSeq });
    projectedSeq = Math.max(projectedSeq, snapshot.seq);
    upsertSearchAttributes(assignmentSearchAttributes(spec, snapshot));
  };

  setHandler(assignmentStateQuery, () => state);

  setHandler(
    submitUpdate,
    async (request) => {
      const version = state.submissions.length + 1;
      apply({
        type: 'submitted',
        at: now(),
        version,
        text: request.text,
        attachments: request.attachments,
        by: request.actor,
        cites: request.cites,
        difficulties: request.difficulties,
      });
      let approvalId: string | undefined;
      if (state.requiresApproval && spec.approvalChain) {
        approvalId = approvalWorkflowId(spec.id, version);
        approval = await startChild(approvalWorkflow, {
          workflowId: approvalId,
          args: [{ approvalId, assignmentId: spec.id, planId: spec.planId, leadUnit: spec.leadUnit, version, chain: spec.approvalChain, noticeUnits: spec.noticeUnits }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        });
        apply({ type: 'approval-opened', at: now(), version, approvalId });
      }
      await project();
      await notify({
        key: `${spec.id}:submitted:v${version}`,
        audience: ['standing-office'],
        kind: approvalId ? 'approval-needed' : 'submitted',
        level: 0,
        subject: `${spec.title}: phiên bản ${version} đã nộp`,
        body: `${request.actor.name} (${request.actor.unit}) đã nộp phiên bản ${version}.`,
      });
      // Added while assignments were already running: patched() keeps their histories replayable.
      if (request.difficulties?.trim() && patched('notify-difficulties')) {
        // Difficulties (khó khăn, vướng mắc) go to the Standing Office at once (III.6).
        await notify({
          key: `${spec.id}:difficulties:v${version}`,
          audience: ['standing-office'],
          kind: 'difficulties',
          level: 1,
          subject: `Khó khăn, vướng mắc: ${spec.title}`,
          body: request.difficulties,
        });
      }
      return { version, approvalId };
    },
    {
      validator: (request) => {
        if (state.lifecycle !== 'open') {
          throw refuse('NOT_ACCEPTING', `this assignment is ${state.lifecycle}; it does not take a submission now`);
        }
        const expected = state.submissions.length + 1;
        if (request.version !== expected) {
          throw refuse('STALE_VERSION', `version ${request.version} was submitted, the next version is ${expected}`);
        }
        if (request.actor.unit !== spec.leadUnit) {
          throw refuse('NOT_AUTHORISED', `only unit ${spec.leadUnit} submits for this assignment`);
        }
        if (!request.text.trim()) throw refuse('INVALID', 'text must not be empty');
        if (spec.mustCite && !citesPlanNumber(request.cites, spec.mustCite)) {
          throw refuse('MUST_CITE', `a concretisation plan must cite plan ${spec.mustCite}`);
        }
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    async (request) => {
      apply({ type: 'extension-requested', at: now(), requestId: request.requestId, reason: request.reason, proposedDate: request.proposedDate, by: request.actor });
      await project();
      await notify({
        key: `${spec.id}:extension:${request.requestId}`,
        audience: ['standing-office'],
        kind: 'extension',
        level: 0,
        subject: `${spec.title}: đề nghị gia hạn đến ${request.proposedDate}`,
        body: request.reason,
      });
      return state;
    },
    {
      validator: (request) => {
        if (isAssignmentFinal(state)) throw refuse('NOT_ACCEPTING', `this assignment is ${state.lifecycle}`);
        if (request.actor.unit !== spec.leadUnit) throw refuse('NOT_AUTHORISED', `only unit ${spec.leadUnit} asks for an extension`);
        if (state.extensions.some((x) => x.requestId === request.requestId)) throw refuse('DUPLICATE', `request ${request.requestId} exists`);
        if (state.extensions.some((x) => x.status === 'pending')) throw refuse('PENDING_EXISTS', 'an extension request is already waiting for a decision');
        const refusal = checkExtensionDate(state, request.proposedDate, 'proposedDate');
        if (refusal) throw refuse(refusal.code, refusal.message);
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    async (decision) => {
      const request = state.extensions.find((x) => x.requestId === decision.requestId)!;
      const rescheduled = decision.granted ? await reschedule({ spec, date: decision.date ?? request.proposedDate, now: now() }) : undefined;
      apply({
        type: 'extension-decided',
        at: now(),
        requestId: decision.requestId,
        granted: decision.granted,
        comment: decision.comment,
        by: decision.actor,
        deadline: rescheduled?.deadline,
        schedule: rescheduled?.schedule,
      });
      await project();
      return state;
    },
    {
      validator: (decision) => {
        const request = state.extensions.find((x) => x.requestId === decision.requestId);
        if (!request) throw refuse('NOT_FOUND', `no extension request ${decision.requestId}`);
        if (request.status !== 'pending') throw refuse('ALREADY_DECIDED', `extension request ${decision.requestId} was already ${request.status}`);
        if (!decision.actor.roles.includes('standing-office')) throw refuse('NOT_AUTHORISED', 'only the Standing Office decides extensions');
        // Validators leave no trace in history, so running workflows get this check too.
        const refusal = decision.granted ? checkExtensionDate(state, decision.date ?? request.proposedDate) : undefined;
        if (refusal) throw refuse(refusal.code, refusal.message);
      },
    },
  );

  setHandler(
    shiftDeadlineUpdate,
    async (shift) => {
      const rescheduled = await reschedule({ spec, date: shift.date, now: now() });
      apply({ type: 'deadline-shifted', at: now(), reason: shift.reason, by: shift.actor, ...rescheduled });
      await project();
      return state;
    },
    {
      validator: (shift) => {
        if (isAssignmentFinal(state)) throw refuse('NOT_ACCEPTING', `this assignment is ${state.lifecycle}`);
        if (!shift.reason.trim()) throw refuse('INVALID', 'a reason is required');
        const refusal = checkShiftDate(shift.date);
        if (refusal) throw refuse(refusal.code, refusal.message);
      },
    },
  );

  setHandler(cancelSignal, ({ reason, actor }) => {
    if (!isAssignmentFinal(state)) apply({ type: 'cancelled', at: now(), reason, by: actor });
  });

  apply({ type: 'opened', at: now(), deadline: spec.deadline, schedule: spec.schedule });
  await project();

  // The main loop: approvals, then timers, until the assignment is final.
  const runUntilFinal = async () => {
    while (!isAssignmentFinal(state)) {
      const seenSeq = state.seq;
      const changed = () => state.seq !== seenSeq;

      if (state.lifecycle === 'awaiting-approval' && approval) {
        const handle = approval;
        approval = undefined;
        const result = await handle.result();
        const closing: AssignmentEvent = {
          type: 'approval-closed',
          at: now(),
          version: result.version,
          approvalId: result.approvalId,
          outcome: result.outcome,
          comment: result.comment,
          by: result.by,
          onBehalfOf: result.onBehalfOf,
        };
        if (result.outcome === 'request-changes') {
          const rescheduled = await reschedule({ spec, now: now(), current: state.deadline });
          Object.assign(closing, rescheduled);
        }
        apply(closing);
        await project();
        if (patched('notify-lead-unit-of-decision')) {
          const verdict = { approve: 'đã được phê duyệt', 'request-changes': 'cần chỉnh sửa', reject: 'không được phê duyệt' }[result.outcome];
          await notify({
            key: `${spec.id}:decided:v${result.version}`,
            audience: ['lead-unit'],
            kind: 'decided',
            level: 0,
            subject: `${spec.title}: phiên bản ${result.version} ${verdict}`,
            body: result.comment || verdict,
          });
        }
        continue;
      }

      const pending = nextPendingTimer(state);
      if (!pending) {
        await condition(changed);
        await project();
        continue;
      }
      const wait = Date.parse(pending.entry.at) - Date.now();
      if (wait > 0 && (await condition(changed, wait))) {
        await project();
        continue;
      }
      // A timer whose successor is also already due was missed (e.g. a plan launched
      // after its dates): record it without a notice so people get only the latest one.
      const successor = state.schedule[pending.index + 1];
      const missed = successor !== undefined && Date.parse(successor.at) <= Date.now();
      apply({ type: 'timer-fired', at: now(), index: pending.index, entry: pending.entry });
      if (!missed) {
        const { entry } = pending;
        await notify({
          key: `${spec.id}:timer:${state.deadline.dueAt}:${pending.index}`,
          audience: entry.notify,
          kind: entry.type,
          level: entry.level,
          subject:
            entry.type === 'reminder'
              ? `Nhắc hạn: ${spec.title} — hạn ${state.deadline.effective}`
              : `Cảnh báo quá hạn (cấp ${entry.level}): ${spec.title}`,
          body: `Hạn hiệu lực ${state.deadline.effective} (hạn ghi trong văn bản ${state.deadline.nominal}).`,
        });
      }
      await project();
    }
  };

  try {
    await runUntilFinal();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The plan was closed (or an operator cancelled this workflow): record it as cancelled.
    apply({ type: 'cancelled', at: now(), reason: 'plan closed', by: { userId: 'system', name: 'Hệ thống', unit: spec.noticeUnits.standingOffice, roles: [] } });
    await CancellationScope.nonCancellable(() => project());
    return state;
  }

  await condition(allHandlersFinished);
  await project();
  if (planWorkflowId) {
    await getExternalWorkflowHandle(planWorkflowId).signal(assignmentClosedSignal, { assignmentId: spec.id, lifecycle: state.lifecycle });
  }
  return state;
}
