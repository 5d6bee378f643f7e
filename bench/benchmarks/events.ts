import { withWorkers, type BenchContext } from '../support/context';
import { assignmentLife, bareLife, draftingCycle, eventName, historyOf, type HistoryEvent } from '../support/lives';
import { bySize, percentile, type BenchResult, type BenchSize, type Cell } from '../support/report';

/** Why each kind of event is in an assignment's or an approval's history. */
const REASONS: Record<string, string> = {
  workflowExecutionStarted: 'the workflow starts (input: the spec)',
  workflowExecutionCompleted: 'the workflow returns its final state',
  workflowTaskScheduled: 'something happened the workflow code must see (start, Update, activity result, timer, child)',
  workflowTaskStarted: 'a worker picked that task up',
  workflowTaskCompleted: 'the worker answered with commands',
  'markerRecorded (core_patch)': 'patched(): which code path this run takes, kept for replay (one per patch id asked)',
  'markerRecorded (core_local_activity)': 'a local activity result (the working-day calendar: a new deadline or wait schedule), recorded in the task that ran it',
  upsertWorkflowSearchAttributes: 'search attributes (DhStatus …) for the Temporal UI follow the state; plus one TemporalChangeVersion upsert per patch marker (Temporal core adds it)',
  workflowExecutionUpdateAccepted: 'a person’s action (submit, decide) passed its validator',
  workflowExecutionUpdateCompleted: 'the answer to that person',
  'activityTaskScheduled (projectAssignment)': 'read model: the assignment’s state and events into PostgreSQL',
  'activityTaskScheduled (projectApproval)': 'read model: the approval (approvers’ inboxes)',
  'activityTaskScheduled (sendNotice)': 'a notice (e-mail + in-app) after a state change',
  'activityTaskScheduled (recordEffects)': 'read model and the in-app notices queued with it, in one activity and one transaction (e-mail, when due, still goes by sendNotice)',
  activityTaskStarted: 'an activity worker picked it up',
  activityTaskCompleted: 'the activity’s result',
  timerStarted: 'the next reminder/escalation is armed',
  timerCanceled: 'the armed timer was cancelled (a state change moved or dropped the due time)',
  timerFired: 'a reminder/escalation is due',
  startChildWorkflowExecutionInitiated: 'the approval chain is started as a child',
  childWorkflowExecutionStarted: 'the server started the child',
  childWorkflowExecutionCompleted: 'the approval’s outcome comes back to the assignment',
};

/** Groups activity started/completed under the activity they belong to, so the table says whose they are. */
function named(events: HistoryEvent[]): string[] {
  const scheduled = new Map<string, string>();
  return events.map((e) => {
    const name = eventName(e);
    if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    const of = e.activityTaskStartedEventAttributes?.scheduledEventId ?? e.activityTaskCompletedEventAttributes?.scheduledEventId;
    return of != null ? `${name} (${scheduled.get(String(of))})` : name;
  });
}

const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
const reasonOf = (name: string) => REASONS[name] ?? REASONS[name.replace(/ \(.*\)$/, '')] ?? '';

/**
 * Target 2: history events per simple life against bare Temporal, and what a drafting ->
 * two-step approval cycle leaves in history, event by event, before and after this branch.
 */
export async function eventsBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const samples = bySize(size, { small: 1, medium: 5, full: 10 });
  const variants = [
    // Started as a plan's launch starts them (opening projection by the starter, patch perf3-opening-projection).
    { name: 'after (this branch)', queue: 'events-after', bundle: ctx.bundles.current, opening: ctx.db },
    ...(ctx.bundles.baseline ? [{ name: 'before (baseline)', queue: 'events-before', bundle: ctx.bundles.baseline }] : []),
  ];
  const workers = [
    await ctx.worker({ taskQueue: 'events-bare', bundle: ctx.bundles.bare, withActivities: false }),
    ...(await Promise.all(variants.map((v) => ctx.worker({ taskQueue: v.queue, bundle: v.bundle })))),
  ];
  const simple: { name: string; events: number }[] = [];
  const cycles: { name: string; assignment: string[]; approval: string[] }[] = [];
  await withWorkers(workers, async () => {
    const lengths = async (ids: string[]) => percentile(await Promise.all(ids.map(async (id) => (await historyOf(ctx.client, id)).length)), 50);
    const bareIds = [];
    for (let i = 0; i < samples; i++) bareIds.push((await bareLife(ctx.client, 'events-bare', true)).id);
    simple.push({ name: 'bare (start, Update, complete)', events: await lengths(bareIds) });
    for (const v of variants) {
      const ids = [];
      for (let i = 0; i < samples; i++) ids.push((await assignmentLife(ctx.client, v.queue, true, v.opening)).id);
      simple.push({ name: `assignment, ${v.name}`, events: await lengths(ids) });
      const { assignmentId, approvalId } = await draftingCycle(ctx.client, v.queue, v.opening);
      cycles.push({ name: v.name, assignment: named(await historyOf(ctx.client, assignmentId)), approval: named(await historyOf(ctx.client, approvalId)) });
    }
  });
  const bare = simple[0].events;
  const after = cycles[0];
  const before = cycles[1];
  const kinds = [...new Set([...(before ? [...before.assignment, ...before.approval] : []), ...after.assignment, ...after.approval])];
  const [a, ap] = [count(after.assignment), count(after.approval)];
  const [b, bp] = before ? [count(before.assignment), count(before.approval)] : [new Map<string, number>(), new Map<string, number>()];
  const rows: Cell[][] = kinds.map((k) => [k, before ? (b.get(k) ?? 0) + (bp.get(k) ?? 0) : undefined, (a.get(k) ?? 0) + (ap.get(k) ?? 0), reasonOf(k)]);
  rows.sort((x, y) => Number(y[2]) - Number(x[2]));
  const total = (c?: (typeof cycles)[number]) => (c ? c.assignment.length + c.approval.length : undefined);
  rows.push(['**total** (assignment + approval)', total(before), total(after), before ? `assignment ${before.assignment.length} → ${after.assignment.length}, approval ${before.approval.length} → ${after.approval.length}` : '']);
  return {
    figures: { samples, simple, bareEvents: bare, ratio: simple.at(-1 - (before ? 1 : 0))!.events / bare, cycle: { before: total(before), after: total(after) }, cycleEvents: cycles },
    tables: [
      {
        title: 'History events per simple life (start; submit Update after the first task; done; median of samples)',
        columns: ['workflow', 'events', '× bare'],
        rows: simple.map((s) => [s.name, s.events, s.events / bare]),
        notes: ['Target: ≤ 2× bare.'],
      },
      {
        title: 'Events of one drafting → two-step approval cycle (assignment + approval workflow), by kind',
        columns: ['event', 'before', 'after', 'why it is there'],
        rows,
      },
    ],
  };
}
