import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planWorkflowId } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';

/**
 * A launch whose bookkeeping fails after the plan workflow started must not leave the
 * plan stuck (issue 11, hole 9): launching again finishes it, closing works.
 * The failure is a real commit failure: a deferred constraint trigger, on this test's
 * own plan row only (tests share the database), raises when launched_at is set.
 */
describe('a launch interrupted after the workflow started', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let admin: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    const unit = ownSeedPlan('LR').plan.plan.standingOffice;
    await api.createUser({ username: `lr-admin-${s}`, displayName: 'Quản trị', unitCode: unit, roles: ['administrator'] });
    admin = await api.login(`lr-admin-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  /** Imports a fresh plan and launches one assignment with the commit of launched_at failing once. */
  async function interruptedLaunch() {
    const seed = ownSeedPlan('LR');
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const planId = imported.body.id as string;
    const planKey = imported.body.key as string;
    const spec = seed.specsFor(planKey).find((s) => s.kind === 'concretisation')!;
    const name = `fail_launch_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await worker.db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected commit failure'; END $$`);
    await worker.db.query(
      `CREATE CONSTRAINT TRIGGER ${name} AFTER UPDATE ON plan_versions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
       WHEN (OLD.launched_at IS NULL AND NEW.launched_at IS NOT NULL AND NEW.id = '${planId}') EXECUTE FUNCTION ${name}()`,
    );
    let launched;
    try {
      launched = await api.call('POST', `/api/plans/${planId}/launch`, admin, { assignments: [spec.id] });
    } finally {
      await worker.db.query(`DROP TRIGGER ${name} ON plan_versions`);
      await worker.db.query(`DROP FUNCTION ${name}()`);
    }
    // A failure the client may retry (503 "launch again" since the fix; 500 before it).
    expect(launched.status, JSON.stringify(launched.body)).toBeGreaterThanOrEqual(500);
    // The workflow runs; the read model has no launched_at.
    const description = await worker.client.workflow.getHandle(planWorkflowId(planKey)).describe();
    expect(description.status.name).toBe('RUNNING');
    const [row] = await worker.db.query(`SELECT launched_at FROM plan_versions WHERE id = $1`, [planId]);
    expect(row.launched_at).toBeNull();
    return { planId, planKey, spec };
  }

  it('launching again finishes the bookkeeping once, starts nothing twice, and a third launch is 409', async () => {
    const { planId, planKey, spec } = await interruptedLaunch();
    const again = await api.call('POST', `/api/plans/${planId}/launch`, admin, { assignments: [spec.id] });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body).toEqual({ workflowId: planWorkflowId(planKey), assignments: 1 });
    const [row] = await worker.db.query(`SELECT launched_at, workflow_id FROM plan_versions WHERE id = $1`, [planId]);
    expect(row.launched_at).not.toBeNull();
    expect(row.workflow_id).toBe(planWorkflowId(planKey));

    const third = await api.call('POST', `/api/plans/${planId}/launch`, admin, {});
    expect(third.status).toBe(409);
    expect(third.body.reason).toBe('ALREADY_LAUNCHED');

    // One plan run, one assignment workflow.
    const runs = worker.client.workflow.list({ query: `WorkflowId = '${planWorkflowId(planKey)}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
    await eventually(async () => {
      const rows = await worker.db.query(`SELECT id FROM assignments WHERE plan_key = $1`, [planKey]);
      return rows.length === 1 && rows[0].id === spec.id ? true : undefined;
    }, 30_000, 'the one assignment in the read model');

    const closed = await api.call('POST', `/api/plans/${planId}/close`, admin, { reason: 'Kết thúc kế hoạch' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(202);
  });

  it('closes a plan whose launch was interrupted, even with no trace of the launch in the read model', async () => {
    const { planId, planKey } = await interruptedLaunch();
    // What the old code left behind: neither launched_at nor workflow_id.
    await worker.db.query(`UPDATE plan_versions SET workflow_id = NULL WHERE id = $1`, [planId]);
    const closed = await api.call('POST', `/api/plans/${planId}/close`, admin, { reason: 'Kết thúc kế hoạch' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(202);
    expect(closed.body.workflowId).toBe(planWorkflowId(planKey));
    const [row] = await worker.db.query(`SELECT launched_at, workflow_id FROM plan_versions WHERE id = $1`, [planId]);
    expect(row.launched_at).not.toBeNull();
    expect(row.workflow_id).toBe(planWorkflowId(planKey));
    // The close reached the plan workflow: it ends, closed early.
    const result = await worker.client.workflow.getHandle(planWorkflowId(planKey)).result();
    expect(result).toMatchObject({ closedEarly: true });
    const relaunch = await api.call('POST', `/api/plans/${planId}/launch`, admin, {});
    expect(relaunch.status).toBe(409);
  });

  it('answers five concurrent launches with one 202 and four 409s, and starts one plan workflow', async () => {
    const seed = ownSeedPlan('LR');
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    const spec = seed.specsFor(imported.body.key).find((s) => s.kind === 'concretisation')!;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.call('POST', `/api/plans/${imported.body.id}/launch`, admin, { assignments: [spec.id] })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.reason === 'ALREADY_LAUNCHED')).toBe(true);
    let runs = 0;
    for await (const _ of worker.client.workflow.list({ query: `WorkflowId = '${planWorkflowId(imported.body.key)}'` })) runs++;
    expect(runs).toBe(1);
    await api.call('POST', `/api/plans/${imported.body.id}/close`, admin, { reason: 'Kết thúc kế hoạch' });
  });

  it('still refuses to close a plan that was never launched', async () => {
    const seed = ownSeedPlan('LR');
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    const closed = await api.call('POST', `/api/plans/${imported.body.id}/close`, admin, { reason: 'Không triển khai' });
    expect(closed.status).toBe(409);
    expect(closed.body.reason).toBe('NOT_LAUNCHED');
  });
});
