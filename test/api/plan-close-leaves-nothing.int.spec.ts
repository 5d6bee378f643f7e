import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar, localDateInVietnam, openOnDemand } from '@dieu-hanh/domain';
import { WORKFLOW_TYPES, openOnDemandUpdate, planProgressQuery, planWorkflowId, webhookDispatcherId, type AssignmentWorkflowInput } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { recordHistory } from '../support/histories';

/**
 * A closed plan leaves nothing running: its assignments, its report duty and the periods it
 * opened, the approvals, its overdue summary, and the on-demand assignments units opened —
 * through the plan (its children) and the way they were opened before (standalone workflows).
 * Asked of Temporal itself (visibility and describe), not of the read model.
 */
describe('closing a plan leaves no workflow of it running', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let finance: string;
  const seed = ownSeedPlan('CLOSEALL');
  let planId: string;
  let planKey: string;
  const opened: string[] = [];
  let legacy: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `ca-office-${s}`, displayName: 'Văn phòng Tỉnh ủy', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `ca-finance-${s}`, displayName: 'Chuyên viên Sở Tài chính', unitCode: 'SO-TC', roles: ['drafter'] });
    office = await api.login(`ca-office-${s}`);
    finance = await api.login(`ca-finance-${s}`);
    const imported = await api.call('POST', '/api/plans', office, { definition: seed.text });
    expect(imported.status).toBe(201);
    planId = imported.body.id;
    planKey = imported.body.key;
    // A small plan: one drafting assignment (with an overdue summary policy) and one report duty.
    const specs = seed.specsFor(planKey);
    const drafting = specs.find((x) => x.kind === 'drafting')!;
    const duty = specs.find((x) => x.kind === 'monthly-report')!;
    expect(drafting.escalationPolicy?.summary).toBeDefined();
    expect((await api.call('POST', `/api/plans/${planId}/launch`, office, { assignments: [drafting.id, duty.id] })).status).toBe(202);
    await eventually(async () => ((await worker.client.workflow.getHandle(planWorkflowId(planKey)).query(planProgressQuery)).started === 2 ? true : undefined), 30_000, 'the launch');
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  const openOne = (subject: string) => api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, finance, { subject, targetDate: '2031-05-17' });

  it('an on-demand assignment opened by a unit is a child of the plan workflow', async () => {
    for (const subject of ['Cơ chế hỗ trợ hợp tác xã', 'Chính sách nhà ở xã hội']) {
      const res = await openOne(subject);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      opened.push(res.body.id);
    }
    for (const id of opened) {
      const described = await worker.client.workflow.getHandle(id).describe();
      expect(described.parentExecution?.workflowId).toBe(planWorkflowId(planKey));
    }
    expect((await worker.client.workflow.getHandle(planWorkflowId(planKey)).query(planProgressQuery)).onDemand).toBe(2);
  });

  it('the same opening twice is refused with a clear answer, and starts nothing', async () => {
    const today = localDateInVietnam(Date.now());
    const computed = openOnDemand(seed.plan, createWorkingCalendar(), { planId: planKey, obligationId: 'III.4', unit: 'SO-TC', subject: 'Đề xuất lặp lại', targetDate: '2031-05-17', today, suffix: 'dup00000' });
    if (!computed.ok) throw new Error(JSON.stringify(computed.refusal));
    const actor = { userId: 'u', name: 'Chuyên viên', unit: 'SO-TC', roles: ['drafter'] };
    const plan = worker.client.workflow.getHandle(planWorkflowId(planKey));
    await expect(plan.executeUpdate(openOnDemandUpdate, { args: [{ spec: computed.spec, actor }] })).resolves.toEqual({ id: computed.spec.id });
    await expect(plan.executeUpdate(openOnDemandUpdate, { args: [{ spec: computed.spec, actor }] })).rejects.toMatchObject({ cause: { type: 'DUPLICATE' } });
    opened.push(computed.spec.id);
  });

  it('an on-demand assignment opened the old way (a workflow of its own, no parent) is there too', async () => {
    const today = localDateInVietnam(Date.now());
    const computed = openOnDemand(seed.plan, createWorkingCalendar(), { planId: planKey, obligationId: 'III.4', unit: 'SO-TC', subject: 'Đề xuất mở trước bản này', targetDate: '2031-05-17', today, suffix: randomBytes(4).toString('hex') });
    if (!computed.ok) throw new Error(JSON.stringify(computed.refusal));
    legacy = computed.spec.id;
    const input: AssignmentWorkflowInput = { spec: computed.spec };
    await worker.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: legacy, taskQueue: worker.taskQueue, args: [input] });
    await eventually(async () => ((await worker.db.query(`SELECT 1 FROM assignments WHERE id = $1`, [legacy])).length ? true : undefined), 30_000, 'the old-way proposal in the read model');
  });

  it('closing the plan cancels all of them, the duty and its periods, the summary; nothing of the plan is left running', async () => {
    // The duty has opened its periods by now (they are workflows of their own).
    const periods = await eventually(async () => {
      const rows = (await worker.db.query(`SELECT id FROM assignments WHERE plan_key = $1 AND kind = 'monthly-report'`, [planKey])) as { id: string }[];
      return rows.length > 0 ? rows.map((r) => r.id) : undefined;
    }, 30_000, 'report periods');
    expect(periods.length).toBeGreaterThan(0);
    const summary = await worker.client.workflow.getHandle(`summary:${planKey}`).describe();
    expect(summary.status.name).toBe('RUNNING');

    const closed = await api.call('POST', `/api/plans/${planId}/close`, office, { reason: 'Kết thúc thử nghiệm' });
    expect(closed.status).toBe(202);

    await eventually(async () => ((await worker.client.workflow.getHandle(planWorkflowId(planKey)).describe()).status.name === 'COMPLETED' ? true : undefined), 30_000, 'the plan workflow completed');
    // Nothing opens on a closed plan.
    const late = await openOne('Đề xuất sau khi đóng');
    expect([late.status, late.body.reason]).toEqual([409, 'PLAN_CLOSED']);

    // Visibility: nothing on this worker's task queue is running but the webhook dispatcher (one per queue, not per plan).
    const running = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of worker.client.workflow.list({ query: `TaskQueue = '${worker.taskQueue}' AND ExecutionStatus = 'Running'` })) ids.push(wf.workflowId);
      const left = ids.filter((id) => id !== webhookDispatcherId(worker.taskQueue));
      return left.length === 0 ? left : undefined;
    }, 60_000, 'no workflow of the plan running in visibility');
    expect(running).toEqual([]);
    // And each one asked directly (visibility lags; describe does not).
    for (const id of [planWorkflowId(planKey), `summary:${planKey}`, ...opened, legacy, ...periods]) {
      const { status } = await worker.client.workflow.getHandle(id).describe();
      expect(status.name, id).not.toBe('RUNNING');
    }
    // The on-demand ones record `cancelled` with the reason, in the read model as elsewhere.
    const cancelled = await eventually(async () => {
      const r = (await worker.db.query(`SELECT assignment_id AS id, payload FROM assignment_events WHERE assignment_id = ANY($1) AND type = 'cancelled'`, [[...opened, legacy]])) as { id: string; payload: { reason?: string } }[];
      return r.length === opened.length + 1 ? r : undefined;
    }, 30_000, 'on-demand assignments cancelled in the read model');
    for (const row of cancelled) expect(row.payload.reason, row.id).toBe('plan closed');
    recordHistory('plan-on-demand-children-then-closed', planWorkflowId(planKey));
  });
});
