import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { EscalationPolicySchema } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { WORKFLOW_TYPES, closePlanSignal, reportDutyQuery, submitUpdate, type PlanWorkflowInput, type MonthlyReportInput } from '@dieu-hanh/workflows';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { DRAFTER, SECONDS_POLICY, testSpec } from './fixtures';

describe('plan fan-out and monthly reports on the real Temporal dev server', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fans out 100 concretisation workflows over several runs, refuses a second start, and closes when all are done', async () => {
    const base = testSpec('concretisation');
    const planId = `FANOUT-${Date.now()}@v1`;
    const specs: AssignmentSpec[] = Array.from({ length: 100 }, (_, i) => ({
      ...base,
      id: `concretisation:${planId}:-:UNIT-${String(i).padStart(3, '0')}`,
      planId,
      leadUnit: `UNIT-${String(i).padStart(3, '0')}`,
    }));
    const input: PlanWorkflowInput = { planId, specs, startsPerRun: 40, batchSize: 20 };
    const workflowId = `plan:${planId}`;
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId, taskQueue: h.taskQueue, args: [input] });
    await expect(h.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId, taskQueue: h.taskQueue, args: [input] })).rejects.toBeInstanceOf(
      WorkflowExecutionAlreadyStartedError,
    );

    await eventually(async () => {
      const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM assignments WHERE plan_key = $1`, [planId]);
      return n === 100 ? true : undefined;
    }, 90_000, '100 assignments in the read model');

    for (let i = 0; i < specs.length; i += 10) {
      await Promise.all(
        specs.slice(i, i + 10).map((s) =>
          h.client.workflow.getHandle(s.id).executeUpdate(submitUpdate, {
            args: [{ version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], actor: { ...DRAFTER, unit: s.leadUnit }, cites: s.mustCite }],
          }),
        ),
      );
    }
    const result = await handle.result();
    expect(result).toEqual({ total: 100, closed: 100, closedEarly: false });
    const description = await handle.describe();
    // 100 starts at 40 per run: the plan continued as new twice, so its history stays bounded.
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    const [{ done }] = await h.db.query(`SELECT count(*)::int AS done FROM assignments WHERE plan_key = $1 AND lifecycle = 'done'`, [planId]);
    expect(done).toBe(100);
  });

  it('closing a plan cancels what is still open and records it in the read model', async () => {
    const base = testSpec('concretisation');
    const planId = `CLOSE-${Date.now()}@v1`;
    const specs: AssignmentSpec[] = [0, 1, 2].map((i) => ({ ...base, id: `concretisation:${planId}:-:U${i}`, planId, leadUnit: `U${i}` }));
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId: `plan:${planId}`, taskQueue: h.taskQueue, args: [{ planId, specs }] });
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM assignments WHERE plan_key = $1`, [planId])).length === 3 ? true : undefined), 30_000);
    await h.client.workflow.getHandle(specs[0].id).executeUpdate(submitUpdate, {
      args: [{ version: 1, text: 'Kế hoạch', attachments: [], actor: { ...DRAFTER, unit: 'U0' }, cites: specs[0].mustCite }],
    });
    await handle.signal(closePlanSignal, { reason: 'Thay thế bằng kế hoạch mới' });
    expect(await handle.result()).toMatchObject({ total: 3, closedEarly: true });
    const rows = await eventually(async () => {
      const r = (await h.db.query(`SELECT id, lifecycle FROM assignments WHERE plan_key = $1 ORDER BY id`, [planId])) as { id: string; lifecycle: string }[];
      return r.filter((x) => x.lifecycle === 'cancelled').length === 2 ? r : undefined;
    }, 20_000, 'two cancelled assignments');
    expect(rows.map((r) => r.lifecycle)).toEqual(['done', 'cancelled', 'cancelled']);
  });

  it('rolls monthly report periods over, continues as new, and escalates difficulties at once', async () => {
    const base = testSpec('monthly-report');
    const policy = EscalationPolicySchema.parse(SECONDS_POLICY);
    const spec: AssignmentSpec = { ...base, report: { rhythm: { kind: 'monthly-day', day: 5 }, policy, firstPeriod: '2020-01' } };
    const input: MonthlyReportInput = { spec, periodsPerRun: 2, periodsLeft: 3 };
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.monthlyReport, { workflowId: spec.id, taskQueue: h.taskQueue, args: [input] });

    const periods = await eventually(async () => {
      const rows = (await h.db.query(`SELECT id, nominal_deadline FROM assignments WHERE id LIKE $1 ORDER BY id`, [`${spec.id}:%`])) as { id: string; nominal_deadline: string }[];
      return rows.length === 3 ? rows : undefined;
    }, 60_000, 'three report periods');
    expect(periods.map((p) => p.id.slice(spec.id.length + 1))).toEqual(['2020-01', '2020-02', '2020-03']);
    await handle.result();
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    expect(description.status.name).toBe('COMPLETED');
    recordHistory('monthly-report-first-run', spec.id, handle.firstExecutionRunId);
    // The last run remembers where the duty stands.
    expect((await handle.query(reportDutyQuery)).after).toBe('2020-03');

    const march = h.client.workflow.getHandle(`${spec.id}:2020-03`);
    await march.executeUpdate(submitUpdate, {
      args: [{ version: 1, text: 'Báo cáo tháng 3/2020', attachments: [], actor: DRAFTER, difficulties: 'Thiếu kinh phí triển khai' }],
    });
    const notice = await eventually(async () => {
      const rows = await h.db.query(`SELECT recipient_unit, level FROM notifications WHERE assignment_id = $1 AND kind = 'difficulties'`, [`${spec.id}:2020-03`]);
      return rows.length ? rows : undefined;
    });
    expect(notice).toEqual([{ recipient_unit: 'VPTU', level: 1 }]);
  });
});
