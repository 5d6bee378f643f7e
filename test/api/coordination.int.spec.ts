import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { webSession, type WebSession } from '../support/web-session';
import { ownSeedPlan } from '../support/seed-plan';

/**
 * II.2.b: Ban Tổ chức leads FT1, coordinating (phối hợp) with the advisory bodies and the UBND
 * Party delegation. The delegation reads the assignment and comments when asked; it never acts
 * for the lead unit.
 */
describe('coordinating units read and comment (xin ý kiến) over HTTP and the web', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let lead: string;
  let coordinator: string;
  let coordinatorHead: string;
  let outsider: string;
  let id: string;
  let planId: string;
  let outsiderWeb: WebSession;
  let coordinatorWeb: WebSession;
  let leadWeb: WebSession;
  const seed = ownSeedPlan('COORD');
  const s = Date.now().toString(36);
  const path = (rest = '') => `/api/assignments/${encodeURIComponent(id)}${rest}`;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: `co-office-${s}`, displayName: 'Văn phòng Tỉnh ủy', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `co-lead-${s}`, displayName: 'Chuyên viên Ban Tổ chức', unitCode: 'BTC-TU', roles: ['drafter'] });
    await api.createUser({ username: `co-bcsd-${s}`, displayName: 'Chuyên viên Ban cán sự đảng UBND', unitCode: 'BCSD-UBND', roles: ['drafter'] });
    await api.createUser({ username: `co-bcsd-head-${s}`, displayName: 'Lãnh đạo Ban cán sự đảng UBND', unitCode: 'BCSD-UBND', roles: ['unit-head'] });
    await api.createUser({ username: `co-so-tc-${s}`, displayName: 'Chuyên viên Sở Tài chính', unitCode: 'SO-TC', roles: ['drafter'] });
    const office = await api.login(`co-office-${s}`);
    lead = await api.login(`co-lead-${s}`);
    coordinator = await api.login(`co-bcsd-${s}`);
    coordinatorHead = await api.login(`co-bcsd-head-${s}`);
    outsider = await api.login(`co-so-tc-${s}`);
    const imported = await api.call('POST', '/api/plans', office, { definition: seed.text });
    expect(imported.status).toBe(201);
    const spec = seed.specsFor(imported.body.key).find((x) => x.kind === 'drafting' && x.leadUnit === 'BTC-TU' && x.taskCodes[0] === 'FT1')!;
    expect(spec.coordinatingUnits).toContain('BCSD-UBND');
    id = spec.id;
    planId = imported.body.id;
    expect((await api.call('POST', `/api/plans/${imported.body.id}/launch`, office, { assignments: [id] })).status).toBe(202);
    await eventually(async () => ((await api.call('GET', path(), lead)).status === 200 ? true : undefined), 30_000, 'the assignment in the read model');
    coordinatorWeb = webSession(api.baseUrl);
    expect((await coordinatorWeb.post('/login', { username: `co-bcsd-${s}`, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    outsiderWeb = webSession(api.baseUrl);
    expect((await outsiderWeb.post('/login', { username: `co-so-tc-${s}`, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    leadWeb = webSession(api.baseUrl);
    expect((await leadWeb.post('/login', { username: `co-lead-${s}`, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('lets a coordinating unit read the assignment, in its list and on its page, but not act for the lead unit', async () => {
    expect((await api.call('GET', path(), coordinator)).status).toBe(200);
    expect((await api.call('GET', path(), outsider)).status).toBe(403);
    const listed = await api.call('GET', `/api/assignments?plan=${encodeURIComponent(id.split(':')[1])}`, coordinator);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await api.call('GET', `/api/assignments?plan=${encodeURIComponent(id.split(':')[1])}`, outsider)).body.items).toEqual([]);
    // The lead unit's actions stay the lead unit's.
    const submit = await api.call('POST', path('/drafts'), coordinator, { version: 1, text: 'Dự thảo thay', attachments: [] });
    expect(submit.status).toBe(403);
    expect(submit.body.reason).toBe('OTHER_UNIT');
    expect((await api.call('POST', path('/extension-requests'), coordinatorHead, { reason: 'Chờ số liệu', proposedDate: '2031-12-31' })).status).toBe(403);
    expect((await api.call('POST', path('/comment-requests'), coordinator, { units: ['BCSD-UBND'], question: 'Tự hỏi mình?' })).status).toBe(403);
    const page = await coordinatorWeb.get(`/assignments/${encodeURIComponent(id)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="coordinating-note"');
    expect(page.text).not.toContain('id="submit-form"');
    expect(page.text).not.toContain('id="comment-request-form"');
  });

  it('shows a coordinating unit the assignments it coordinates on the plan dashboard, marked and read-only, by the same rule as the list', async () => {
    const link = `href="/assignments/${encodeURIComponent(id)}"`;
    const board = await coordinatorWeb.get(`/plans/${planId}`);
    expect(board.status).toBe(200);
    const matrix = board.text.slice(board.text.indexOf('id="matrix"'), board.text.indexOf('id="matrix-rows"'));
    const cell = matrix.slice(matrix.lastIndexOf('<a ', matrix.indexOf(link)), matrix.indexOf('</a>', matrix.indexOf(link)));
    expect(cell).toContain(link);
    expect(cell).toContain('data-coordinating="true"');
    expect(cell).toContain('Đơn vị phối hợp (chỉ xem)');
    // Its lead unit's column, but no partial statistics for a unit it only coordinates with.
    expect(matrix).toContain('<abbr title="Ban Tổ chức Tỉnh ủy">');
    const stats = board.text.slice(board.text.indexOf('id="stats"'), board.text.indexOf('</table>', board.text.indexOf('id="stats"')));
    expect(stats).not.toContain('Ban Tổ chức Tỉnh ủy');
    // Nothing to act on for the lead unit from here.
    expect(board.text).not.toContain('/extension-decisions');
    // The lead unit sees it as its own; a unit neither leading nor coordinating does not see it.
    const own = (await leadWeb.get(`/plans/${planId}`)).text;
    expect(own).toContain(link);
    expect(own).not.toContain('data-coordinating="true"');
    const outside = await outsiderWeb.get(`/plans/${planId}`);
    expect(outside.status).toBe(200);
    expect(outside.text).not.toContain(link);
  });

  it('fans a request out from the lead unit\'s page, shows it in the coordinating unit\'s inbox, and puts the comments beside the draft and in the history', async () => {
    expect((await api.call('POST', path('/drafts'), lead, { version: 1, text: 'Dự thảo kế hoạch thực hiện nhiệm vụ tập trung 1', attachments: [] })).status).toBe(201);
    // Refused at the edge, naming the field: a unit that does not coordinate this assignment.
    const stranger = await api.call('POST', path('/comment-requests'), lead, { units: ['SO-TC'], question: 'Góp ý?' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.fields).toEqual([expect.objectContaining({ field: 'units' })]);
    // From the page: the plan's default time (05 working days, assumed) when none is given.
    const form = await leadWeb.get(`/assignments/${encodeURIComponent(id)}`);
    expect(form.text).toContain('id="comment-request-form"');
    const posted = await leadWeb.post(`/assignments/${encodeURIComponent(id)}/comment-requests`, { units: ['BCSD-UBND'], question: 'Đề nghị góp ý các chỉ tiêu năm 2020', workingDays: '' }, `/assignments/${encodeURIComponent(id)}`);
    expect(posted.status, posted.text.slice(0, 300)).toBe(303);
    const request = await eventually(async () => (await api.call('GET', path(), coordinator)).body.state.commentRequests?.[0], 30_000, 'the request in the read model');
    expect(request).toMatchObject({ units: ['BCSD-UBND'], question: 'Đề nghị góp ý các chỉ tiêu năm 2020', version: 1, limit: { workingDays: 5 } });

    // The coordinating unit's inbox: waiting for its comments; the lead's does not show it there.
    await eventually(async () => ((await coordinatorWeb.get('/?queue=comments')).text.includes(encodeURIComponent(id)) ? true : undefined), 30_000, 'the request in the inbox');
    expect((await leadWeb.get('/?queue=comments')).text).not.toContain(encodeURIComponent(id));

    // Another unit cannot answer; the coordinating unit answers once, from its page.
    const other = await api.call('POST', path('/comments'), outsider, { requestId: request.requestId, text: 'Không liên quan' });
    expect(other.status).toBe(403);
    const answered = await coordinatorWeb.post(`/assignments/${encodeURIComponent(id)}/comments`, { requestId: request.requestId, text: 'Đề nghị bổ sung chỉ tiêu đào tạo cán bộ trẻ' }, `/assignments/${encodeURIComponent(id)}`);
    expect(answered.status, answered.text.slice(0, 300)).toBe(303);
    const again = await api.call('POST', path('/comments'), coordinator, { requestId: request.requestId, text: 'Lần nữa' });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('ALREADY_ANSWERED');

    const page = (await leadWeb.get(`/assignments/${encodeURIComponent(id)}`)).text;
    expect(page).toContain('Đề nghị bổ sung chỉ tiêu đào tạo cán bộ trẻ');
    expect(page.indexOf('id="h-comments"')).toBeGreaterThan(page.indexOf('id="h-versions"'));
    await eventually(async () => (!(await coordinatorWeb.get('/?queue=comments')).text.includes(encodeURIComponent(id)) ? true : undefined), 30_000, 'the answered request gone from the inbox');
    const timeline = await api.call('GET', `/api/audit/workflows/${encodeURIComponent(id)}/timeline`, await api.login(`co-office-${s}`));
    const texts = JSON.stringify(timeline.body);
    expect(texts).toContain('Xin ý kiến');
    expect(texts).toContain('Đề nghị bổ sung chỉ tiêu đào tạo cán bộ trẻ');
  });
});
