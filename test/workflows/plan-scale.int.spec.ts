import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscalationPolicySchema } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { WORKFLOW_TYPES, closePlanSignal, planProgressQuery, reportDutyQuery, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { MAX_SPECS_PER_PAGE, PlanActivities } from '../../apps/worker/src/activities/plan.activities';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { ownSeedPlan } from '../support/seed-plan';
import { bigSeedPlan } from './big-plan';
import { SECONDS_POLICY, testSpec } from './fixtures';

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
