import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscalationPolicySchema } from '@dieu-hanh/domain';
import { assignmentOpening, isPeriodicSeries, type AssignmentSpec } from '@dieu-hanh/domain/assignment';
import {
  SA_STATUS,
  WORKFLOW_TYPES,
  assignmentStateQuery,
  closePlanSignal,
  planProgressQuery,
  reportDutyQuery,
  submitUpdate,
  type AssignmentWorkflowInput,
  type PlanWorkflowInput,
} from '@dieu-hanh/workflows';
import { MAX_SPECS_PER_PAGE, PlanActivities } from '../../apps/worker/src/activities/plan.activities';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { ownSeedPlan } from '../support/seed-plan';
import { bigSeedPlan } from './big-plan';
import { DRAFTER, SECONDS_POLICY, testSpec } from './fixtures';

/** Temporal's default payload limit (blob size, error level). */
const PAYLOAD_LIMIT = 2 * 1024 * 1024;

describe('plans of thousands of units and closing plans (holes 8 and 10)', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  // Launching all 1,561 workflows takes more than ten minutes on a loaded two-core CI
  // machine, so the launch itself runs with a small plan (next test: pages, continue-as-new,
  // close), and this one proves the sizes at full scale: the old input is refused by
  // Temporal, the pages that replace it stay small and cover every assignment once.
  it('a plan of 1,561 assignments: the old input shape is over the payload limit; its pages are small and cover every assignment once', async () => {
    const { plan, specs } = bigSeedPlan('BIG', 1470);
    expect(specs.length).toBeGreaterThanOrEqual(1500);
    const key = `${plan.plan.code}@v1`;
    await h.db.query(
      `INSERT INTO plan_versions (code, version, key, number, title, fingerprint, definition, imported_by) VALUES ($1, 1, $2, $3, $4, $5, $6, 'test')`,
      [plan.plan.code, key, plan.plan.number, plan.plan.title, randomUUID(), JSON.stringify(plan)],
    );

    // The old shape (every spec in the input) is refused by Temporal itself.
    const inline: PlanWorkflowInput = { planId: key, specs };
    expect(JSON.stringify(inline).length).toBeGreaterThan(PAYLOAD_LIMIT);
    const refused = (await h.client.workflow
      .start(WORKFLOW_TYPES.plan, { workflowId: `plan-inline:${key}`, taskQueue: h.taskQueue, args: [inline] })
      .then(() => undefined, (e: unknown) => e)) as (Error & { cause?: Error }) | undefined;
    expect(`${refused?.message} / ${refused?.cause?.message}`).toMatch(/size|limit|exceed|too large/i);

    // The new input is the key; the workflow reads pages of at most MAX_SPECS_PER_PAGE,
    // whatever it asks for, and ids in bigger pages when closing.
    expect(JSON.stringify({ planId: key } satisfies PlanWorkflowInput).length).toBeLessThan(200);
    const activities = new PlanActivities(h.db);
    const seen: string[] = [];
    let largest = 0;
    for (let offset = 0; ; ) {
      const page = await activities.planAssignmentsPage({ planId: key, offset, limit: 100_000 });
      expect(page.total).toBe(specs.length);
      if (page.specs.length === 0) break;
      expect(page.specs.length).toBeLessThanOrEqual(MAX_SPECS_PER_PAGE);
      largest = Math.max(largest, JSON.stringify(page).length);
      seen.push(...page.specs.map((s) => s.id));
      offset += page.specs.length;
    }
    expect(largest).toBeLessThan(500_000);
    expect(seen).toEqual(specs.map((s) => s.id));
    const ids = await activities.planAssignmentsPage({ planId: key, offset: 0, limit: 100_000, idsOnly: true });
    expect(ids.specs).toEqual([]);
    expect(ids.ids).toEqual(specs.map((s) => s.id));
    expect(JSON.stringify(ids).length).toBeLessThan(500_000);
  });

  it('a stored plan continues as new carrying counters only, and each run reads its own pages', async () => {
    const { plan, specsFor } = ownSeedPlan('PAGES');
    const key = `${plan.plan.code}@v1`;
    const specs = specsFor(key).filter((s) => s.kind !== 'monthly-report');
    await h.db.query(
      `INSERT INTO plan_versions (code, version, key, number, title, fingerprint, definition, imported_by) VALUES ($1, 1, $2, $3, $4, $5, $6, 'test')`,
      [plan.plan.code, key, plan.plan.number, plan.plan.title, randomUUID(), JSON.stringify(plan)],
    );
    const onlyAssignments = specs.slice(0, 12).map((s) => s.id);
    const input: PlanWorkflowInput = { planId: key, onlyAssignments, startsPerRun: 5, batchSize: 3 };
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId: `plan:${key}`, taskQueue: h.taskQueue, args: [input] });
    await eventually(async () => {
      const p = await handle.query(planProgressQuery);
      return p.started === 12 ? p : undefined;
    }, 60_000, 'twelve assignments started');
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    // Each run's input is counters and ids of closed assignments, never specs.
    const history = await h.client.workflow.getHandle(handle.workflowId, description.runId).fetchHistory();
    const run = history.events?.find((e) => e.workflowExecutionStartedEventAttributes)?.workflowExecutionStartedEventAttributes;
    const carried = JSON.parse(Buffer.from(run!.input!.payloads![0].data!).toString('utf8')) as PlanWorkflowInput;
    expect(carried).toMatchObject({ planId: key, startedCount: expect.any(Number) });
    expect(carried.specs).toBeUndefined();
    const started = await eventually(async () => {
      const rows = (await h.db.query(`SELECT id FROM assignments WHERE plan_key = $1 ORDER BY id`, [key])) as { id: string }[];
      return rows.length === 12 ? rows.map((r) => r.id) : undefined;
    }, 60_000, 'twelve assignments in the read model');
    expect(started).toEqual([...onlyAssignments].sort());
    await handle.signal(closePlanSignal, { reason: 'Kiểm thử' });
    expect(await handle.result()).toMatchObject({ total: 12, closedEarly: true });
    // A replay fixture that ends in continue-as-new (the first run).
    recordHistory('plan-from-key-first-run', handle.workflowId, handle.firstExecutionRunId);
  });

  it('patch perf3-opening-projection: once a page\'s children are started the plan writes their opening projections, they skip their first round, a retried write changes nothing', async () => {
    const { plan, specsFor } = ownSeedPlan('OPENING');
    const key = `${plan.plan.code}@v1`;
    const all = specsFor(key);
    // One that a submission finishes (no approval chain) among them.
    const done = all.find((s) => !isPeriodicSeries(s) && !s.approvalChain?.length)!;
    const specs = [...all.filter((s) => !isPeriodicSeries(s) && s.id !== done.id).slice(0, 3), done];
    const duty = all.find(isPeriodicSeries)!;
    await h.db.query(
      `INSERT INTO plan_versions (code, version, key, number, title, fingerprint, definition, imported_by) VALUES ($1, 1, $2, $3, $4, $5, $6, 'test')`,
      [plan.plan.code, key, plan.plan.number, plan.plan.title, randomUUID(), JSON.stringify(plan)],
    );
    const input: PlanWorkflowInput = { planId: key, onlyAssignments: [...specs.map((s) => s.id), duty.id], batchSize: 10 };
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId: `plan:${key}`, taskQueue: h.taskQueue, args: [input] });
    await eventually(async () => ((await handle.query(planProgressQuery)).started === 5 ? true : undefined), 60_000, 'five started');

    const inputOf = async (id: string) => {
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      const started = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!;
      return JSON.parse(Buffer.from(started.input!.payloads![0].data!).toString('utf8')) as AssignmentWorkflowInput;
    };
    // The monthly duty is a series, not one assignment: started as before.
    expect((await inputOf(duty.id)).opened).toBeUndefined();
    const at = (await inputOf(specs[0].id)).opened?.at;
    expect(at).toEqual(expect.any(String));
    for (const spec of specs) {
      const child = h.client.workflow.getHandle(spec.id);
      expect((await inputOf(spec.id)).opened).toEqual({ at });
      // Search attributes given at start.
      expect((await child.describe()).typedSearchAttributes.get(SA_STATUS)).toEqual(expect.any(String));
      // Seq 1 is exactly the opening the workflow would have projected: same event, same time.
      const opening = assignmentOpening(spec, at!);
      const [first] = await h.db.query(`SELECT type, at, payload FROM assignment_events WHERE assignment_id = $1 AND seq = 1`, [spec.id]);
      expect(first.payload).toEqual(JSON.parse(JSON.stringify(opening.events[0])));
      // The workflow never projects seq 1 itself: any round it runs starts after it (the seed plan's
      // dates are past, so missed reminders make a round at once; a plan in the future makes none).
      const history = await child.fetchHistory();
      // Its `opened` input stands for every patch up to this one: no patch marker, no TemporalChangeVersion upsert.
      expect(history.events!.filter((e) => e.markerRecordedEventAttributes)).toEqual([]);
      const rounds = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordEffects');
      for (const round of rounds) {
        const batch = JSON.parse(Buffer.from(round.activityTaskScheduledEventAttributes!.input!.payloads![0].data!).toString('utf8')) as { assignment?: { firstSeq: number } };
        expect(batch.assignment?.firstSeq ?? 2).toBeGreaterThan(1);
      }
    }
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM assignment_events WHERE assignment_id = ANY($1) AND seq = 1`, [specs.map((s) => s.id)]);
    expect(n).toBe(specs.length);
    // Rows are written after the workflows exist: one write, scheduled after every child of the
    // page has started, naming exactly the assignments it started (not the duty's series).
    const planEvents = (await handle.fetchHistory()).events!;
    const writes = planEvents.flatMap((e, i) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'writeOpeningProjections' ? [i] : []));
    expect(writes).toHaveLength(1);
    const page = new Set([...specs.map((s) => s.id), duty.id]);
    const childrenStarted = planEvents.flatMap((e, i) => (page.has(e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? '') ? [i] : []));
    expect(childrenStarted).toHaveLength(5);
    expect(Math.max(...childrenStarted)).toBeLessThan(writes[0]);
    const written = JSON.parse(Buffer.from(planEvents[writes[0]].activityTaskScheduledEventAttributes!.input!.payloads![0].data!).toString('utf8')) as { planId: string; ids: string[]; at: string };
    expect(written.at).toBe(at);
    // Ids, not specs: the specs are in the plan's history already (the page, the children's inputs).
    expect(written).toEqual({ planId: key, ids: expect.any(Array), at });
    expect([...written.ids].sort()).toEqual(specs.map((s) => s.id).sort());

    // One assignment submits and finishes; the others are where their workflows left them.
    const child = h.client.workflow.getHandle(done.id);
    await child.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo', attachments: [], actor: { ...DRAFTER, unit: done.leadUnit }, cites: done.mustCite }] });
    await eventually(async () => {
      for (const spec of specs) {
        const rows = (await h.db.query(`SELECT seq FROM assignments WHERE id = $1`, [spec.id])) as { seq: number }[];
        const state = await h.client.workflow.getHandle(spec.id).query(assignmentStateQuery);
        if (rows[0]?.seq !== state.seq) return undefined;
      }
      return true;
    }, 60_000, 'the read model up to date with every workflow');
    const before = (await h.db.query(`SELECT id, seq, state, updated_at FROM assignments WHERE id = ANY($1) ORDER BY id`, [specs.map((s) => s.id)])) as unknown[];
    const eventsBefore = await h.db.query(`SELECT assignment_id, seq, payload FROM assignment_events WHERE assignment_id = ANY($1) ORDER BY assignment_id, seq`, [specs.map((s) => s.id)]);
    // The write retried (same time) or run again later (another time): no row regresses or doubles.
    const activities = new PlanActivities(h.db);
    for (const openAt of [at!, new Date().toISOString()]) {
      expect(await activities.writeOpeningProjections({ planId: key, ids: specs.map((s) => s.id), at: openAt })).toEqual({ refused: [] });
    }
    expect(await h.db.query(`SELECT id, seq, state, updated_at FROM assignments WHERE id = ANY($1) ORDER BY id`, [specs.map((s) => s.id)])).toEqual(before);
    expect(await h.db.query(`SELECT assignment_id, seq, payload FROM assignment_events WHERE assignment_id = ANY($1) ORDER BY assignment_id, seq`, [specs.map((s) => s.id)])).toEqual(eventsBefore);

    await handle.signal(closePlanSignal, { reason: 'Kiểm thử' });
    await handle.result();
    await child.result();
    recordHistory('plan-perf3-opening-projection', handle.workflowId);
    recordHistory('assignment-perf3-opened-by-plan', done.id);
  });

  it('closing a plan cancels its monthly duty and the duty\'s open report periods', async () => {
    const base = testSpec('monthly-report');
    const planId = `MONTHLY-${randomUUID().slice(0, 8)}@v1`;
    // Periods in 2099: the first one stays open, waiting for its report.
    const duty: AssignmentSpec = {
      ...base,
      id: `monthly-report:${planId}:-:UNIT-A`,
      planId,
      report: { rhythm: { kind: 'monthly-day', day: 5 }, policy: EscalationPolicySchema.parse(SECONDS_POLICY), firstPeriod: '2099-01' },
    };
    const plan = await h.client.workflow.start(WORKFLOW_TYPES.plan, {
      workflowId: `plan:${planId}`,
      taskQueue: h.taskQueue,
      args: [{ planId, specs: [duty] } satisfies PlanWorkflowInput],
    });
    const dutyHandle = h.client.workflow.getHandle(duty.id);
    const { periodIds } = await eventually(async () => {
      const q = await dutyHandle.query(reportDutyQuery);
      return q.periodIds.length ? q : undefined;
    }, 30_000, 'the first report period');
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM assignments WHERE id = $1`, [periodIds[0]])).length ? true : undefined), 30_000);

    await plan.signal(closePlanSignal, { reason: 'Kết thúc kế hoạch' });
    await plan.result();
    const period = h.client.workflow.getHandle(periodIds[0]);
    expect((await period.result()).lifecycle).toBe('cancelled');
    const [row] = await eventually(async () => {
      const rows = await h.db.query(`SELECT lifecycle FROM assignments WHERE id = $1 AND lifecycle = 'cancelled'`, [periodIds[0]]);
      return rows.length ? rows : undefined;
    }, 30_000, 'the period cancelled in the read model');
    expect(row.lifecycle).toBe('cancelled');
    expect((await dutyHandle.describe()).status.name).toBe('CANCELLED');
  });
});
