import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, planProgressQuery, planWorkflowId, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { recordHistory } from '../support/histories';

/**
 * III.4 (khi cần thiết) stands while the plan runs: a plan whose imposed work is all done
 * stays open for on-demand openings until the Standing Office closes it or its horizon ends,
 * instead of finishing and answering 409 PLAN_CLOSED.
 */
describe('a plan with on-demand obligations stays open after its imposed work', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let caukeHead: string;
  let canglongHead: string;
  const seed = ownSeedPlan('X');
  // The seed's assumed horizon (năm 2020) has ended: these plans run to the end of 2031.
  const text = (prefix: string) => ownSeedPlan(prefix).text.replace('horizon: năm 2020', 'horizon: đến hết năm 2031');

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `so-office-${s}`, displayName: 'Văn phòng', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `so-ck-${s}`, displayName: 'Lãnh đạo Huyện ủy Cầu Kè', unitCode: 'HU-CK', roles: ['unit-head', 'drafter'] });
    await api.createUser({ username: `so-cl-${s}`, displayName: 'Lãnh đạo Huyện ủy Càng Long', unitCode: 'HU-CL', roles: ['unit-head', 'drafter'] });
    office = await api.login(`so-office-${s}`);
    caukeHead = await api.login(`so-ck-${s}`);
    canglongHead = await api.login(`so-cl-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  /** Imports the plan and starts its workflow as a launch does, with `extra` input (the test's instants, a small run size). */
  async function started(prefix: string, units: string[], extra: Partial<PlanWorkflowInput>) {
    const imported = await api.call('POST', '/api/plans', office, { definition: text(prefix) });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const { id, key } = imported.body as { id: string; key: string };
    const ids = units.map((u) => `concretisation:${key}:-:${u}`);
    const input: PlanWorkflowInput = { planId: key, onlyAssignments: ids, ...extra };
    const handle = await worker.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId: planWorkflowId(key), taskQueue: worker.taskQueue, args: [input] });
    // What the launch records once the workflow runs.
    await worker.db.query(`UPDATE plan_versions SET workflow_id = $2, launched_at = now() WHERE key = $1`, [key, planWorkflowId(key)]);
    return { id, key, ids, handle };
  }
  const submit = (id: string, token: string) =>
    api.call('POST', `/api/assignments/${encodeURIComponent(id)}/reports`, token, { version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], cites: seed.plan.plan.number });
  const submitWhenOpen = async (id: string, token: string) =>
    eventually(async () => {
      const res = await submit(id, token);
      return res.status === 201 ? res : undefined;
    }, 30_000, `submitting ${id}`);
  const openProposal = (planId: string, token: string) =>
    api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, token, { subject: 'Cơ chế hỗ trợ xã nông thôn mới', targetDate: '2031-05-17' });

  it('a launch gives the plan workflow the end of its horizon (00:00 after 31/12/2031 in Asia/Ho_Chi_Minh)', async () => {
    const imported = await api.call('POST', '/api/plans', office, { definition: text('STAYOPEN-L') });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, office, { units: ['HU-CK'] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const history = await worker.client.workflow.getHandle(planWorkflowId(imported.body.key)).fetchHistory();
    const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!;
    const input = JSON.parse(Buffer.from(payload).toString('utf8')) as PlanWorkflowInput;
    expect(input.onDemandOpen).toEqual({ until: '2031-12-31T17:00:00Z' });
    expect((await api.call('POST', `/api/plans/${imported.body.id}/close`, office, { reason: 'Xong phần kiểm tra' })).status).toBe(202);
  });

  it('after a continue-as-new and its imposed work done, a unit still opens a proposal; closing the plan ends it and cancels the proposal', async () => {
    // One start per run: the plan continues as new after its first assignment.
    const { id, ids, handle } = await started('STAYOPEN', ['HU-CK', 'HU-CL'], { startsPerRun: 1, onDemandOpen: {} });
    await submitWhenOpen(ids[0]!, caukeHead);
    await submitWhenOpen(ids[1]!, canglongHead);
    await eventually(async () => ((await handle.query(planProgressQuery)).closed === 2 ? true : undefined), 30_000, 'both imposed assignments closed');
    const described = await handle.describe();
    expect(described.runId).not.toBe(handle.firstExecutionRunId);
    expect(described.status.name).toBe('RUNNING');

    const opened = await openProposal(id, caukeHead);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(opened.body.id)}`, caukeHead)).status === 200 ? true : undefined), 30_000, 'the proposal in the read model');
    // Its proposal done, the plan still waits: the obligation stands.
    expect((await handle.describe()).status.name).toBe('RUNNING');

    expect((await api.call('POST', `/api/plans/${id}/close`, office, { reason: 'Ban Thường vụ kết thúc kế hoạch' })).status).toBe(202);
    expect(await handle.result()).toMatchObject({ closedEarly: true });
    const row = await eventually(async () => {
      const [r] = (await worker.db.query(`SELECT lifecycle FROM assignments WHERE id = $1`, [opened.body.id])) as { lifecycle: string }[];
      return r?.lifecycle === 'cancelled' ? r : undefined;
    }, 30_000, 'the proposal cancelled with the plan');
    expect(row.lifecycle).toBe('cancelled');
    expect((await openProposal(id, caukeHead)).status).toBe(409);
    recordHistory('plan-stays-open-then-closed', handle.workflowId);
  });

  it('waiting for years, it continues as new and keeps what it opened: a later closing still cancels every proposal', async () => {
    // A few events of waiting per run instead of Temporal's suggestion (thousands).
    const { id, ids, handle } = await started('STAYOPEN-CAN', ['HU-CK'], { onDemandOpen: {}, eventsPerRun: 12 });
    await submitWhenOpen(ids[0]!, caukeHead);
    const first = await openProposal(id, caukeHead);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await openProposal(id, caukeHead);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    await eventually(async () => {
      const d = await handle.describe();
      return d.runId !== handle.firstExecutionRunId && d.status.name === 'RUNNING' ? true : undefined;
    }, 30_000, 'a continue-as-new while waiting');
    // The next run still takes openings and knows the earlier ones (a repeat is refused, the count carried).
    const third = await eventually(async () => {
      const res = await openProposal(id, caukeHead);
      return res.status === 201 ? res : undefined;
    }, 30_000, 'an opening in the next run');
    const progress = await eventually(async () => {
      const p = await handle.query(planProgressQuery);
      // (A run still reading its page answers total 0 for a moment.)
      return p.onDemand === 3 && p.closed === 1 && p.total === 1 ? p : undefined;
    }, 30_000, 'three proposals and the done assignment carried');
    expect(progress, JSON.stringify(progress)).toMatchObject({ onDemand: 3, closed: 1, total: 1 });

    expect((await api.call('POST', `/api/plans/${id}/close`, office, { reason: 'Ban Thường vụ kết thúc kế hoạch' })).status).toBe(202);
    expect(await handle.result()).toMatchObject({ closedEarly: true });
    for (const proposal of [first.body.id, second.body.id, third.body.id] as string[]) {
      await eventually(async () => {
        const [r] = (await worker.db.query(`SELECT lifecycle FROM assignments WHERE id = $1`, [proposal])) as { lifecycle: string }[];
        return r?.lifecycle === 'cancelled' ? true : undefined;
      }, 30_000, `${proposal} cancelled with the plan`);
    }
    // Its last run (input carrying what earlier runs opened) is a replay fixture.
    recordHistory('plan-stays-open-continued-then-closed', handle.workflowId);
  });

  it('its horizon ended, the plan finishes by itself and refuses openings (409 PLAN_CLOSED)', async () => {
    const until = Date.now() + 20_000;
    const { id, ids, handle } = await started('STAYOPEN-H', ['HU-CK'], { onDemandOpen: { until: new Date(until).toISOString() } });
    await submitWhenOpen(ids[0]!, caukeHead);
    await eventually(async () => ((await handle.query(planProgressQuery)).closed === 1 ? true : undefined), 30_000, 'the imposed assignment closed');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(Date.now()).toBeLessThan(until);

    expect(await handle.result()).toMatchObject({ closedEarly: false, closed: 1 });
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    const refused = await openProposal(id, caukeHead);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('PLAN_CLOSED');
    recordHistory('plan-stays-open-to-horizon', handle.workflowId);
  });
});
