import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createWorkingCalendar, expandPlan, parsePlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, eventually, type WorkerHarness } from './support/harness';
import { startApi, type ApiHarness } from './support/api-harness';

const SEED = readFileSync(path.join(__dirname, '..', 'libs/domain/plans/tra-vinh-2020.plan.yaml'), 'utf8');

describe('first slice: seed plan -> drafting -> approval, over HTTP against real Temporal and PostgreSQL', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let spec: AssignmentSpec;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const parsed = parsePlanDefinition(SEED);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const drafting = expandPlan(parsed.plan, createWorkingCalendar(), { planId: 'probe' }).filter((s) => s.kind === 'drafting');
    spec = drafting.find((s) => s.taskCodes.includes('FT2'))!;
    const office = parsed.plan.plan.standingOffice;

    await api.createUser({ username: 'slice-admin', displayName: 'Quản trị', unitCode: office, roles: ['administrator', 'standing-office'] });
    await api.createUser({ username: 'slice-drafter', displayName: 'Chuyên viên', unitCode: spec.leadUnit, roles: ['drafter'] });
    for (const [i, step] of spec.approvalChain!.entries()) {
      await api.createUser({ username: `slice-approver-${i}`, displayName: `Người duyệt ${i}`, unitCode: step.unit, roles: ['approver', step.role as never] });
    }
    await api.createUser({ username: 'slice-outsider', displayName: 'Người ngoài', unitCode: 'NOT-A-UNIT', roles: ['approver'] });
    for (const name of ['slice-admin', 'slice-drafter', 'slice-outsider', ...spec.approvalChain!.map((_, i) => `slice-approver-${i}`)]) {
      tokens[name] = await api.login(name);
    }
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('imports, launches one drafting assignment, takes a draft and its approval, and shows it approved', async () => {
    const imported = await api.call('POST', '/api/plans', tokens['slice-admin'], { definition: SEED });
    expect(imported.status).toBe(201);
    const again = await api.call('POST', '/api/plans', tokens['slice-admin'], { definition: SEED });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(imported.body.id);

    const planKey = imported.body.key as string;
    const assignmentId = spec.id.replace(':probe:', `:${planKey}:`);
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, tokens['slice-admin'], { assignments: [assignmentId] });
    expect(launched.status).toBe(202);
    expect(launched.body.assignments).toBe(1);
    const relaunch = await api.call('POST', `/api/plans/${imported.body.id}/launch`, tokens['slice-admin'], {});
    expect(relaunch.status).toBe(409);

    const url = `/api/assignments/${encodeURIComponent(assignmentId)}`;
    const opened = await eventually(async () => {
      const res = await api.call('GET', url, tokens['slice-drafter']);
      return res.status === 200 ? res.body : undefined;
    }, 30_000, 'the assignment in the read model');
    expect(opened.lifecycle).toBe('open');
    expect(opened.leadUnit).toBe(spec.leadUnit);

    const submitted = await api.call('POST', `${url}/drafts`, tokens['slice-drafter'], {
      version: 1,
      text: 'Dự thảo kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2.',
      attachments: [{ name: 'du-thao.docx', ref: 'vbdh://2020/01/0001' }],
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.version).toBe(1);
    const approvalId = submitted.body.approvalId as string;
    expect(approvalId).toBe(`approval:${assignmentId}:v1`);

    const approvalUrl = `/api/approvals/${encodeURIComponent(approvalId)}`;
    await eventually(async () => ((await api.call('GET', approvalUrl, tokens['slice-admin'])).status === 200 ? true : undefined));
    const waiting = await api.call('GET', url, tokens['slice-drafter']);
    expect(waiting.body.lifecycle).toBe('awaiting-approval');

    // Someone without authority for the step is refused and nothing changes.
    const firstStep = spec.approvalChain![0];
    const refused = await api.call('POST', `${approvalUrl}/decision`, tokens['slice-outsider'], { version: 1, step: firstStep.step, decision: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('NOT_AUTHORISED');

    for (const [i, step] of spec.approvalChain!.entries()) {
      const decided = await api.call('POST', `${approvalUrl}/decision`, tokens[`slice-approver-${i}`], {
        version: 1,
        step: step.step,
        decision: 'approve',
        comment: 'Đồng ý',
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }

    const done = await eventually(async () => {
      const res = await api.call('GET', url, tokens['slice-drafter']);
      return res.body.lifecycle === 'done' ? res.body : undefined;
    }, 30_000, 'the assignment to be approved');
    expect(done.state.submissions[0].outcome).toBe('approve');
    const [row] = await worker.db.query(`SELECT lifecycle, completed_at FROM assignments WHERE id = $1`, [assignmentId]);
    expect(row.lifecycle).toBe('done');
    expect(row.completed_at).not.toBeNull();

    // The read model says done before the workflow has finished its last bookkeeping; wait for it to close.
    await worker.client.workflow.getHandle(assignmentId).result();
    // The real server's history, as an auditor would read it.
    const history = execFileSync(inject('temporalCli'), [
      'workflow', 'show', '--workflow-id', assignmentId,
      '--address', inject('temporalAddress'), '--namespace', inject('temporalNamespace'), '--output', 'json',
    ]).toString();
    const events = (JSON.parse(history).events as { eventType: string }[]).map((e) => e.eventType);
    expect(events).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(events).toContain('EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED');
    expect(events.at(-1)).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');

    // Live state comes from the workflow itself...
    const live = await api.call('GET', `${url}/live`, tokens['slice-drafter']);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ lifecycle: 'done', seq: done.state.seq });
    // ...and needs a worker; lists come from the read model and do not.
    await worker.stopWorker();
    const list = await api.call('GET', `/api/assignments?plan=${encodeURIComponent(planKey)}`, tokens['slice-admin']);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([assignmentId]);
    const noWorker = await api.call('GET', `${url}/live`, tokens['slice-drafter']);
    expect(noWorker.status).toBe(503);
    expect(noWorker.body.code).toBe('UNAVAILABLE');
  });
});
