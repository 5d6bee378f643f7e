import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar, expandPlan, parsePlanDefinition } from '@dieu-hanh/domain';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { webSession } from '../support/web-session';

/** The second example plan: drafts go to the lead unit's head (unitHeadReview) before Văn phòng Tỉnh ủy. */
describe('the lead unit head\'s step over HTTP', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  const s = Date.now().toString(36);
  const tokens: Record<string, string> = {};
  let id: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const code = `UH-${randomUUID().slice(0, 8).toUpperCase()}`;
    const text = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/soc-trang-example.plan.yaml'), 'utf8').replace(/^(\s+)code: ST-BTV-2021-CDS-VD$/m, `$1code: ${code}`);
    const parsed = parsePlanDefinition(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const people: Record<string, { unitCode: string; roles: string[] }> = {
      office: { unitCode: 'VP-TU', roles: ['standing-office', 'administrator'] },
      drafter: { unitCode: 'BCSD-UBND', roles: ['drafter'] },
      head: { unitCode: 'BCSD-UBND', roles: ['unit-head'] },
      otherHead: { unitCode: 'SO-NV', roles: ['unit-head'] },
      reviewer: { unitCode: 'VP-TU', roles: ['approver', 'chanh-van-phong'] },
    };
    for (const [who, p] of Object.entries(people)) {
      await api.createUser({ username: `uh-${who.toLowerCase()}-${s}`, displayName: who, unitCode: p.unitCode, roles: p.roles as never });
      tokens[who] = await api.login(`uh-${who.toLowerCase()}-${s}`);
    }
    const imported = await api.call('POST', '/api/plans', tokens.office, { definition: text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    id = expandPlan(parsed.plan, createWorkingCalendar(), { planId: imported.body.key }).find((x) => x.kind === 'drafting')!.id;
    expect((await api.call('POST', `/api/plans/${imported.body.id}/launch`, tokens.office, { assignments: [id] })).status).toBe(202);
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(id)}`, tokens.drafter)).status === 200 ? true : undefined), 30_000, 'the assignment');
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('opens the head\'s step first, in the head\'s inbox; another unit\'s head and the Standing Office cannot decide it; the head can', async () => {
    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(id)}/drafts`, tokens.drafter, { version: 1, text: 'Dự thảo', attachments: [] });
    expect(submitted.status).toBe(201);
    const approvalId = submitted.body.approvalId as string;
    const decide = (who: string, step: string) => api.call('POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, tokens[who], { version: 1, step, decision: 'approve' });
    const approval = await eventually(async () => {
      const res = await api.call('GET', `/api/approvals/${encodeURIComponent(approvalId)}`, tokens.drafter);
      return res.status === 200 ? res.body : undefined;
    }, 30_000, 'the approval');
    expect(approval).toMatchObject({ currentStep: 'lanh-dao-don-vi', currentUnit: 'BCSD-UBND', currentRole: 'unit-head' });

    const web = webSession(api.baseUrl);
    expect((await web.post('/login', { username: `uh-head-${s}`, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    expect((await web.get('/?queue=approvals')).text).toContain(encodeURIComponent(id));

    expect((await decide('otherHead', 'lanh-dao-don-vi')).status).toBe(403);
    const early = await decide('reviewer', 'vptu-tham-dinh');
    expect(early.status).toBe(409);
    expect(early.body.reason).toBe('WRONG_STEP');
    const signed = await decide('head', 'lanh-dao-don-vi');
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.stepIndex).toBe(1);
    expect((await decide('reviewer', 'vptu-tham-dinh')).status).toBe(200);
  });
});
