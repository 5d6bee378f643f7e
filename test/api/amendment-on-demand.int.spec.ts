import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createWorkingCalendar, openOnDemand, parsePlanDefinition, type PlanDefinition } from '@dieu-hanh/domain';
import { openOnDemandUpdate, planProgressQuery, planWorkflowId } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { recordHistory } from '../support/histories';

/**
 * An amendment carries the amended plan's on-demand window (III.4, khi cần thiết) to the
 * running plan workflow: an obligation it adds can be opened and keeps the plan open after its
 * imposed work; one it removes can no longer be opened and lets the plan finish; a horizon it
 * ends stops new openings.
 */
describe('an amendment changes what a running plan takes on demand', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let caukeHead: string;
  const seed = ownSeedPlan('X');

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `aod-office-${s}`, displayName: 'Văn phòng', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `aod-ck-${s}`, displayName: 'Lãnh đạo Huyện ủy Cầu Kè', unitCode: 'HU-CK', roles: ['unit-head', 'drafter'] });
    office = await api.login(`aod-office-${s}`);
    caukeHead = await api.login(`aod-ck-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  /** The seed under a code of its own, run to the end of 2031 (its assumed horizon, 2020, has ended). */
  const ownPlan = (prefix: string): PlanDefinition => {
    const parsed = parsePlanDefinition(ownSeedPlan(prefix).text.replace('horizon: năm 2020', 'horizon: đến hết năm 2031'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.plan;
  };
  const importPlan = async (definition: PlanDefinition) => {
    const res = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(definition) });
    // (200: imported already, to look at the difference first.)
    expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
    return res.body as { id: string; key: string; amendment?: { diff: Record<string, unknown> } };
  };
  /** Launches the plan's concretisation for Huyện ủy Cầu Kè only. */
  const launch = async (definition: PlanDefinition) => {
    const { id, key } = await importPlan(definition);
    const concretisation = `concretisation:${key}:-:HU-CK`;
    const launched = await api.call('POST', `/api/plans/${id}/launch`, office, { assignments: [concretisation] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    return { id, key, concretisation, handle: worker.client.workflow.getHandle(planWorkflowId(key)) };
  };
  const amend = async (planId: string, definition: PlanDefinition, reason: string) => {
    const version = await importPlan(definition);
    // A plan just launched takes no change until it has started its assignments (409 LAUNCH_IN_PROGRESS).
    const applied = await eventually(async () => {
      const res = await api.call('POST', `/api/plans/${version.id}/amendment`, office, { reason });
      return res.body?.reason === 'LAUNCH_IN_PROGRESS' ? undefined : res;
    }, 30_000, `applying ${version.key}`);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    await eventually(async () => {
      const changes = (await api.call('GET', `/api/plans/${planId}/progress`, office)).body.changes as { changeId: string; applied: boolean }[] | undefined;
      return changes?.some((c) => c.changeId === version.key && c.applied) ? true : undefined;
    }, 30_000, `amendment ${version.key} carried out`);
    return version;
  };
  const openProposal = (planId: string) =>
    api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, caukeHead, { subject: 'Cơ chế hỗ trợ xã nông thôn mới', targetDate: '2031-05-17' });
  const submit = (assignmentId: string) =>
    eventually(async () => {
      const res = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/reports`, caukeHead, { version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], cites: seed.plan.plan.number });
      return res.status === 201 ? res : undefined;
    }, 30_000, `submitting ${assignmentId}`);

  it('an obligation removed can no longer be opened, by the API or at the workflow, and the plan finishes with its imposed work', async () => {
    const v1 = ownPlan('AOD-RM');
    const { id, key, concretisation, handle } = await launch(v1);
    const v2: PlanDefinition = { ...structuredClone(v1), obligations: v1.obligations.filter((o) => o.id !== 'III.4') };
    const version = await importPlan(v2);
    expect(version.amendment?.diff).toMatchObject({ obligations: { removed: ['III.4'] }, assignments: { added: [], removed: [] }, empty: false });
    await amend(id, v2, 'Bỏ nhiệm vụ đề xuất cơ chế, chính sách');

    // The API opens per the definition in force: the obligation is gone.
    const refused = await openProposal(id);
    expect(refused.status, JSON.stringify(refused.body)).toBe(404);
    expect((await api.call('GET', `/api/plans/${id}/available-obligations`, caukeHead)).body).toEqual([]);
    // A spec computed from the launched version (a request that raced the amendment) is refused by the plan itself.
    const stale = openOnDemand(v1, createWorkingCalendar(), { planId: key, obligationId: 'III.4', unit: 'HU-CK', subject: 'Đề xuất muộn', targetDate: '2031-05-17', today: '2026-01-01', suffix: 'stale001' });
    if (!stale.ok) throw new Error(JSON.stringify(stale.refusal));
    const direct = await handle
      .executeUpdate(openOnDemandUpdate, { args: [{ spec: stale.spec, actor: { userId: 'u', name: 'Lãnh đạo Huyện ủy Cầu Kè', unit: 'HU-CK', roles: ['unit-head'] } }] })
      .then(() => undefined, (err: unknown) => err);
    expect(direct).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((direct as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('NOT_ACCEPTING');

    // No window any more: its imposed work done, the plan finishes (the launch said: open to the end of 2031).
    await submit(concretisation);
    expect(await handle.result()).toMatchObject({ closedEarly: false, closed: 1, total: 1 });
    recordHistory('plan-amended-on-demand-removed', handle.workflowId);
  });

  it('an obligation added keeps the plan open after its imposed work and can be opened; a horizon the amendment ends stops openings', async () => {
    const full = ownPlan('AOD-ADD');
    const v1: PlanDefinition = { ...structuredClone(full), obligations: full.obligations.filter((o) => o.id !== 'III.4') };
    const { id, concretisation, handle } = await launch(v1);
    expect((await openProposal(id)).status).toBe(404);

    await amend(id, full, 'Bổ sung nhiệm vụ đề xuất cơ chế, chính sách (III.4)');
    await submit(concretisation);
    await eventually(async () => ((await handle.query(planProgressQuery)).closed === 1 ? true : undefined), 30_000, 'the imposed assignment closed');
    // Launched without a window, the plan would have finished here; the amended one stands.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const opened = await openProposal(id);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await eventually(async () => ((await handle.query(planProgressQuery)).onDemand === 1 ? true : undefined), 30_000, 'the proposal a child of the plan');

    // The horizon set back to 2020 (ended): no new opening; the open proposal still runs.
    const ended: PlanDefinition = { ...structuredClone(full), plan: { ...full.plan, horizon: 'năm 2020' } };
    await amend(id, ended, 'Kết thúc thời gian thực hiện');
    const late = await openProposal(id);
    expect(late.status, JSON.stringify(late.body)).toBe(409);
    expect(late.body.reason).toBe('NOT_ACCEPTING');
    expect((await handle.describe()).status.name).toBe('RUNNING');

    expect((await api.call('POST', `/api/plans/${id}/close`, office, { reason: 'Ban Thường vụ kết thúc kế hoạch' })).status).toBe(202);
    expect(await handle.result()).toMatchObject({ closedEarly: true });
    await eventually(async () => {
      const [r] = (await worker.db.query(`SELECT lifecycle FROM assignments WHERE id = $1`, [opened.body.id])) as { lifecycle: string }[];
      return r?.lifecycle === 'cancelled' ? true : undefined;
    }, 30_000, 'the proposal cancelled with the plan');
    recordHistory('plan-amended-on-demand-added-then-ended', handle.workflowId);
  });
});
