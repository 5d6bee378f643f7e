import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';

type Who = 'anonymous' | 'drafter' | 'otherDrafter' | 'unitHead' | 'approver' | 'office' | 'auditor' | 'admin';
const EVERYONE: Who[] = ['anonymous', 'drafter', 'otherDrafter', 'unitHead', 'approver', 'office', 'auditor', 'admin'];

/**
 * Role x endpoint: every cell is asserted. 'allow' means the request gets past
 * authorization (it may still get a 2xx, 400, 404 or 409 from what follows);
 * 'deny' means 403 with a reason (401 for the anonymous caller).
 */
describe('authorization: role x endpoint', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  const tokens: Partial<Record<Who, string>> = {};
  let planId: string;
  let drafting: AssignmentSpec;
  let approvalId: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const seed = ownSeedPlan('AUTHZ');
    const office = seed.plan.plan.standingOffice;
    const probe = seed.specsFor('probe').find((s) => s.kind === 'drafting')!;
    const step = probe.approvalChain![0];
    const otherUnit = seed.plan.units.find((u) => u.code !== probe.leadUnit && u.code !== office)!.code;
    const users: Record<Exclude<Who, 'anonymous'>, { unitCode: string; roles: string[] }> = {
      drafter: { unitCode: probe.leadUnit, roles: ['drafter'] },
      otherDrafter: { unitCode: otherUnit, roles: ['drafter', 'unit-head'] },
      unitHead: { unitCode: probe.leadUnit, roles: ['unit-head'] },
      approver: { unitCode: step.unit, roles: ['approver', step.role] },
      office: { unitCode: office, roles: ['standing-office'] },
      auditor: { unitCode: office, roles: ['auditor'] },
      admin: { unitCode: office, roles: ['administrator'] },
    };
    const suffix = Date.now().toString(36);
    for (const [who, u] of Object.entries(users)) {
      await api.createUser({ username: `authz-${who}-${suffix}`, displayName: who, unitCode: u.unitCode, roles: u.roles as never });
      tokens[who as Who] = await api.login(`authz-${who}-${suffix}`);
    }
    const imported = await api.call('POST', '/api/plans', tokens.admin, { definition: seed.text });
    expect(imported.status).toBe(201);
    planId = imported.body.id;
    drafting = seed.specsFor(imported.body.key).find((s) => s.id === probe.id.replace(':probe:', `:${imported.body.key}:`))!;
    expect((await api.call('POST', `/api/plans/${planId}/launch`, tokens.admin, { assignments: [drafting.id] })).status).toBe(202);
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(drafting.id)}`, tokens.admin)).status === 200 ? true : undefined), 30_000);
    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(drafting.id)}/drafts`, tokens.drafter, { version: 1, text: 'Dự thảo', attachments: [] });
    expect(submitted.status).toBe(201);
    approvalId = submitted.body.approvalId;
    await eventually(async () => ((await api.call('GET', `/api/approvals/${encodeURIComponent(approvalId)}`, tokens.admin)).status === 200 ? true : undefined));
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  const A = () => encodeURIComponent(drafting.id);
  const table: { name: string; allow: Who[]; request: () => [string, string, unknown?] }[] = [
    { name: 'GET /health', allow: EVERYONE, request: () => ['GET', '/health'] },
    { name: 'GET /api/plans/schema', allow: EVERYONE, request: () => ['GET', '/api/plans/schema'] },
    { name: 'GET /api/plans', allow: EVERYONE.filter((w) => w !== 'anonymous'), request: () => ['GET', '/api/plans'] },
    { name: 'POST /api/plans', allow: ['office', 'admin'], request: () => ['POST', '/api/plans', { definition: 'not: [valid' }] },
    { name: 'POST /api/plans/{id}/launch', allow: ['office', 'admin'], request: () => ['POST', `/api/plans/${planId}/launch`, {}] },
    { name: 'GET /api/plans/{id}/matrix', allow: ['approver', 'office', 'auditor', 'admin'], request: () => ['GET', `/api/plans/${planId}/matrix`] },
    { name: 'POST /api/plans/{id}/deadline-shift', allow: ['office'], request: () => ['POST', `/api/plans/${planId}/deadline-shift`, { date: '2020-13-01', reason: 'x' }] },
    { name: 'GET /api/assignments', allow: EVERYONE.filter((w) => w !== 'anonymous'), request: () => ['GET', '/api/assignments'] },
    { name: 'GET /api/assignments/{id}', allow: ['drafter', 'unitHead', 'approver', 'office', 'auditor', 'admin'], request: () => ['GET', `/api/assignments/${A()}`] },
    { name: 'POST /api/assignments/{id}/drafts', allow: ['drafter', 'unitHead'], request: () => ['POST', `/api/assignments/${A()}/drafts`, { version: 9, text: 'x', attachments: [] }] },
    { name: 'POST /api/assignments/{id}/reports', allow: ['drafter', 'unitHead'], request: () => ['POST', `/api/assignments/${A()}/reports`, { version: 9, text: 'x', attachments: [] }] },
    { name: 'POST /api/assignments/{id}/extension-requests', allow: ['unitHead'], request: () => ['POST', `/api/assignments/${A()}/extension-requests`, { reason: 'Chờ số liệu', proposedDate: '2019-01-01' }] },
    { name: 'GET /api/extension-requests', allow: ['approver', 'office', 'auditor', 'admin'], request: () => ['GET', '/api/extension-requests'] },
    { name: 'POST /api/extension-requests/{id}/decision', allow: ['office'], request: () => ['POST', '/api/extension-requests/ext-none/decision', { granted: false }] },
    { name: 'GET /api/approvals/{id}', allow: ['drafter', 'unitHead', 'approver', 'office', 'auditor', 'admin'], request: () => ['GET', `/api/approvals/${encodeURIComponent(approvalId)}`] },
    { name: 'POST /api/approvals/{id}/decision', allow: ['approver', 'office'], request: () => ['POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, { version: 7, step: 'x', decision: 'approve' }] },
    { name: 'GET /api/notifications', allow: EVERYONE.filter((w) => w !== 'anonymous'), request: () => ['GET', '/api/notifications'] },
    { name: 'POST /api/delegations', allow: ['approver', 'office'], request: () => ['POST', '/api/delegations', { toUsername: 'nobody', validFrom: '2030-01-01', validTo: '2030-01-02', reason: 'công tác' }] },
    { name: 'GET /api/delegations', allow: EVERYONE.filter((w) => w !== 'anonymous'), request: () => ['GET', '/api/delegations'] },
    { name: 'GET /api/auth/me', allow: EVERYONE.filter((w) => w !== 'anonymous'), request: () => ['GET', '/api/auth/me'] },
    { name: 'GET /api/plans/{id}/monthly-report', allow: ['approver', 'office', 'auditor', 'admin'], request: () => ['GET', `/api/plans/${planId}/monthly-report?period=2020-03`] },
    { name: 'GET /api/plans/{id}/monthly-report.xlsx', allow: ['approver', 'office', 'auditor', 'admin'], request: () => ['GET', `/api/plans/${planId}/monthly-report.xlsx?period=2020-03`] },
    { name: 'POST /api/notifications/{id}/read', allow: EVERYONE.filter((w) => w !== 'anonymous'), request: () => ['POST', '/api/notifications/00000000-0000-4000-8000-000000000000/read'] },
    // Last: closing the plan cancels its assignments.
    { name: 'POST /api/plans/{id}/close', allow: ['office', 'admin'], request: () => ['POST', `/api/plans/${planId}/close`, { reason: 'Kết thúc kiểm thử' }] },
  ];

  const cases = table.flatMap((row) => EVERYONE.map((who) => ({ ...row, who, allowed: row.allow.includes(who) })));

  it.each(cases)('$name as $who -> allowed: $allowed', async ({ who, allowed, request }) => {
    const [method, path, body] = request();
    const res = await api.call(method, path, tokens[who], body);
    if (allowed) {
      expect([401, 403], `${method} ${path} as ${who}: ${JSON.stringify(res.body)}`).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else if (who === 'anonymous') {
      expect(res.status).toBe(401);
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.message).toEqual(expect.any(String));
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.ts:\d+/); // never a stack trace
    }
  });
});
