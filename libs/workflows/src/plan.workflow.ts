import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ScheduledUnitEnd } from '@dieu-hanh/domain';
import { isPeriodicSeries, type Actor, type AssignmentSpec } from '@dieu-hanh/domain/assignment';
import type { AssignmentActivities, PlanPage } from './activities.contract';
import {
  amendDeadlineSignal,
  amendPlanUpdate,
  assignmentClosedSignal,
  cancelSignal,
  closePlanSignal,
  handOverSignal,
  launchMoreUpdate,
  openOnDemandUpdate,
  planProgressQuery,
  type PlanChangeRecord,
  type PlanChangeRequest,
} from './definitions';
import { assignmentWorkflow } from './assignment.workflow';
import { monthlyReportWorkflow } from './monthly-report.workflow';
import { overdueSummaryWorkflow } from './overdue-summary.workflow';
import { openingSearchAttributes } from './search-attributes.workflow';

/** Plans launched from here on start their periodic overdue summary (`summary:<plan>`) when a policy asks for one. */
export const PATCH_OVERDUE_SUMMARY = 'esc-overdue-summary';

const { planAssignmentsPage, openAssignmentIdsOfPlan, handoversDue, writeOpeningProjections } = proxyActivities<AssignmentActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

export interface PlanWorkflowInput {
  /** The plan version's key in the read model (also in each spec). */
  planId: string;
  /**
   * Older launches carried every spec here (and in every continue-as-new: about 1.7 KB
   * each, so ~1,200 units hit Temporal's 2 MB payload limit). New launches leave it out:
   * the workflow reads its assignments from the stored plan, a page per batch.
   */
  specs?: AssignmentSpec[];
  /** Launch only these assignments of the plan (ids), when not all. */
  onlyAssignments?: string[];
  /** How many specs earlier runs already started (continue-as-new carries it). */
  startedCount?: number;
  closedIds?: string[];
  /** Children started per run before continuing as new, so history stays bounded for big plans. */
  startsPerRun?: number;
  /** How many children to start at once (and specs to read per page). */
  batchSize?: number;
  /** The overdue summary was started by an earlier run. */
  summaryStarted?: boolean;
  /**
   * Units that end after the launch (libs/domain `scheduledUnitEnds`, computed by the API):
   * the plan holds a timer to each end and then hands the unit's open work to its successor.
   */
  unitEnds?: ScheduledUnitEnd[];
  /** The plan's Standing Office: the unit named beside "Hệ thống" on a scheduled hand-over. */
  standingOffice?: string;
  /**
   * The plan has obligations available when needed (III.4; libs/domain `onDemandOpenWindow`,
   * computed by the API): it stays open for their openings after its imposed work is done,
   * until it is closed or `until` (the end of its horizon; none: until it is closed) passes.
   */
  onDemandOpen?: { until?: string };
  /**
   * What a plan that stays open carries when it continues as new while it waits (its changes
   * all carried out): the later launches' and on-demand children it started, its change records.
   */
  openState?: { extra: string[]; onDemand: string[]; changes: PlanChangeRecord[] };
  /** A plan that stays open continues as new after this many events of waiting (default: when Temporal suggests it). */
  eventsPerRun?: number;
}

/** Ids read per page when closing (ids are small; specs are not). */
const ID_PAGE = 2000;

/** Marks the history of a plan that took a change (an amendment, a later launch) while it ran. */
export const PATCH_PLAN_CHANGES = 'amend-plan-changes';
/**
 * Units open on-demand assignments (III.4) through the plan, which starts them as its
 * children; a closing plan cancels them, and sweeps what the read model still shows open
 * of the plan (on-demand ones opened before this, periods of duties that do not cancel theirs).
 */
export const PATCH_ON_DEMAND_CHILDREN = 'life-on-demand-children';
/**
 * A unit that ends later (given at launch or by an amendment) hands its open assignments to
 * its successor when it ends: a durable timer, then the amendment's hand-over path.
 */
export const PATCH_SCHEDULED_HANDOVER = 'life-scheduled-handover';
/**
 * A plan with on-demand obligations stays open after its imposed work is done, until it is
 * closed or its horizon ends: the obligation stands while the plan runs.
 */
export const PATCH_STAY_OPEN = 'life2-stay-open';
/**
 * An amendment carries the amended plan's on-demand window: the plan stays open, or may
 * finish, per the new definition (an on-demand obligation added or removed, the horizon moved).
 */
export const PATCH_AMEND_ON_DEMAND = 'life3-amend-on-demand';

/**
 * Issue 12: the launch starts a page's assignment workflows with `opened` and their opening
 * search attributes, then writes their opening projections in one activity (one transaction),
 * so each skips its first round of effects (an activity, a workflow task and an upsert: 7 history
 * events). Rows show only once their workflows exist, as without the patch. The launch is
 * pipelined: the next page is read while a page's children start, and a page's openings are
 * written while the next page starts.
 * Later launches, amendments and on-demand openings start their children as before.
 */
export const PATCH_OPENING_PROJECTION = 'perf3-opening-projection';

/** What a scheduled hand-over says in each assignment's history. */
export const unitEndReason = (end: Pick<ScheduledUnitEnd, 'unit' | 'validTo' | 'successor'>) => {
  const [y, m, d] = end.validTo.split('-');
  return `Đơn vị ${end.unit} kết thúc hoạt động ngày ${d}/${m}/${y}; ${end.successor} tiếp nhận / unit ${end.unit} ended on ${d}/${m}/${y}; ${end.successor} takes over`;
};

const refuse = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/** What a change says in the history of each assignment it cancels or moves. */
export const changeReason = (change: Pick<PlanChangeRequest, 'changeId' | 'reason'>) => `Điều chỉnh kế hoạch ${change.changeId}: ${change.reason}`;

/**
 * A launched plan: starts one workflow per assignment (a sliding window over runs for
 * plans with thousands of units), counts them closing, and cancels what is still
 * open when the plan is closed. Children are abandoned on continue-as-new, not
 * killed; they report back by signal to this workflow id.
 */
export async function planWorkflow(input: PlanWorkflowInput): Promise<{ total: number; closed: number; closedEarly: boolean }> {
  const { planId, startsPerRun = 1000, batchSize = 50 } = input;
  const planWorkflowId = workflowInfo().workflowId;
  const closed = new Set(input.closedIds ?? []);
  let started = input.startedCount ?? 0;
  let closing: string | undefined;

  // The input's shape says which launch this is: with specs (older launches, still
  // running) or without (read from the stored plan, page by page).
  const inline = input.specs;
  const page = async (offset: number, limit: number, idsOnly = false): Promise<PlanPage> => {
    if (inline) {
      const specs = inline.slice(offset, offset + limit);
      return { total: inline.length, specs, ids: specs.map((s) => s.id) };
    }
    // Activity results are in history, so replay sees the same specs.
    return planAssignmentsPage({ planId, offset, limit, onlyAssignments: input.onlyAssignments, idsOnly });
  };
  let total = inline?.length;

  setHandler(assignmentClosedSignal, ({ assignmentId }) => {
    closed.add(assignmentId);
  });
  setHandler(closePlanSignal, ({ reason }) => {
    closing = reason;
  });
  // Changes while the plan runs: handlers record them; the main loop carries them out
  // (reading specs is PostgreSQL, so it is not done in the handler).
  const extra = new Set<string>(input.openState?.extra ?? []);
  const queue: { request: PlanChangeRequest & { unitEnd?: ScheduledUnitEnd }; record: PlanChangeRecord }[] = [];
  const changes: PlanChangeRecord[] = [...(input.openState?.changes ?? [])];
  let acceptingChanges = false;
  const takeChange = (kind: PlanChangeRecord['kind'], request: PlanChangeRequest): PlanChangeRecord => {
    patched(PATCH_PLAN_CHANGES);
    const record: PlanChangeRecord = { changeId: request.changeId, kind, at: new Date().toISOString(), applied: false, started: 0, alreadyStarted: 0, cancelled: 0, shifted: 0 };
    changes.push(record);
    queue.push({ request, record });
    return { ...record };
  };
  const validateChange = (request: Pick<PlanChangeRequest, 'changeId'>) => {
    if (closing !== undefined) throw refuse('PLAN_CLOSING', `plan ${planId} is closing; it takes no change`);
    if (!acceptingChanges) throw refuse('LAUNCH_IN_PROGRESS', `plan ${planId} is still starting its assignments; try again when the launch has finished`);
    if (changes.some((c) => c.changeId === request.changeId)) throw refuse('DUPLICATE', `change ${request.changeId} was already taken`);
  };
  // Scheduled unit ends: a durable timer each; when it fires, the hand-over joins the queue
  // of changes and the main loop carries it out as it does an amendment's.
  const waitingEnds = new Map<string, ScheduledUnitEnd>();
  const scheduleUnitEnds = (ends: readonly ScheduledUnitEnd[], officeUnit: string | undefined) => {
    for (const end of ends) {
      const changeId = `unit-end:${end.unit}:${end.validTo}`;
      if (waitingEnds.has(changeId) || changes.some((c) => c.changeId === changeId)) continue;
      waitingEnds.set(changeId, end);
      const actor: Actor = { userId: 'system', name: 'Hệ thống', unit: officeUnit ?? '', roles: [] };
      void sleep(Math.max(0, Date.parse(end.at) - Date.now())).then(() => {
        waitingEnds.delete(changeId);
        if (closing !== undefined || !acceptingChanges) return;
        const record: PlanChangeRecord = { changeId, kind: 'unit-end', at: new Date().toISOString(), applied: false, started: 0, alreadyStarted: 0, cancelled: 0, shifted: 0 };
        changes.push(record);
        queue.push({ request: { changeId, source: planId, reason: unitEndReason(end), actor, start: [], cancel: [], shift: [], unitEnd: end }, record });
      });
    }
  };

  // The on-demand window (III.4): whether the plan stays open after its imposed work, and
  // until when. Set from the input when the main loop starts, and by an amendment after.
  let onDemandWindow: { until?: string } | undefined;
  let stayOpen = false;
  let horizonEnded = false;
  let windowTimer = 0;
  let windowAmended = false;
  const setWindow = (next: { until?: string } | undefined, amended = true) => {
    onDemandWindow = next;
    windowAmended ||= amended;
    stayOpen = next !== undefined;
    horizonEnded = false;
    // Each window holds its own timer; one a later window replaced fires to no effect.
    const timer = ++windowTimer;
    if (next?.until !== undefined) {
      void sleep(Math.max(0, Date.parse(next.until) - Date.now())).then(() => {
        if (timer === windowTimer) horizonEnded = true;
      });
    }
  };

  setHandler(
    amendPlanUpdate,
    (request) => {
      const record = takeChange('amendment', request);
      // Units the amendment ends later: their hand-over waits for the end, not for another amendment.
      if (request.unitEnds?.length && patched(PATCH_SCHEDULED_HANDOVER)) scheduleUnitEnds(request.unitEnds, request.actor.unit);
      // The amended window is in force at once: openings and the plan's end follow the new definition.
      if (request.onDemandOpen !== undefined && patched(PATCH_AMEND_ON_DEMAND)) setWindow(request.onDemandOpen ?? undefined);
      return record;
    },
    { validator: validateChange },
  );
  setHandler(launchMoreUpdate, (request) => takeChange('launch', { ...request, cancel: [], shift: [] }), { validator: validateChange });

  // On-demand assignments (khi cần thiết): the handler starts the child (a Temporal command,
  // no database or SMTP), so the unit's answer says it runs or why not.
  const onDemand = new Set<string>(input.openState?.onDemand ?? []);
  let openingOnDemand = 0;
  let finished = false;
  const validateOnDemand = ({ spec }: { spec: AssignmentSpec }) => {
    if (closing !== undefined) throw refuse('PLAN_CLOSING', `kế hoạch ${planId} đang đóng, không mở thêm nhiệm vụ / plan ${planId} is closing; nothing more can be opened`);
    if (finished) throw refuse('PLAN_CLOSED', `kế hoạch ${planId} đã kết thúc / plan ${planId} has finished`);
    if (horizonEnded) throw refuse('PLAN_CLOSED', `thời gian thực hiện kế hoạch ${planId} đã hết / plan ${planId}'s horizon has ended`);
    if (!acceptingChanges) throw refuse('LAUNCH_IN_PROGRESS', `kế hoạch ${planId} đang khởi chạy; thử lại khi xong / plan ${planId} is still starting its assignments; try again when the launch has finished`);
    if (spec.planId !== planId) throw refuse('INVALID', `spec of plan ${spec.planId} sent to plan ${planId}`);
    // An amendment left the plan no on-demand obligation, or a horizon that has already ended.
    if (windowAmended && onDemandWindow === undefined) {
      throw refuse(
        'NOT_ACCEPTING',
        `kế hoạch ${planId} đã điều chỉnh không còn nhận mở nhiệm vụ khi cần thiết / plan ${planId} as amended takes no more on-demand openings`,
      );
    }
    if (onDemand.has(spec.id)) throw refuse('DUPLICATE', `${spec.id} đã được mở / was already opened`);
  };
  setHandler(
    openOnDemandUpdate,
    async ({ spec }) => {
      patched(PATCH_ON_DEMAND_CHILDREN);
      onDemand.add(spec.id);
      openingOnDemand++;
      try {
        if (!(await startAssignment(spec, planWorkflowId, true))) {
          onDemand.delete(spec.id);
          throw refuse('DUPLICATE', `${spec.id} đã tồn tại / already exists`);
        }
      } finally {
        openingOnDemand--;
      }
      return { id: spec.id };
    },
    { validator: validateOnDemand },
  );

  setHandler(planProgressQuery, () => ({
    started,
    closed: closed.size,
    total: total ?? 0,
    closing: closing !== undefined,
    extra: extra.size,
    changes: changes.map((c) => ({ ...c })),
    ...(onDemand.size ? { onDemand: onDemand.size } : {}),
    ...(waitingEnds.size ? { unitEnds: [...waitingEnds.values()] } : {}),
  }));

  let summarySource: AssignmentSpec | undefined;
  let summaryStarted = input.summaryStarted;
  let stopAt = total === undefined ? started + startsPerRun : Math.min(total, started + startsPerRun);
  // Asked before the run's first page when it has any to launch (launches from stored pages only).
  const opensProjected = started < stopAt && closing === undefined && inline === undefined && patched(PATCH_OPENING_PROJECTION);
  /** With the patch: the next page, read while this page's children start. */
  let readAhead: Promise<PlanPage> | undefined;
  /** With the patch: the pages' opening projections, written while the next page starts (they never reject). */
  const openings: Promise<void>[] = [];
  while (started < stopAt && closing === undefined) {
    const { specs, total: all } = await (readAhead ?? page(started, Math.min(batchSize, stopAt - started)));
    readAhead = undefined;
    total = all;
    stopAt = Math.min(total, stopAt);
    if (specs.length === 0) break;
    if (opensProjected) {
      const next = started + specs.length;
      if (next < stopAt) readAhead = page(next, Math.min(batchSize, stopAt - next));
      // Workflow time: the same on replay and in every retry of the write.
      const at = new Date().toISOString();
      const fresh = await Promise.all(specs.map((spec) => startAssignment(spec, planWorkflowId, false, at)));
      // Only once they exist do their rows show (an Update on a row finds its workflow). Only the
      // workflows started here: one already running was started, and projected, by an earlier run.
      const opened = specs.filter((spec, i) => fresh[i] && !isPeriodicSeries(spec));
      if (opened.length > 0) openings.push(writeOpenings(planId, opened, at));
    } else {
      await Promise.all(specs.map((spec) => startAssignment(spec, planWorkflowId)));
    }
    started += specs.length;
    summarySource ??= specs.find((spec) => spec.escalationPolicy?.summary);
  }
  // A page read ahead of a launch that stopped (the plan is closing) is not started; its read is
  // awaited so that no activity of this run is left behind.
  if (readAhead) await readAhead.catch(() => undefined);
  await Promise.all(openings);
  if (summarySource && !input.summaryStarted && patched(PATCH_OVERDUE_SUMMARY)) {
    await startSummary(planId, summarySource);
    summaryStarted = true;
  }
  if (total === undefined) total = (await page(0, 0, true)).total;
  if (started < total && closing === undefined) {
    // Only counters travel: the next run reads its own pages.
    await continueAsNew<typeof planWorkflow>({ ...input, startedCount: started, closedIds: [...closed], ...(summaryStarted ? { summaryStarted } : {}) });
  }

  const everything = total;
  const applyChange = async ({ request, record }: (typeof queue)[number]) => {
    for (let offset = 0; offset < request.start.length; offset += batchSize) {
      const ids = request.start.slice(offset, offset + batchSize);
      const { specs } = await planAssignmentsPage({ planId, definitionOf: request.source, offset: 0, limit: ids.length, onlyAssignments: ids });
      const fresh = await Promise.all(specs.map((spec) => startAssignment(spec, planWorkflowId, true)));
      specs.forEach((spec, i) => {
        if (fresh[i]) extra.add(spec.id);
      });
      record.started += fresh.filter(Boolean).length;
      record.alreadyStarted += fresh.filter((f) => !f).length;
    }
    // A scheduled unit end gives no list: who the unit leads now is asked when it ends.
    const handOver = request.unitEnd ? await handoversDue({ planId, unit: request.unitEnd.unit, validTo: request.unitEnd.validTo }) : request.handOver;
    const reason = request.unitEnd ? request.reason : changeReason(request);
    // An assignment never started or already closed answers "not found": nothing to do.
    const cancelled = await Promise.all(
      request.cancel
        .filter((id) => !closed.has(id))
        .map((id) => getExternalWorkflowHandle(id).signal(cancelSignal, { reason, actor: request.actor }).then(() => true, () => false)),
    );
    record.cancelled = cancelled.filter(Boolean).length;
    const shifted = await Promise.all(
      request.shift
        .filter(({ id }) => !closed.has(id))
        .map(({ id, date }) =>
          getExternalWorkflowHandle(id).signal(amendDeadlineSignal, { changeId: request.changeId, date, reason, actor: request.actor }).then(() => true, () => false),
        ),
    );
    record.shifted = shifted.filter(Boolean).length;
    if (handOver?.length) {
      const handed = await Promise.all(
        handOver
          .filter(({ id }) => !closed.has(id))
          .map(({ id, from, to }) =>
            getExternalWorkflowHandle(id).signal(handOverSignal, { changeId: request.changeId, from, to, reason, actor: request.actor }).then(() => true, () => false),
          ),
      );
      record.handedOver = handed.filter(Boolean).length;
    } else if (request.unitEnd) {
      record.handedOver = 0;
    }
    record.applied = true;
  };
  acceptingChanges = true;
  if (input.unitEnds?.length && patched(PATCH_SCHEDULED_HANDOVER)) scheduleUnitEnds(input.unitEnds, input.standingOffice);
  // On-demand obligations stand while the plan runs: with their imposed work done, it waits
  // for openings until it is closed or its horizon ends (a durable timer; then it finishes
  // once what is open has closed, and refuses new openings).
  // (An amendment taken while the launch was starting is refused: none can have set it yet.)
  if (input.onDemandOpen !== undefined && patched(PATCH_STAY_OPEN)) setWindow(input.onDemandOpen, false);
  // On-demand children report closing too: the plan runs while one is open.
  const done = () => closed.size >= everything + extra.size + onDemand.size && (!stayOpen || horizonEnded);
  // Open for years, a plan continues as new while it waits, so its history stays bounded.
  const waitedFrom = workflowInfo().historyLength;
  const runFull = () => {
    if (!stayOpen) return false;
    const info = workflowInfo();
    return info.continueAsNewSuggested || (input.eventsPerRun !== undefined && info.historyLength - waitedFrom >= input.eventsPerRun);
  };
  for (;;) {
    await condition(() => closing !== undefined || queue.length > 0 || done() || runFull());
    if (closing === undefined && queue.length === 0 && !done()) {
      // Only when nothing is under way: an opening's child start, an Update still answering.
      await condition(() => openingOnDemand === 0 && allHandlersFinished());
      if (closing !== undefined || queue.length > 0 || done()) continue;
      await continueAsNew<typeof planWorkflow>({
        ...input,
        startedCount: started,
        closedIds: [...closed],
        ...(summaryStarted ? { summaryStarted } : {}),
        unitEnds: [...waitingEnds.values()],
        openState: { extra: [...extra], onDemand: [...onDemand], changes: changes.map((c) => ({ ...c })) },
        // An amended window travels on; the next run holds its timer again.
        ...(windowAmended ? { onDemandOpen: onDemandWindow } : {}),
      });
    }
    if (closing !== undefined || queue.length === 0) break;
    await applyChange(queue.shift()!);
  }
  acceptingChanges = false;
  finished = true;
  /**
   * After the plan's own children: its on-demand children (once their start is settled),
   * then whatever the read model still shows open of the plan that the plan did not just
   * cancel. A closed plan must leave nothing running.
   */
  const cancelTheRest = async (done: Set<string>) => {
    await condition(() => openingOnDemand === 0);
    const openOnDemand = [...onDemand].filter((id) => !closed.has(id) && !done.has(id));
    openOnDemand.forEach((id) => done.add(id));
    await Promise.all(openOnDemand.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
    for (let afterId: string | undefined; ; ) {
      const ids = await openAssignmentIdsOfPlan({ planId, afterId, limit: ID_PAGE });
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1];
      const left = ids.filter((id) => !closed.has(id) && !done.has(id));
      await Promise.all(left.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
    }
  };
  const everyCancelled = new Set<string>();
  if (closing !== undefined) {
    // Older launches cancelled all in one go; keep their commands in the same order.
    const idPage = inline ? Math.max(1, started) : ID_PAGE;
    for (let offset = 0; offset < started; offset += idPage) {
      const { ids } = await page(offset, Math.min(idPage, started - offset), true);
      const open = ids.filter((id) => !closed.has(id));
      open.forEach((id) => everyCancelled.add(id));
      await Promise.all(open.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
    }
    const openExtra = [...extra].filter((id) => !closed.has(id));
    await Promise.all(openExtra.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined)));
    // Nothing of a closed plan is overdue any more: its summary stops now, not at its next period.
    if (summaryStarted) await getExternalWorkflowHandle(summaryWorkflowId(planId)).cancel().catch(() => undefined);
    if (patched(PATCH_ON_DEMAND_CHILDREN)) await cancelTheRest(new Set([...everyCancelled, ...openExtra]));
  }
  await condition(allHandlersFinished);
  return { total: everything + extra.size, closed: closed.size, closedEarly: closing !== undefined };
}

/**
 * The opening projections of assignment workflows just started with `opened: { at }` (patch
 * `perf3-opening-projection`), one activity for the page. It retries any failure (the workflows
 * count their opening as projected). A refusal of the data (validated at the edge: not expected)
 * or retries exhausted are logged, and the launch goes on: those rows then show, without their
 * opening event, at the workflow's next state change (its next effects round writes the row from
 * the full state, events from seq 2).
 */
async function writeOpenings(planId: string, specs: AssignmentSpec[], at: string): Promise<void> {
  try {
    const { refused } = await writeOpeningProjections({ planId, ids: specs.map((s) => s.id), at });
    if (refused.length > 0) log.warn('opening projections refused', { refused });
  } catch (err) {
    log.error('opening projections not written', { ids: specs.map((s) => s.id), error: String(err) });
  }
}

/**
 * Starts one assignment under its business key; false when a workflow with that id was
 * already started. `once` (later launches, amendments) also refuses an id whose workflow
 * has closed, so launching the rest never runs an assignment a second time. `openedAt`: the
 * plan writes its opening projection, opened at that time, once the page's children are started.
 */
async function startAssignment(spec: AssignmentSpec, planWorkflowId: string, once = false, openedAt?: string): Promise<boolean> {
  const options = {
    workflowId: spec.id,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    ...(once ? { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const } : {}),
  };
  try {
    if (isPeriodicSeries(spec)) {
      await startChild(monthlyReportWorkflow, { ...options, args: [{ spec, planWorkflowId }] });
    } else if (openedAt !== undefined) {
      // The plan writes its opening projection right after it starts (patch perf3-opening-projection): it starts where its first round would leave it.
      await startChild(assignmentWorkflow, {
        ...options,
        typedSearchAttributes: openingSearchAttributes(spec, openedAt),
        args: [{ spec, planWorkflowId, opened: { at: openedAt } }],
      });
    } else {
      await startChild(assignmentWorkflow, { ...options, args: [{ spec, planWorkflowId }] });
    }
    return true;
  } catch (err) {
    // Started by an earlier run of this plan (or by hand): one workflow per business key.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return false;
  }
}

const summaryWorkflowId = (planId: string) => `summary:${planId}`;

/** The plan's periodic overdue summary, from the first policy that asks for one; abandoned with the plan, it ends by itself. */
async function startSummary(planId: string, spec: AssignmentSpec): Promise<void> {
  const policy = spec.escalationPolicy!;
  try {
    await startChild(overdueSummaryWorkflow, {
      workflowId: summaryWorkflowId(planId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ planId, rule: policy.summary!, noticeTime: policy.noticeTime, timeZone: spec.timeZone }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
