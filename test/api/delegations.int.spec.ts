import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { addDays, localDateInVietnam } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';

type Who = 'drafter' | 'head' | 'chief' | 'deputy' | 'standIn' | 'ttDrafter' | 'auditor' | 'office' | 'foreignOffice';

/**
 * Issue 11, holes 7, 11 and 12 on the real API: who may lend authority to whom and when it is
 * in force (local days), revocation, four eyes in one approval chain, Standing Office powers
 * tied to the plan's Standing Office unit, the auditor read-only, and one run per Idempotency-Key.
 */
describe('delegations, Standing Office powers and idempotency', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let db: DataSource;
  const t: Partial<Record<Who, string>> = {};
  const username: Partial<Record<Who, string>> = {};
  const ids: Partial<Record<Who, string>> = {};
  let planId: string;
  let first: AssignmentSpec;
  let second: AssignmentSpec;
  const today = localDateInVietnam(new Date());
  const A = (s: AssignmentSpec) => `/api/assignments/${encodeURIComponent(s.id)}`;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    db = api.app.get(DataSource);
    const seed = ownSeedPlan('DELEG');
    const office = seed.plan.plan.standingOffice; // VP-TU
    const board = seed.plan.plan.standingCommittee; // TT-TU
    const probes = seed.specsFor('probe').filter((s) => s.kind === 'drafting' && s.approvalChain?.length === 2);
    const lead = probes[0].leadUnit;
    const [review, sign] = probes[0].approvalChain!;
    const people: Record<Who, { unitCode: string; roles: string[] }> = {
      drafter: { unitCode: lead, roles: ['drafter'] },
      head: { unitCode: lead, roles: ['unit-head', 'standing-office'] }, // the role, in another unit than the plan's office
      chief: { unitCode: review.unit, roles: ['approver', review.role] },
      deputy: { unitCode: sign.unit, roles: ['approver', sign.role] },
      standIn: { unitCode: board, roles: ['approver'] },
      ttDrafter: { unitCode: board, roles: ['drafter'] },
      auditor: { unitCode: office, roles: ['auditor'] },
      office: { unitCode: office, roles: ['standing-office'] },
      foreignOffice: { unitCode: board, roles: ['standing-office'] },
    };
    const suffix = Date.now().toString(36);
    for (const [who, p] of Object.entries(people) as [Who, (typeof people)[Who]][]) {
      username[who] = `dl-${who}-${suffix}`;
      ids[who] = (await api.createUser({ username: username[who]!, displayName: who, unitCode: p.unitCode, roles: p.roles as never })).id;
      t[who] = await api.login(username[who]!);
    }
    const admin = `dl-admin-${suffix}`;
    await api.createUser({ username: admin, displayName: 'admin', unitCode: office, roles: ['administrator'] });
    const adminToken = await api.login(admin);
    const imported = await api.call('POST', '/api/plans', adminToken, { definition: seed.text });
    expect(imported.status).toBe(201);
    planId = imported.body.id;
    const specs = seed.specsFor(imported.body.key);
    const same = probes.filter((p) => p.leadUnit === lead).slice(0, 2).map((p) => specs.find((s) => s.id === p.id.replace(':probe:', `:${imported.body.key}:`))!);
    [first, second] = same;
    expect((await api.call('POST', `/api/plans/${planId}/launch`, adminToken, { assignments: same.map((s) => s.id) })).status).toBe(202);
    for (const s of same) await eventually(async () => ((await api.call('GET', A(s), t.drafter)).status === 200 ? true : undefined), 30_000);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  const delegate = (from: Who, to: string, validFrom: string, validTo: string, headers?: Record<string, string>) =>
    api.call('POST', '/api/delegations', t[from], { toUsername: to, validFrom, validTo, reason: 'Đi công tác' }, headers);

  /** Submits version 1 of `spec` and has the chief approve step 1; returns the approval id. */
  async function atSecondStep(spec: AssignmentSpec): Promise<string> {
    const submitted = await api.call('POST', `${A(spec)}/drafts`, t.drafter, { version: 1, text: 'Dự thảo', attachments: [] });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const approvalId = submitted.body.approvalId as string;
    const url = `/api/approvals/${encodeURIComponent(approvalId)}`;
    await eventually(async () => ((await api.call('GET', url, t.chief)).status === 200 ? true : undefined));
    const step1 = await api.call('POST', `${url}/decision`, t.chief, { version: 1, step: first.approvalChain![0].step, decision: 'approve' });
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    await eventually(async () => ((await api.call('GET', url, t.chief)).body.currentStep === first.approvalChain![1].step ? true : undefined));
    return approvalId;
  }

  it('refuses delegations to a drafter, the auditor or another unit, windows over 90 days or in the past, and from a non-approver', async () => {
    const expectField = async (res: Promise<{ status: number; body: { fields?: { field: string }[] } }>, field: string) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.fields?.map((f) => f.field)).toContain(field);
    };
    await expectField(delegate('deputy', username.ttDrafter!, today, today), 'toUsername');
    await expectField(delegate('deputy', username.auditor!, today, today), 'toUsername');
    await expectField(delegate('deputy', username.chief!, today, today), 'toUsername'); // another unit
    await expectField(delegate('deputy', username.standIn!, today, '2099-12-31'), 'validTo');
    await expectField(delegate('deputy', username.standIn!, addDays(today, -1), today), 'validFrom');
    expect((await delegate('office', username.standIn!, today, today)).status).toBe(403);
    expect((await delegate('auditor', username.standIn!, today, today)).status).toBe(403);
    const rows = await db.query(`SELECT count(*)::int AS n FROM delegations WHERE from_user_id = $1`, [ids.deputy]);
    expect(rows[0].n).toBe(0);
  });

  it('runs five concurrent requests with one Idempotency-Key once, and all five get the same answer', async () => {
    const key = `five-${Date.now()}`;
    const body = { toUsername: username.standIn, validFrom: addDays(today, 30), validTo: addDays(today, 31), reason: `concurrent ${key}` };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${api.baseUrl}/api/delegations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.deputy}`, 'idempotency-key': key },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, replayed: r.headers.get('idempotent-replayed'), body: await r.text() })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    // Same answer (as JSON: the stored copy is jsonb, which orders keys its own way).
    for (const a of answers) expect(JSON.parse(a.body)).toEqual(JSON.parse(answers[0].body));
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(4);
    const rows = await db.query(`SELECT count(*)::int AS n FROM delegations WHERE reason = $1`, [body.reason]);
    expect(rows[0].n).toBe(1);
    // A refused request is kept too: its retry is refused the same way, without running again.
    const refused = await delegate('deputy', username.ttDrafter!, today, today, { 'idempotency-key': `${key}-refused` });
    const retried = await fetch(`${api.baseUrl}/api/delegations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.deputy}`, 'idempotency-key': `${key}-refused` },
      body: JSON.stringify({ toUsername: username.ttDrafter, validFrom: today, validTo: today, reason: 'Đi công tác' }),
    });
    expect(refused.status).toBe(400);
    expect(retried.status).toBe(400);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.json()).toEqual(refused.body);
  });

  it('honours every delegation between two people for whole local days, and revocation ends one at once', async () => {
    const approvalId = await atSecondStep(first);
    const url = `/api/approvals/${encodeURIComponent(approvalId)}/decision`;
    const sign = { version: 1, step: first.approvalChain![1].step, decision: 'approve', comment: 'Ký thay' };

    const revoked = await delegate('deputy', username.standIn!, today, addDays(today, 1));
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(201);
    expect((await api.call('POST', `/api/delegations/${revoked.body.id}/revoke`, t.standIn)).status).toBe(403); // not the delegator
    expect((await api.call('POST', `/api/delegations/${revoked.body.id}/revoke`, t.auditor)).status).toBe(403);
    const ended = await api.call('POST', `/api/delegations/${revoked.body.id}/revoke`, t.deputy);
    expect(ended.status).toBe(200);
    expect(ended.body.revokedAt).toEqual(expect.any(String));
    expect((await api.call('POST', `/api/delegations/${revoked.body.id}/revoke`, t.deputy)).body.reason).toBe('ALREADY_REVOKED');
    const refused = await api.call('POST', url, t.standIn, sign);
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);

    // Two more: one not yet in force (given first), one for today only. The one-day delegation counts all day.
    expect((await delegate('deputy', username.standIn!, addDays(today, 2), addDays(today, 3))).status).toBe(201);
    expect((await delegate('deputy', username.standIn!, today, today)).status).toBe(201);
    const signed = await api.call('POST', url, t.standIn, sign);
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.decisions.at(-1)).toMatchObject({ by: { userId: ids.standIn }, onBehalfOf: { userId: ids.deputy } });

    // The Standing Office revokes too.
    const later = await delegate('deputy', username.standIn!, addDays(today, 5), addDays(today, 6));
    expect((await api.call('POST', `/api/delegations/${later.body.id}/revoke`, t.office)).status).toBe(200);
    expect((await api.call('POST', `/api/delegations/${later.body.id}/revoke`, t.foreignOffice)).status).toBe(403); // the role, but the Standing Office of no plan
  });

  it('does not let the first step\'s approver decide the second step on a delegation written around the API', async () => {
    const approvalId = await atSecondStep(second);
    // A row the API would refuse (another unit), as if inserted by hand.
    await db.query(`INSERT INTO delegations (from_user_id, to_user_id, valid_from, valid_to, reason) VALUES ($1, $2, $3, $3, 'ngoài API')`, [ids.deputy, ids.chief, today]);
    const res = await api.call('POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, t.chief, {
      version: 1,
      step: second.approvalChain![1].step,
      decision: 'approve',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.reason).toBe('SAME_PERSON');
    const state = await api.call('GET', `/api/approvals/${encodeURIComponent(approvalId)}`, t.chief);
    expect(state.body.state.decisions).toHaveLength(1);
  });

  it('gives Standing Office powers to the plan\'s Standing Office unit only, and the auditor changes nothing', async () => {
    const asked = await api.call('POST', `${A(second)}/extension-requests`, t.head, { reason: 'Chờ số liệu của Trung ương', proposedDate: '2031-12-31' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    await eventually(async () => ((await api.call('GET', '/api/extension-requests', t.office)).body.some((x: { requestId: string }) => x.requestId === asked.body.requestId) ? true : undefined));
    for (const who of ['head', 'foreignOffice'] as const) {
      const res = await api.call('POST', `/api/extension-requests/${asked.body.requestId}/decision`, t[who], { granted: true, comment: 'Đồng ý' });
      expect(res.status, `${who}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(res.body.reason).toBe('OTHER_UNIT');
      const shift = await api.call('POST', `/api/plans/${planId}/deadline-shift`, t[who], { date: '2031-06-30', reason: 'Theo thông báo' });
      expect(shift.status, `${who}: ${JSON.stringify(shift.body)}`).toBe(403);
    }
    // The refused decisions name a request, not a workflow: the audit log files them under its assignment.
    const refusals = await eventually(async () => {
      const rows = (await db.query(`SELECT workflow_id, code FROM audit_refusals WHERE path = $1`, [`/api/extension-requests/${asked.body.requestId}/decision`])) as { workflow_id: string | null; code: string }[];
      return rows.length === 2 ? rows : undefined;
    }, 10_000, 'two refused extension decisions in the audit log');
    expect(refusals).toEqual([
      { workflow_id: second.id, code: 'OTHER_UNIT' },
      { workflow_id: second.id, code: 'OTHER_UNIT' },
    ]);
    const decided = await api.call('POST', `/api/extension-requests/${asked.body.requestId}/decision`, t.office, { granted: false, comment: 'Chưa đủ căn cứ' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    // A notice to the auditor's unit: the auditor may read it but not mark it read.
    const notice = await eventually(async () => (await api.call('GET', '/api/notifications', t.auditor)).body.items?.find((n: { readAt: string | null }) => !n.readAt));
    const marked = await api.call('POST', `/api/notifications/${notice.id}/read`, t.auditor);
    expect(marked.status).toBe(403);
    expect(marked.body.reason).toBe('READ_ONLY');
    const after = (await api.call('GET', '/api/notifications', t.auditor)).body.items.find((n: { id: string }) => n.id === notice.id);
    expect(after.readAt).toBeNull();
  });
});
