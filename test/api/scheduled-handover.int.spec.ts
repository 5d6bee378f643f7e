import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyReorganisation, parseReorganisation, unitEndInstant, type PlanDefinition } from '@dieu-hanh/domain';
import { WORKFLOW_TYPES, planProgressQuery, planWorkflowId, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { recordHistory } from '../support/histories';

const REORG = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/reorganisations/tra-vinh-2025.reorg.yaml'), 'utf8');

/** The seed with one change of the 2025 reorganisation moved later: Huyện ủy Cầu Kè's last day is `validTo`. */
function endingLater(plan: PlanDefinition, validTo: string): PlanDefinition {
  const parsed = parseReorganisation(REORG);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const change = parsed.reorganisation.changes.find((c) => c.unit === 'HU-CK')!;
  const applied = applyReorganisation(plan, { ...parsed.reorganisation, changes: [{ ...change, validTo }] });
  if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
  return applied.plan;
}

/**
 * A unit that ends in the future hands its open assignments to its successor when it ends,
 * with no later amendment: the plan workflow holds a durable timer to the end.
 */
describe('a unit that ends later hands over at its end', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let oldHead: string;
  let newHead: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    const office0 = ownSeedPlan('X').plan.plan.standingOffice;
    await api.createUser({ username: `sh-office-${s}`, displayName: 'Văn phòng', unitCode: office0, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `sh-old-${s}`, displayName: 'Lãnh đạo Huyện ủy Cầu Kè', unitCode: 'HU-CK', roles: ['unit-head', 'drafter'] });
    await api.createUser({ username: `sh-new-${s}`, displayName: 'Bí thư Đảng ủy xã Cầu Kè', unitCode: 'DU-X-CAUKE', roles: ['unit-head', 'drafter'] });
    office = await api.login(`sh-office-${s}`);
    oldHead = await api.login(`sh-old-${s}`);
    newHead = await api.login(`sh-new-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('a launch gives the plan workflow the instant each unit ends, computed in Asia/Ho_Chi_Minh', async () => {
    const seed = ownSeedPlan('SCHEDHO-L');
    const imported = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(endingLater(seed.plan, '2031-06-30')) });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, office, { units: ['HU-CK'] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const progress = await eventually(async () => {
      const p = await worker.client.workflow.getHandle(planWorkflowId(imported.body.key)).query(planProgressQuery);
      return p.unitEnds?.length ? p : undefined;
    }, 30_000, 'the plan waiting for the unit end');
    // 30/06/2031 is Cầu Kè's last day: it ends at 01/07/2031 00:00 local, 30/06/2031 17:00 UTC.
    expect(progress.unitEnds).toEqual([expect.objectContaining({ unit: 'HU-CK', validTo: '2031-06-30', successor: 'DU-X-CAUKE', at: '2031-06-30T17:00:00Z' })]);
    expect((await api.call('POST', `/api/plans/${imported.body.id}/close`, office, { reason: 'Xong phần kiểm tra' })).status).toBe(202);
  });

  it('before the end the old unit acts; at the end its open assignment passes to the successor, whose people see and act, and the old unit\'s get 403', async () => {
    const seed = ownSeedPlan('SCHEDHO');
    const plan = endingLater(seed.plan, '2031-06-30');
    const imported = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(plan) });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const key: string = imported.body.key;
    const concretisation = `concretisation:${key}:-:HU-CK`;
    // The plan as a launch starts it, but with the end a few seconds ahead instead of in 2031:
    // the instant is the only thing the test sets (the launch test above shows how it is computed).
    const endsAt = Date.now() + 15_000;
    expect(unitEndInstant('2031-06-30', plan.plan.timeZone)).toBe('2031-06-30T17:00:00Z');
    const input: PlanWorkflowInput = {
      planId: key,
      onlyAssignments: [concretisation],
      unitEnds: [{ unit: 'HU-CK', validTo: '2031-06-30', successor: 'DU-X-CAUKE', at: new Date(endsAt).toISOString(), endedBy: 'abolished', successorAssumed: true }],
      standingOffice: plan.plan.standingOffice,
    };
    await worker.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId: planWorkflowId(key), taskQueue: worker.taskQueue, args: [input] });
    const url = `/api/assignments/${encodeURIComponent(concretisation)}`;
    await eventually(async () => ((await api.call('GET', url, oldHead)).status === 200 ? true : undefined), 30_000, 'the assignment for its unit');

    // Before the end: Cầu Kè's people act; the successor's do not see it.
    const asked = await api.call('POST', `${url}/extension-requests`, oldHead, { reason: 'Chờ hướng dẫn', proposedDate: '2032-03-31' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await api.call('GET', url, newHead)).status).toBe(403);
    expect(Date.now()).toBeLessThan(endsAt);

    // At the end: handed over by the plan's timer, no amendment.
    const after = await eventually(async () => {
      const [r] = (await worker.db.query(`SELECT lead_unit FROM assignments WHERE id = $1`, [concretisation])) as { lead_unit: string }[];
      return r?.lead_unit === 'DU-X-CAUKE' ? r : undefined;
    }, 60_000, 'the hand-over at the unit end');
    expect(after.lead_unit).toBe('DU-X-CAUKE');
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
    const progress = await worker.client.workflow.getHandle(planWorkflowId(key)).query(planProgressQuery);
    expect(progress.changes).toEqual([expect.objectContaining({ changeId: 'unit-end:HU-CK:2031-06-30', kind: 'unit-end', applied: true, handedOver: 1 })]);
    expect(progress.unitEnds).toBeUndefined();

    // The successor's people see it with its history; the old unit's get 403.
    const seen = await api.call('GET', url, newHead);
    expect(seen.status).toBe(200);
    expect(seen.body.state.leadUnit).toBe('DU-X-CAUKE');
    expect(seen.body.state.extensions).toEqual([expect.objectContaining({ reason: 'Chờ hướng dẫn', status: 'pending' })]);
    const events = (await worker.db.query(`SELECT type, payload FROM assignment_events WHERE assignment_id = $1 ORDER BY seq`, [concretisation])) as { type: string; payload: { from?: string; to?: string; reason?: string } }[];
    expect(events.find((e) => e.type === 'handed-over')?.payload).toMatchObject({ from: 'HU-CK', to: 'DU-X-CAUKE', reason: expect.stringContaining('Đơn vị HU-CK kết thúc hoạt động ngày 30/06/2031') });
    expect((await api.call('GET', url, oldHead)).status).toBe(403);
    const report = { version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], cites: plan.plan.number };
    expect((await api.call('POST', `${url}/reports`, oldHead, report)).status).toBe(403);
    const submitted = await api.call('POST', `${url}/reports`, newHead, report);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    // Its one assignment done, the plan completes: its history is a replay fixture.
    await worker.client.workflow.getHandle(planWorkflowId(key)).result();
    recordHistory('plan-scheduled-handover', planWorkflowId(key));
  });
});
