import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { webSession } from '../support/web-session';
import { ownSeedPlan } from '../support/seed-plan';

/** III.4 "khi cần thiết": available to the units, opened by one when it needs it, never imposed. */
describe('obligations available when needed (III.4) over HTTP', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let finance: string;
  let front: string;
  let planId: string;
  let unlaunched: string;
  let financeUser: string;
  const seed = ownSeedPlan('ONDEMAND');

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `od-office-${s}`, displayName: 'Văn phòng Tỉnh ủy', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `od-finance-${s}`, displayName: 'Chuyên viên Sở Tài chính', unitCode: 'SO-TC', roles: ['drafter'] });
    await api.createUser({ username: `od-front-${s}`, displayName: 'Chuyên viên Mặt trận', unitCode: 'MTTQ-T', roles: ['drafter'] });
    office = await api.login(`od-office-${s}`);
    finance = await api.login(`od-finance-${s}`);
    financeUser = `od-finance-${s}`;
    front = await api.login(`od-front-${s}`);
    const imported = await api.call('POST', '/api/plans', office, { definition: seed.text });
    expect(imported.status).toBe(201);
    planId = imported.body.id;
    // Launch one drafting assignment: III.4 adds nothing to what a launch starts.
    const drafting = seed.specsFor(imported.body.key).find((x) => x.kind === 'drafting')!;
    expect(seed.specsFor(imported.body.key).some((x) => x.kind === 'policy-proposal')).toBe(false);
    expect((await api.call('POST', `/api/plans/${planId}/launch`, office, { assignments: [drafting.id] })).status).toBe(202);
    const other = ownSeedPlan('ONDEMAND-NL');
    unlaunched = (await api.call('POST', '/api/plans', office, { definition: other.text })).body.id;
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('lists III.4 as available, to the units of CQ-DV-DP', async () => {
    const mine = await api.call('GET', `/api/plans/${planId}/available-obligations`, finance);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([expect.objectContaining({ obligationId: 'III.4', kind: 'policy-proposal', submitTo: 'BTV-TU', mayOpen: true })]);
    const theirs = await api.call('GET', `/api/plans/${planId}/available-obligations`, front);
    expect(theirs.body[0].mayOpen).toBe(false);
  });

  it('opens a proposal for the unit that needs one: its own target date, in its list, no escalation timers', async () => {
    const opened = await api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, finance, { subject: 'Cơ chế hỗ trợ hợp tác xã nông nghiệp', targetDate: '2031-05-17' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({
      kind: 'policy-proposal',
      leadUnit: 'SO-TC',
      title: 'Rà soát, đề xuất cơ chế, chính sách: Cơ chế hỗ trợ hợp tác xã nông nghiệp — Sở Tài chính',
      // 17/05/2031 is a Saturday.
      deadline: { nominal: '2031-05-17', effective: '2031-05-19' },
    });
    expect(opened.body.id).toMatch(/^policy-proposal:ONDEMAND-[A-Z0-9]+@v1:III\.4\.[0-9a-f]{8}:SO-TC$/);
    const row = await eventually(async () => {
      const res = await api.call('GET', `/api/assignments/${encodeURIComponent(opened.body.id)}`, finance);
      return res.status === 200 ? res.body : undefined;
    }, 30_000, 'the proposal in the read model');
    expect(row).toMatchObject({ leadUnit: 'SO-TC', lifecycle: 'open', effectiveDeadline: '2031-05-19' });
    const [spec] = (await worker.db.query(`SELECT spec FROM assignments WHERE id = $1`, [opened.body.id])) as { spec: { schedule: { type: string }[] } }[];
    expect(spec.spec.schedule.length).toBeGreaterThan(0);
    expect(spec.spec.schedule.every((e) => e.type === 'reminder')).toBe(true);
    // A second proposal of the same unit is an assignment of its own.
    const again = await api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, finance, { subject: 'Chính sách thu hút đầu tư vào khu kinh tế', targetDate: '2031-06-30' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(opened.body.id);
  });

  it('refuses, naming the field: another unit, a past or impossible date, an unknown obligation, a plan not launched', async () => {
    const open = (token: string, body: object, plan = planId, obligation = 'III.4') => api.call('POST', `/api/plans/${plan}/available-obligations/${obligation}/assignments`, token, body);
    const other = await open(front, { subject: 'Đề xuất', targetDate: '2031-05-17' });
    expect([other.status, other.body.fields?.[0]?.field]).toEqual([403, 'unit']);
    for (const targetDate of ['2020-01-01', '2031-02-30', '17/05/2031']) {
      const bad = await open(finance, { subject: 'Đề xuất chính sách', targetDate });
      expect([bad.status, bad.body.fields?.[0]?.field], targetDate).toEqual([400, 'targetDate']);
    }
    const unknown = await open(finance, { subject: 'Đề xuất chính sách', targetDate: '2031-05-17' }, planId, 'III.3');
    expect(unknown.status).toBe(404);
    const notLaunched = await open(finance, { subject: 'Đề xuất chính sách', targetDate: '2031-05-17' }, unlaunched);
    expect([notLaunched.status, notLaunched.body.reason]).toEqual([409, 'NOT_LAUNCHED']);
  });

  it('the web form opens one and shows the assignment; a past date re-renders the form with the reason', async () => {
    const web = webSession(api.baseUrl);
    expect((await web.post('/login', { username: financeUser, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    const page = await web.get(`/plans/${planId}/available`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('III.4 — Rà soát, đề xuất cơ chế, chính sách');
    expect(page.text).toContain(`action="/plans/${planId}/available/III.4"`);
    const refused = await web.post(`/plans/${planId}/available/III.4`, { subject: 'Chính sách nhà ở xã hội', targetDate: '01/01/2020' }, `/plans/${planId}/available`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('ngày dự kiến 2020-01-01 đã qua');
    expect(refused.text).toContain('value="Chính sách nhà ở xã hội"');
    const opened = await web.post(`/plans/${planId}/available/III.4`, { subject: 'Chính sách nhà ở xã hội', targetDate: '30/06/2031' }, `/plans/${planId}/available`);
    expect(opened.status).toBe(303);
    const location = opened.headers.get('location')!;
    expect(decodeURIComponent(location)).toMatch(/^\/assignments\/policy-proposal:.*:III\.4\.[0-9a-f]{8}:SO-TC$/);
    const shown = await eventually(async () => {
      const res = await web.get(location);
      return res.status === 200 ? res : undefined;
    }, 30_000, 'the opened proposal page');
    expect(shown.text).toContain('Chính sách nhà ở xã hội');
  });
});
