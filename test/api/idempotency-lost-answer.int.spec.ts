import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentStateQuery, decideUpdate, submitUpdate } from '@dieu-hanh/workflows';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { updateIdFor } from '../../apps/api/src/common/idempotency-context';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';

/**
 * The API dies after a person's Update ran and before its answer was stored under the
 * Idempotency-Key (the fault suite's "API restart under retried requests"). The client retries
 * with the same key; the retry that takes the claim over runs the request again. It must get the
 * first run's answer (201), not a refusal from a workflow already past that step (409
 * NOT_ACCEPTING), and the submission must be recorded once.
 */
describe('a retry after a lost answer gets the first outcome', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let drafter: { id: string; token: string };
  let assignment: AssignmentSpec;
  let assignmentId: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const seed = ownSeedPlan('LOST-ANSWER');
    const suffix = randomUUID().slice(0, 6);
    const office = seed.plan.plan.standingOffice;
    await api.createUser({ username: `lost-admin-${suffix}`, displayName: 'Quản trị', unitCode: office, roles: ['administrator', 'standing-office'] });
    const admin = await api.login(`lost-admin-${suffix}`);
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    assignment = seed.specsFor(imported.body.key).find((s) => s.kind === 'drafting')!;
    assignmentId = assignment.id;
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, admin, { assignments: [assignmentId] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const user = await api.createUser({ username: `lost-drafter-${suffix}`, displayName: 'Người soạn', unitCode: assignment.leadUnit, roles: ['drafter'] });
    drafter = { id: user.id, token: await api.login(`lost-drafter-${suffix}`) };
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(assignmentId)}`, drafter.token)).status === 200 ? true : undefined), 30_000);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('answers the retry with the submission that went through, and records it once', async () => {
    const key = randomUUID();
    const body = { version: 1, text: 'Dự thảo gửi trước khi máy chủ API dừng', attachments: [] };
    // What the dying API did: the Update ran (with the key's Update ID); nothing was stored under the key.
    const handle = worker.client.workflow.getHandle(assignmentId);
    const first = await handle.executeUpdate(submitUpdate, {
      args: [{ ...body, actor: { userId: drafter.id, name: 'Người soạn', unit: assignment.leadUnit, roles: ['drafter'] } }],
      updateId: updateIdFor(drafter.id, key),
    });

    const retry = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/drafts`, drafter.token, body, { 'idempotency-key': key });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(JSON.parse(JSON.stringify(first)));
    expect((await handle.query(assignmentStateQuery)).submissions).toHaveLength(1);

    // A new request (a new key) is still refused: the assignment no longer takes version 1.
    const again = await api.call('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/drafts`, drafter.token, body, { 'idempotency-key': randomUUID() });
    expect(again.status).toBe(409);
  }, 60_000);

  it('answers the retry of a decision that closed its approval with that decision', async () => {
    const seed = ownSeedPlan('LOST-DECISION');
    const suffix = randomUUID().slice(0, 6);
    const office = seed.plan.plan.standingOffice;
    await api.createUser({ username: `lost-admin2-${suffix}`, displayName: 'Quản trị', unitCode: office, roles: ['administrator', 'standing-office'] });
    const admin = await api.login(`lost-admin2-${suffix}`);
    const imported = await api.call('POST', '/api/plans', admin, { definition: seed.text });
    const spec = seed.specsFor(imported.body.key).find((s) => s.kind === 'drafting' && s.approvalChain?.length)!;
    expect((await api.call('POST', `/api/plans/${imported.body.id}/launch`, admin, { assignments: [spec.id] })).status).toBe(202);
    const step1 = spec.approvalChain![0]!;
    await api.createUser({ username: `lost-d2-${suffix}`, displayName: 'Người soạn', unitCode: spec.leadUnit, roles: ['drafter'] });
    const approverUser = await api.createUser({ username: `lost-ap-${suffix}`, displayName: 'Người duyệt', unitCode: step1.unit, roles: ['approver', step1.role as never] });
    const d2 = await api.login(`lost-d2-${suffix}`);
    const approver = await api.login(`lost-ap-${suffix}`);
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(spec.id)}`, d2)).status === 200 ? true : undefined), 30_000);
    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(spec.id)}/drafts`, d2, { version: 1, text: 'Dự thảo', attachments: [] });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const approvalId = submitted.body.approvalId as string;
    await eventually(async () => ((await api.call('GET', `/api/approvals/${encodeURIComponent(approvalId)}`, approver)).status === 200 ? true : undefined), 30_000);

    const key = randomUUID();
    const body = { version: 1, step: step1.step, decision: 'request-changes', comment: 'Bổ sung số liệu' };
    const handle = worker.client.workflow.getHandle(approvalId);
    const first = await handle.executeUpdate(decideUpdate, {
      args: [{ approvalId, ...body, decision: 'request-changes' as const, actor: { userId: approverUser.id, name: 'Người duyệt', unit: step1.unit, roles: ['approver', step1.role] }, today: new Date().toISOString().slice(0, 10) } as never],
      updateId: updateIdFor(approverUser.id, key),
    });
    // The hard case: the answer is asked for after the approval has closed.
    await eventually(async () => ((await handle.describe()).status.name !== 'RUNNING' ? true : undefined), 30_000, 'the approval closed');

    const retry = await api.call('POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, approver, body, { 'idempotency-key': key });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toEqual(JSON.parse(JSON.stringify(first)));
  }, 90_000);
});
