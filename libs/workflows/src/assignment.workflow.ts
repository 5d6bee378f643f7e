import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  checkCitation,
  addressWaitedOn,
  checkExtensionDate,
  checkShiftDate,
  foldAssignment,
  isAssignmentFinal,
  leadUnitOf,
  openingEvent,
  nextPendingTimer,
  reduceAssignment,
  type AssignmentEvent,
  type AssignmentSpec,
  type AssignmentState,
  citesPlanNumber,
  checkComment,
  checkCommentRequest,
  commentLimitOf,
  commentWaitRef,
  mayAnswerDifficulty,
  unansweredDifficulty,
  type WaitRule,
} from '@dieu-hanh/domain/assignment';
import type { AssignmentActivities, NoticeRequest } from './activities.contract';
import { approvalWorkflow, type ApprovalResult } from './approval.workflow';
import { assignmentWorkflowV1 } from './assignment-v1';
import {
  amendDeadlineSignal,
  answerDifficultyUpdate,
  approvalWorkflowId,
  handOverSignal,
  assignmentClosedSignal,
  assignmentStateQuery,
  cancelSignal,
  decideExtensionUpdate,
  giveCommentUpdate,
  requestCommentsUpdate,
  requestExtensionUpdate,
  shiftDeadlineUpdate,
  submitUpdate,
} from './definitions';
import { assignmentSearchAttributes } from './search-attributes.workflow';
import { EffectRunner, PATCH_BATCHED_EFFECTS, PATCH_FEWER_EVENTS, alarmNotice, effectActivities, type EffectPolicy } from './side-effects';
import { foldedIntoSummary, runWaitLadder } from './wait-ladder';

export interface AssignmentWorkflowInput {
  spec: AssignmentSpec;
  /** The plan workflow to tell when this assignment closes, if any. */
  planWorkflowId?: string;
  /** Retry ceilings of the side effects (tests shorten them). */
  effects?: EffectPolicy;
  /**
   * The starter writes this assignment's opening projection (libs/domain `assignmentOpening`,
   * opened at `at`) once it has started it, and gives it its opening search attributes at start
   * (`openingSearchAttributes`): the plan's launch does, one activity per page of children
   * (patch `perf3-opening-projection` of the plan workflow). The assignment then opens at `at` and has no first round of effects
   * to run: one activity and one workflow task (6 history events) and a search-attribute upsert
   * fewer. Its presence also stands for patch `perf2-batched-effects` and every patch before it,
   * so no patch marker is recorded (2 events fewer). Histories without it (every earlier start,
   * and other starters) open as before.
   */
  opened?: { at: string };
}

/** Workflows started from here on run the side-effect loop; older ones replay through v1. */
export const PATCH_ASSIGNMENT_EFFECTS = 'assignment-effects-loop';
/** Marks the history of an assignment whose deadline a plan amendment moved. */
export const PATCH_AMEND_DEADLINE = 'amend-deadline';
/** Marks the history of an assignment a reorganisation handed over to another unit. */
export const PATCH_AMEND_HANDOVER = 'amend-handover';

/**
 * The calendar (holidays, official notices) is data the workflow may not read itself,
 * so rescheduling is an activity; a local one, because it is pure computation on the
 * worker (no PostgreSQL, no SMTP) and a handler that awaits it still answers at once.
 */
/**
 * Assignments started from here on give an extension request a deadline for the Standing
 * Office's decision and a ladder (the plan's `responseDeadlines.extensionDecision`).
 */
export const PATCH_RESPONSE_DEADLINES = 'esc-response-deadlines';

/**
 * Assignments started from here on send no notice for a repeat of an escalation level
 * already notified when their policy has a `summary`: the plan's periodic summary lists it.
 */
export const PATCH_QUIET_REPEATS = 'esc-quiet-repeats';

/**
 * Assignments started from here on take an answer to a reported difficulty (III.6) from the
 * body the report went to, and, when the plan gives `responseDeadlines.difficultyAnswer`, wait
 * for it with a deadline and a ladder, a report done staying open until it is answered.
 */
export const PATCH_DIFFICULTY_ANSWER = 'esc2-difficulty-answer';

const { reschedule, waitSchedule } = proxyLocalActivities<AssignmentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 5 },
});

/** Submission notices go to the plan's `submitTo` unit (see assignmentWorkflow). */
export const PATCH_SUBMIT_TO = 'plan2-submit-to';
/** A real plan number is accepted where the plan file's is assumed, and flagged to the Standing Office. */
export const PATCH_CITE_ASSUMED = 'plan2-cite-assumed';

/**
 * Marks the history of an assignment whose lead unit asked coordinating units for comments
 * (xin ý kiến). Set when the first request is taken, so histories without one are unchanged.
 */
export const PATCH_COORD_COMMENTS = 'coord-comments';

/** A wait whose plan names no escalation policy: only its deadline is asked of the calendar. */
const DEADLINE_ONLY = { noticeTime: '08:00', reminders: [], ladder: [{ afterWorkingDays: 0, notify: ['waited-on' as const] }] };

const refuse = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * One obligation of a plan (drafting, concretisation, review, policy proposal,
 * propaganda): waits for a submission, fires reminders and escalations from its
 * schedule, takes extensions and deadline shifts, and for drafting runs the approval
 * chain as a child, reopening on "request changes".
 */
export async function assignmentWorkflow(input: AssignmentWorkflowInput): Promise<AssignmentState> {
  // Patch perf2-batched-effects stands for itself and every patch before it: a workflow started
  // from here on records one marker (and its TemporalChangeVersion upsert) instead of one per
  // patch, 2 history events each. Older histories have no such marker and ask each patch as before.
  // A workflow started with `opened` (patch perf3-opening-projection of its starter) was started by
  // code that knows every patch up to that one, and its first event says so: it asks none (the
  // marker and its upsert, 2 events and a visibility write per assignment, are not recorded).
  const upToDate = input.opened !== undefined || patched(PATCH_BATCHED_EFFECTS);
  if (!upToDate && !patched(PATCH_ASSIGNMENT_EFFECTS)) return assignmentWorkflowV1(input);
  const { spec, planWorkflowId } = input;
  // From here on a submission without an approval chain is announced to the unit the plan
  // says it goes to (submitTo, e.g. III.6 reports to Thường trực Tỉnh ủy), not to the
  // Standing Office whatever the plan says; difficulties reach both.
  const noticesFollowSubmitTo = upToDate || patched(PATCH_SUBMIT_TO);
  // From here on a unit may cite the real plan number where the plan's is assumed (flagged).
  const citesRealNumber = upToDate || patched(PATCH_CITE_ASSUMED);

  const events: AssignmentEvent[] = [];
  let state = foldAssignment(spec, []);
  let projectedSeq = 0;
  /** The approval chain of the version under approval, while it runs. */
  let approval: { id: string; result: Promise<ApprovalResult | undefined> } | undefined;

  const apply = (event: AssignmentEvent) => {
    events.push(event);
    state = reduceAssignment(state, event);
  };
  const now = () => new Date().toISOString();
  /** The unit leading now (a reorganisation may have handed the assignment over). */
  const lead = () => leadUnitOf(spec, state);
  /** The spec as the read model and search attributes show it: with the lead in force. */
  const shown = (): AssignmentSpec => (state.leadUnit === undefined ? spec : { ...spec, leadUnit: lead(), coordinatingUnits: spec.coordinatingUnits.filter((c) => c !== lead()) });
  const noticeBaseNow = () => ({ assignmentId: spec.id, planId: spec.planId, leadUnit: lead(), noticeUnits: spec.noticeUnits });
  const { projectAssignment, recordEffects, sendNotice } = effectActivities(input.effects);
  // One patch for the levers of issue 12 (each patch id costs a marker and a search-attribute upsert).
  const fewerEvents = upToDate || patched(PATCH_FEWER_EVENTS);
  // Projection and in-app notices in one activity per round of the effects loop (issue 12).
  const batchedEffects = upToDate;
  /** The search attributes last set: an unchanged set is not sent again (one history event each). */
  let upserted: string | undefined;
  const upsertSearch = (snapshot: AssignmentState) => {
    const pairs = assignmentSearchAttributes(shown(), snapshot, upToDate);
    const key = JSON.stringify(pairs.map((p) => p.value));
    if (fewerEvents && key === upserted) return;
    upserted = key;
    upsertSearchAttributes(pairs);
  };
  const projection = (snapshot: AssignmentState) => {
    const firstSeq = projectedSeq + 1;
    return { spec: shown(), state: snapshot, events: events.slice(firstSeq - 1, snapshot.seq), firstSeq };
  };

  // Handlers change state and queue notices; this loop writes the read model and sends them.
  const effects = new EffectRunner({
    policy: input.effects,
    version: () => state.seq,
    projectionDue: () => state.seq !== projectedSeq,
    project: async () => {
      const snapshot = state;
      // Search attributes are a Temporal command, not I/O: they follow the state at once.
      upsertSearch(snapshot);
      await projectAssignment(projection(snapshot));
      projectedSeq = Math.max(projectedSeq, snapshot.seq);
    },
    send: (notice) => sendNotice(notice),
    batch: batchedEffects
      ? async (projecting, notices) => {
          const snapshot = state;
          if (projecting) upsertSearch(snapshot);
          const { toEmail } = await recordEffects({ assignment: projecting ? projection(snapshot) : undefined, notices });
          if (projecting) projectedSeq = Math.max(projectedSeq, snapshot.seq);
          return toEmail;
        }
      : undefined,
    report: (failure, first) => {
      apply({ type: 'side-effect-failed', at: now(), ...failure });
      const alarm = first ? alarmNotice(noticeBaseNow(), spec.title, failure, state.seq) : undefined;
      if (alarm) effects.notify(alarm);
    },
  });
  const notify = (notice: Omit<NoticeRequest, keyof ReturnType<typeof noticeBaseNow>>) => effects.notify({ ...notice, ...noticeBaseNow() });
  // Not cancellable: when the plan closes, the cancellation must still reach the read model.
  const effectsDone = CancellationScope.nonCancellable(() => effects.run());

  // Handlers that await the calendar take turns, so decisions apply in the order they came.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
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
        // startChild stays in the handler: it is a Temporal command (resolved when the
        // server has started the child, no PostgreSQL or SMTP on the way), and the
        // answer promises an approval that already exists, so approvers can decide at once.
        const child = await startChild(approvalWorkflow, {
          workflowId: approvalId,
          args: [{ approvalId, assignmentId: spec.id, planId: spec.planId, leadUnit: lead(), version, chain: spec.approvalChain, noticeUnits: spec.noticeUnits, effects: input.effects }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        });
        const result = child.result();
        // Awaited by the main loop, or abandoned when the assignment is cancelled first.
        result.catch(() => undefined);
        approval = { id: approvalId, result };
        apply({ type: 'approval-opened', at: now(), version, approvalId });
      }
      const addressee = noticesFollowSubmitTo && !approvalId ? spec.submitTo : undefined;
      notify({
        key: `${spec.id}:submitted:v${version}`,
        audience: addressee ? [] : ['standing-office'],
        ...(addressee ? { toUnits: [addressee] } : {}),
        kind: approvalId ? 'approval-needed' : 'submitted',
        level: 0,
        subject: `${spec.title}: phiên bản ${version} đã nộp`,
        body: `${request.actor.name} (${request.actor.unit}) đã nộp phiên bản ${version}.`,
      });
      const mismatch = citesRealNumber ? checkCitation(spec, request.cites) : undefined;
      if (mismatch?.ok && mismatch.mismatch !== undefined) {
        notify({
          key: `${spec.id}:citation:v${version}`,
          audience: ['standing-office'],
          kind: 'citation-mismatch',
          level: 0,
          subject: `Số kế hoạch cần cập nhật: ${spec.title}`,
          body: `${request.actor.name} (${request.actor.unit}) dẫn Kế hoạch số ${mismatch.mismatch}; tệp kế hoạch đang ghi số giả định ${spec.mustCite ?? ''}. Đề nghị Văn phòng Tỉnh ủy kiểm tra và cập nhật số kế hoạch.`,
        });
      }
      if (request.difficulties?.trim()) {
        // Difficulties (khó khăn, vướng mắc) go to the Standing Office at once (III.6).
        notify({
          key: `${spec.id}:difficulties:v${version}`,
          audience: ['standing-office'],
          ...(addressee ? { toUnits: [addressee] } : {}),
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
        if (request.actor.unit !== lead()) {
          throw refuse('NOT_AUTHORISED', `only unit ${lead()} submits for this assignment`);
        }
        if (!request.text.trim()) throw refuse('INVALID', 'text must not be empty');
        if (citesRealNumber) {
          const citation = checkCitation(spec, request.cites);
          if (!citation.ok) throw refuse('MUST_CITE', citation.message);
        } else if (spec.mustCite && !citesPlanNumber(request.cites, spec.mustCite)) {
          throw refuse('MUST_CITE', `a concretisation plan must cite plan ${spec.mustCite}`);
        }
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    (request) => {
      apply({ type: 'extension-requested', at: now(), requestId: request.requestId, reason: request.reason, proposedDate: request.proposedDate, by: request.actor });
      notify({
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
        if (request.actor.unit !== lead()) throw refuse('NOT_AUTHORISED', `only unit ${lead()} asks for an extension`);
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
      const date = decision.granted ? (decision.date ?? request.proposedDate) : undefined;
      // Recorded before anything is awaited: a second decision on the same request now
      // meets ALREADY_DECIDED in the validator instead of passing as "pending".
      apply({ type: 'extension-decided', at: now(), requestId: decision.requestId, granted: decision.granted, comment: decision.comment, by: decision.actor, date });
      notify({
        key: `${spec.id}:extension-decided:${decision.requestId}`,
        audience: ['lead-unit'],
        kind: 'extension',
        level: 0,
        subject: decision.granted ? `${spec.title}: được gia hạn đến ${date}` : `${spec.title}: đề nghị gia hạn không được chấp nhận`,
        body: decision.comment || (decision.granted ? `Hạn mới: ${date}` : 'Không gia hạn.'),
      });
      if (date) {
        await inTurn(async () => {
          const rescheduled = await reschedule({ spec, date, now: now() });
          apply({ type: 'deadline-rescheduled', at: now(), cause: 'extension', requestId: decision.requestId, ...rescheduled });
        });
      }
      return state;
    },
    {
      validator: (decision) => {
        const request = state.extensions.find((x) => x.requestId === decision.requestId);
        if (!request) throw refuse('NOT_FOUND', `no extension request ${decision.requestId}`);
        if (request.status !== 'pending') throw refuse('ALREADY_DECIDED', `extension request ${decision.requestId} was already ${request.status}`);
        if (!decision.actor.roles.includes('standing-office')) throw refuse('NOT_AUTHORISED', 'only the Standing Office decides extensions');
        // Validators are not re-run on replay, so tightening one needs no patch.
        if (decision.actor.unit !== spec.noticeUnits.standingOffice) throw refuse('NOT_AUTHORISED', `only the Standing Office ${spec.noticeUnits.standingOffice} decides extensions`);
        const refusal = decision.granted ? checkExtensionDate(state, decision.date ?? request.proposedDate) : undefined;
        if (refusal) throw refuse(refusal.code, refusal.message);
      },
    },
  );

  /** Who answers a reported difficulty: the body the report goes to, else the Standing Office. */
  const answerer = () => spec.submitTo ?? spec.noticeUnits.standingOffice;
  setHandler(
    answerDifficultyUpdate,
    (answer) => {
      apply({ type: 'difficulty-answered', at: now(), version: answer.version, text: answer.text, by: answer.actor });
      notify({
        key: `${spec.id}:difficulty-answered:v${answer.version}`,
        audience: ['lead-unit'],
        kind: 'difficulties',
        level: 0,
        subject: `Trả lời khó khăn, vướng mắc: ${spec.title}`,
        body: `${answer.actor.name} (${answer.actor.unit}) trả lời khó khăn, vướng mắc của phiên bản ${answer.version}: ${answer.text}`,
      });
      return state;
    },
    {
      validator: (answer) => {
        // Validators are not re-run on replay; the flag is the patch's, set before any Update is taken.
        if (!answersDifficulties) throw refuse('NOT_ACCEPTING', 'this assignment started before answers to difficulties existed');
        if (state.lifecycle === 'cancelled') throw refuse('NOT_ACCEPTING', 'this assignment is cancelled');
        const submission = state.submissions.find((s) => s.version === answer.version);
        if (!submission?.difficulties?.trim()) throw refuse('NOT_FOUND', `version ${answer.version} reported no difficulty`);
        if (submission.difficultyAnswer) throw refuse('ALREADY_ANSWERED', `the difficulties of version ${answer.version} were already answered`);
        if (submission.difficultyClosedAt) throw refuse('NOT_ACCEPTING', `the difficulties of version ${answer.version} no longer wait for an answer`);
        if (answer.actor.unit !== answerer() || !mayAnswerDifficulty(answer.actor.roles)) {
          throw refuse('NOT_AUTHORISED', `only ${answerer()} answers the difficulties of this report`);
        }
        if (!answer.text.trim()) throw refuse('INVALID', 'text must not be empty');
      },
    },
  );

  setHandler(
    shiftDeadlineUpdate,
    (shift) =>
      inTurn(async () => {
        const rescheduled = await reschedule({ spec, date: shift.date, now: now() });
        // Closed while the calendar answered: a closed assignment keeps its deadline.
        if (!isAssignmentFinal(state)) apply({ type: 'deadline-shifted', at: now(), reason: shift.reason, by: shift.actor, ...rescheduled });
        return state;
      }),
    {
      validator: (shift) => {
        if (isAssignmentFinal(state)) throw refuse('NOT_ACCEPTING', `this assignment is ${state.lifecycle}`);
        if (!shift.reason.trim()) throw refuse('INVALID', 'a reason is required');
        if (!shift.actor.roles.includes('standing-office') || shift.actor.unit !== spec.noticeUnits.standingOffice) {
          throw refuse('NOT_AUTHORISED', `only the Standing Office ${spec.noticeUnits.standingOffice} shifts deadlines`);
        }
        const refusal = checkShiftDate(shift.date);
        if (refusal) throw refuse(refusal.code, refusal.message);
      },
    },
  );

  // A plan amendment moved this deadline: the same calendar answer as a shift, the
  // original deadline kept for statistics, the amendment named as the reason.
  setHandler(amendDeadlineSignal, async (shift) => {
    if (isAssignmentFinal(state)) return;
    patched(PATCH_AMEND_DEADLINE);
    await inTurn(async () => {
      const rescheduled = await reschedule({ spec, date: shift.date, now: now() });
      if (!isAssignmentFinal(state)) apply({ type: 'deadline-shifted', at: now(), reason: shift.reason, by: shift.actor, ...rescheduled });
    });
  });

  // A reorganisation ended the lead unit: the assignment passes to its successor with its
  // history, deadlines and escalation state; the old unit can no longer act on it.
  setHandler(handOverSignal, ({ from, to, reason, actor }) => {
    if (isAssignmentFinal(state) || lead() === to) return;
    patched(PATCH_AMEND_HANDOVER);
    apply({ type: 'handed-over', at: now(), from: lead() ?? from, to, reason, by: actor });
    notify({
      key: `${spec.id}:handed-over:${to}`,
      audience: ['lead-unit', 'standing-office'],
      kind: 'handed-over',
      level: 0,
      subject: `${spec.title}: chuyển giao cho ${to}`,
      body: `Đơn vị chủ trì ${from} đã kết thúc hoạt động; nhiệm vụ chuyển giao cho ${to}, giữ nguyên thời hạn và lịch sử. ${reason}`,
    });
  });

  /**
   * Xin ý kiến: a fan-out inside the assignment. Each coordinating unit named gets a wait of
   * its own (deadline in working days from the request, the plan's ladder), answered by its
   * comment; the ladders run beside the main loop, as the extension decision's does.
   */
  const commentRule = () => spec.responseDeadlines?.coordinationComment;
  const watchComment = async (requestId: string, unit: string) => {
    const request = state.commentRequests!.find((r) => r.requestId === requestId)!;
    const ref = commentWaitRef(requestId, unit);
    const answered = () => isAssignmentFinal(state) || (state.commentRequests ?? []).some((r) => r.requestId === requestId && r.comments.some((c) => c.unit === unit));
    // No policy anywhere in the plan: the wait still has its deadline (the calendar needs a valid
    // policy to answer; its timers are not run), with no reminder or ladder.
    const policy = commentRule()?.policy ?? spec.responseDeadlines?.extensionDecision?.policy;
    const { deadline, schedule } = await waitSchedule({ since: request.requestedAt, limit: request.limit, policy: policy ?? DEADLINE_ONLY, timeZone: spec.timeZone });
    if (answered()) return;
    apply({ type: 'wait-opened', at: now(), kind: 'coordination-comment', ref, unit, since: request.requestedAt, deadline });
    const due = deadline.effective.split('-').reverse().join('/');
    let level = 0;
    await runWaitLadder(policy ? schedule : [], answered, (entry, index, missed) => {
      if (entry.type === 'escalation') apply({ type: 'wait-escalated', at: now(), kind: 'coordination-comment', ref, level: entry.level });
      if (missed || (policy && foldedIntoSummary(policy, entry, level))) return;
      level = Math.max(level, entry.level);
      notify({
        key: `${spec.id}:wait:comment:${ref}:${index}`,
        ...addressWaitedOn(entry.notify, unit),
        kind: entry.type,
        level: entry.level,
        subject: entry.type === 'reminder' ? `Nhắc cho ý kiến: ${spec.title} — hạn ${due}` : `Quá hạn cho ý kiến (cấp ${entry.level}): ${spec.title}`,
        body: `Đơn vị chủ trì ${lead()} xin ý kiến ${unit} (${request.requestedBy.name}); hạn ${due}. Nội dung: ${request.question}`,
      });
    });
  };

  setHandler(
    requestCommentsUpdate,
    (request) => {
      patched(PATCH_COORD_COMMENTS);
      const limit = commentLimitOf(spec, request)!;
      apply({ type: 'comments-requested', at: now(), requestId: request.requestId, units: [...request.units], question: request.question, version: state.submissions.length, limit, by: request.actor });
      for (const unit of request.units) {
        notify({
          key: `${spec.id}:comment-request:${request.requestId}:${unit}`,
          audience: [],
          toUnits: [unit],
          kind: 'comment-request',
          level: 0,
          subject: `Xin ý kiến: ${spec.title}`,
          body: `${request.actor.name} (${request.actor.unit}) xin ý kiến đơn vị phối hợp: ${request.question}`,
        });
        void CancellationScope.nonCancellable(() => watchComment(request.requestId, unit));
      }
      return state;
    },
    {
      validator: (request) => {
        const refusal = checkCommentRequest(spec, state, request);
        if (refusal) throw refuse(refusal.code, refusal.field ? `${refusal.field}: ${refusal.message}` : refusal.message);
      },
    },
  );

  setHandler(
    giveCommentUpdate,
    (comment) => {
      apply({ type: 'comment-given', at: now(), requestId: comment.requestId, unit: comment.actor.unit, text: comment.text, by: comment.actor });
      notify({
        key: `${spec.id}:comment:${comment.requestId}:${comment.actor.unit}`,
        audience: ['lead-unit'],
        kind: 'comment',
        level: 0,
        subject: `Ý kiến của ${comment.actor.unit}: ${spec.title}`,
        body: comment.text,
      });
      return state;
    },
    {
      validator: (comment) => {
        const refusal = checkComment(state, comment);
        if (refusal) throw refuse(refusal.code, refusal.field ? `${refusal.field}: ${refusal.message}` : refusal.message);
      },
    },
  );

  setHandler(cancelSignal, ({ reason, actor }) => {
    if (!isAssignmentFinal(state)) apply({ type: 'cancelled', at: now(), reason, by: actor });
  });

  // Patch markers first: they are the first commands, before anything the workflow waits on.
  const quietRepeats = upToDate || patched(PATCH_QUIET_REPEATS);
  const responseDeadlines = upToDate || patched(PATCH_RESPONSE_DEADLINES);
  const answersDifficulties = upToDate || patched(PATCH_DIFFICULTY_ANSWER);
  // Opened by a starter that wrote the opening projection (see `opened`): the read model and the
  // search attributes given at start already show this state (`opened` implies perf2's effects loop: upToDate).
  const openedByStarter = input.opened;
  apply(openingEvent(spec, openedByStarter?.at ?? now()));
  if (openedByStarter) {
    projectedSeq = state.seq;
    const given = workflowInfo().typedSearchAttributes;
    upserted = JSON.stringify(assignmentSearchAttributes(shown(), state, upToDate).map((p) => given.get(p.key) ?? null));
    // Sent only when the start did not carry them.
    upsertSearch(state);
  }
  /** The highest level notified for the schedule in force (a new schedule starts again at 0). */
  let notified = { schedule: state.schedule, level: 0 };

  /**
   * An extension request waits on the Standing Office: its decision gets a deadline counted
   * from the request and a ladder, until decided or the assignment closes. Runs beside the
   * main loop, not cancellable: a cancellation reaches it as the assignment turning final.
   */
  const extensionRule = responseDeadlines ? spec.responseDeadlines?.extensionDecision : undefined;
  const watchExtensions = async (rule: WaitRule) => {
    const watched = new Set<string>();
    const unwatched = () => state.extensions.find((x) => x.status === 'pending' && !watched.has(x.requestId));
    for (;;) {
      await condition(() => isAssignmentFinal(state) || unwatched() !== undefined);
      const request = unwatched();
      if (isAssignmentFinal(state) || !request) return;
      watched.add(request.requestId);
      const unit = spec.noticeUnits.standingOffice;
      const { deadline, schedule } = await waitSchedule({ since: request.requestedAt, limit: rule.limit, policy: rule.policy, timeZone: spec.timeZone });
      const answered = () => isAssignmentFinal(state) || state.extensions.find((x) => x.requestId === request.requestId)?.status !== 'pending';
      if (answered()) continue;
      apply({ type: 'wait-opened', at: now(), kind: 'extension-decision', ref: request.requestId, unit, since: request.requestedAt, deadline });
      const due = deadline.effective.split('-').reverse().join('/');
      let level = 0;
      await runWaitLadder(schedule, answered, (entry, index, missed) => {
        if (entry.type === 'escalation') apply({ type: 'wait-escalated', at: now(), kind: 'extension-decision', ref: request.requestId, level: entry.level });
        if (missed || (quietRepeats && foldedIntoSummary(rule.policy, entry, level))) return;
        level = Math.max(level, entry.level);
        notify({
          key: `${spec.id}:wait:extension:${request.requestId}:${index}`,
          ...addressWaitedOn(entry.notify, unit),
          kind: entry.type,
          level: entry.level,
          subject:
            entry.type === 'reminder'
              ? `Nhắc quyết định gia hạn: ${spec.title} — hạn ${due}`
              : `Quá hạn quyết định gia hạn (cấp ${entry.level}): ${spec.title}`,
          body: `Đề nghị gia hạn đến ${request.proposedDate.split('-').reverse().join('/')} của ${request.requestedBy.name} (${request.requestedBy.unit}) chờ Văn phòng ${unit} quyết định; hạn ${due}.`,
        });
      });
    }
  };
  if (extensionRule) void CancellationScope.nonCancellable(() => watchExtensions(extensionRule));

  /**
   * A reported difficulty waits on the body the report went to: a deadline counted from the
   * submission and a ladder, until answered or the assignment is cancelled (a report done
   * still waits). Beside the main loop like the extension watcher.
   */
  const difficultyRule = answersDifficulties ? spec.responseDeadlines?.difficultyAnswer : undefined;
  const watchDifficulties = async (rule: WaitRule) => {
    const watched = new Set<number>();
    const unwatched = () => state.submissions.find((s) => s.difficulties?.trim() && !s.difficultyAnswer && !s.difficultyClosedAt && !watched.has(s.version));
    for (;;) {
      await condition(() => state.lifecycle === 'cancelled' || unwatched() !== undefined);
      const submission = unwatched();
      if (state.lifecycle === 'cancelled' || !submission) return;
      watched.add(submission.version);
      const unit = answerer();
      const ref = `v${submission.version}`;
      const { deadline, schedule } = await waitSchedule({ since: submission.at, limit: rule.limit, policy: rule.policy, timeZone: spec.timeZone });
      const answered = () => {
        const record = state.submissions.find((s) => s.version === submission.version);
        return state.lifecycle === 'cancelled' || record?.difficultyAnswer !== undefined || record?.difficultyClosedAt !== undefined;
      };
      if (answered()) continue;
      apply({ type: 'wait-opened', at: now(), kind: 'difficulty-answer', ref, unit, since: submission.at, deadline });
      const due = deadline.effective.split('-').reverse().join('/');
      let level = 0;
      await runWaitLadder(schedule, answered, (entry, index, missed) => {
        if (entry.type === 'escalation') apply({ type: 'wait-escalated', at: now(), kind: 'difficulty-answer', ref, level: entry.level });
        if (missed || foldedIntoSummary(rule.policy, entry, level)) return;
        level = Math.max(level, entry.level);
        notify({
          key: `${spec.id}:wait:difficulty:${ref}:${index}`,
          ...addressWaitedOn(entry.notify, unit),
          kind: entry.type,
          level: entry.level,
          subject:
            entry.type === 'reminder'
              ? `Nhắc trả lời khó khăn, vướng mắc: ${spec.title} — hạn ${due}`
              : `Quá hạn trả lời khó khăn, vướng mắc (cấp ${entry.level}): ${spec.title}`,
          body: `Khó khăn, vướng mắc ${submission.by.unit} báo cáo ngày ${submission.at.slice(0, 10).split('-').reverse().join('/')} chờ ${unit} trả lời; hạn ${due}.`,
        });
      });
    }
  };
  if (difficultyRule) void CancellationScope.nonCancellable(() => watchDifficulties(difficultyRule));

  /** The timer of the next due time (patch perf-fewer-events), replaced only when that time moves. */
  let armed: { at: number; scope: CancellationScope; fired: Promise<void> } | undefined;
  const alarmAt = (at: number): Promise<void> => {
    if (armed?.at !== at) {
      armed?.scope.cancel();
      const scope = new CancellationScope();
      armed = { at, scope, fired: scope.run(() => sleep(at - Date.now())).catch(() => undefined) };
    }
    return armed.fired;
  };

  // The main loop: approvals, then timers, until the assignment is final.
  const runUntilFinal = async () => {
    while (!isAssignmentFinal(state)) {
      const seenSeq = state.seq;
      const changed = () => state.seq !== seenSeq;

      if (state.lifecycle === 'awaiting-approval' && approval) {
        const open = approval;
        // A cancel (signal) must not wait for approvers: race the chain against it.
        const result = await Promise.race([open.result, condition(() => isAssignmentFinal(state)).then(() => undefined)]);
        if (!result) break;
        approval = undefined;
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
          const rescheduled = await inTurn(() => reschedule({ spec, now: now(), current: state.deadline }));
          Object.assign(closing, rescheduled);
        }
        // Cancelled meanwhile: a late "request changes" must not reopen the assignment.
        if (isAssignmentFinal(state)) break;
        apply(closing);
        const verdict = { approve: 'đã được phê duyệt', 'request-changes': 'cần chỉnh sửa', reject: 'không được phê duyệt' }[result.outcome];
        notify({
          key: `${spec.id}:decided:v${result.version}`,
          audience: ['lead-unit'],
          kind: 'decided',
          level: 0,
          subject: `${spec.title}: phiên bản ${result.version} ${verdict}`,
          body: result.comment || verdict,
        });
        continue;
      }

      const pending = nextPendingTimer(state);
      if (!pending) {
        await condition(changed);
        continue;
      }
      const wait = Date.parse(pending.entry.at) - Date.now();
      if (wait > 0 && fewerEvents) {
        // One timer per due time: a state change that does not move it (a submission, a
        // refused extension) keeps it running instead of cancelling and starting it again.
        await Promise.race([alarmAt(Date.parse(pending.entry.at)), condition(changed)]);
        if (changed() || Date.now() < Date.parse(pending.entry.at)) continue;
      } else if (wait > 0 && (await condition(changed, wait))) continue;
      // A timer whose successor is also already due was missed (e.g. a plan launched
      // after its dates): record it without a notice so people get only the latest one.
      const successor = state.schedule[pending.index + 1];
      const missed = successor !== undefined && Date.parse(successor.at) <= Date.now();
      if (notified.schedule !== state.schedule) notified = { schedule: state.schedule, level: 0 };
      apply({ type: 'timer-fired', at: now(), index: pending.index, entry: pending.entry });
      // With a summary in the policy, a repeat of a level already notified goes into the period's summary instead.
      const quiet = quietRepeats && foldedIntoSummary(spec.escalationPolicy, pending.entry, notified.level);
      if (!missed && !quiet) {
        notified.level = Math.max(notified.level, pending.entry.level);
        const { entry } = pending;
        notify({
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
    }
  };

  let cancelled = false;
  try {
    await runUntilFinal();
    // A report done with a difficulty still unanswered waits for the answer (or the plan's close).
    if (difficultyRule) await condition(() => unansweredDifficulty(state) === undefined);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The plan was closed (or an operator cancelled this workflow): record it as cancelled.
    cancelled = true;
    if (!isAssignmentFinal(state)) {
      apply({ type: 'cancelled', at: now(), reason: 'plan closed', by: { userId: 'system', name: 'Hệ thống', unit: spec.noticeUnits.standingOffice, roles: [] } });
    }
    // A report done whose difficulty still waited: it waits no more (only with patch esc2-difficulty-answer).
    for (let open = difficultyRule ? unansweredDifficulty(state) : undefined; open; open = unansweredDifficulty(state)) {
      apply({ type: 'difficulty-closed', at: now(), version: open.version, reason: 'plan closed' });
    }
  }

  await CancellationScope.nonCancellable(async () => {
    // An approval still open belongs to a cancelled assignment: close it, so it leaves
    // approvers' inboxes (the approval records 'cancelled' in the read model).
    if (approval) {
      await getExternalWorkflowHandle(approval.id).cancel().catch(() => undefined);
      approval = undefined;
    }
    await condition(allHandlersFinished);
    effects.finish();
    await effectsDone;
    if (!cancelled && planWorkflowId) {
      await getExternalWorkflowHandle(planWorkflowId).signal(assignmentClosedSignal, { assignmentId: spec.id, lifecycle: state.lifecycle });
    }
  });
  return state;
}
