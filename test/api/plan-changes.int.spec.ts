import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDefinition } from '@dieu-hanh/domain';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { TEST_PASSWORD, startApi, type ApiHarness } from '../support/api-harness';
import { webSession } from '../support/web-session';
import { ownSeedPlan } from '../support/seed-plan';
import { recordHistory } from '../support/histories';

type HistoryEvents = NonNullable<Awaited<ReturnType<ReturnType<WorkerHarness['client']['workflow']['getHandle']>['fetchHistory']>>['events']>;

/** The text of every `patched()` marker in a history (marker "core_patch"). */
const patchesOf = (events: HistoryEvents) =>
  events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes!.details ?? {}).flatMap((d) => (d.payloads ?? []).map((p) => Buffer.from(p.data ?? []).toString('utf8'))))
    .join(' ');

/**
 * Plans that change while they run (issue 9), on the real Temporal server: the seed plan
 * launched for some units, launched again for more, then amended (one obligation added,
 * one removed, one deadline moved).
 */
describe('a running plan: partial launch, later launch, amendment', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let officeUsername: string;
  let btgHead: string;
  const seed = ownSeedPlan('AMEND');
  let planId: string;
  let key: string;
  const id = (kind: string, task: string, unit: string) => `${kind}:${key}:${task}:${unit}`;
  const row = async (assignmentId: string) =>
    ((await worker.db.query(`SELECT lifecycle, nominal_deadline::text AS nominal, effective_deadline::text AS effective, original_due_at FROM assignments WHERE id = $1`, [assignmentId])) as {
      lifecycle: string;
      nominal: string;
      effective: string;
      original_due_at: Date;
    }[])[0];
  const planRows = async () => ((await worker.db.query(`SELECT id FROM assignments WHERE plan_key = $1 ORDER BY id`, [key])) as { id: string }[]).map((r) => r.id);
  const btgCell = async (assignmentId: string) => {
    const matrix = (await api.call('GET', `/api/plans/${planId}/matrix`, office)).body;
    const btgRow = matrix.units.find((u: { unit: string }) => u.unit === 'BTG-TU');
    const cells = Object.values(btgRow.cells).flat() as { assignmentId: string; status: string; effectiveDeadline: string }[];
    return cells.find((c) => c.assignmentId === assignmentId);
  };
  const progress = async () => (await api.call('GET', `/api/plans/${planId}/progress`, office)).body;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `am-office-${s}`, displayName: 'Văn phòng', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `am-btg-${s}`, displayName: 'Lãnh đạo Ban Tuyên giáo', unitCode: 'BTG-TU', roles: ['unit-head'] });
    officeUsername = `am-office-${s}`;
    office = await api.login(officeUsername);
    btgHead = await api.login(`am-btg-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('launches the assignments of one unit and one task only, refusing codes the plan does not know', async () => {
    const imported = await api.call('POST', '/api/plans', office, { definition: seed.text });
    expect(imported.status).toBe(201);
    expect(imported.body.amendment).toBeUndefined();
    planId = imported.body.id;
    key = imported.body.key;

    const bad = await api.call('POST', `/api/plans/${planId}/launch`, office, { units: ['BTG-TU', 'KHONG-CO'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'units', reason: `KHONG-CO is not in plan ${key}` }]);

    // Ban Tuyên giáo leads a propaganda duty (its policy proposals, III.4, are opened when
    // needed, not launched); the review of FT1 is the Organisation Board's.
    const launched = await api.call('POST', `/api/plans/${planId}/launch`, office, { units: ['BTG-TU'] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    expect(launched.body.assignments).toBe(1);
    await eventually(async () => ((await planRows()).length === 1 ? true : undefined), 30_000, 'one assignment in the read model');
    expect(await planRows()).toEqual([id('propaganda', '-', 'BTG-TU')]);
  });

  it('launches more later without starting anything twice', async () => {
    const more = await api.call('POST', `/api/plans/${planId}/launch-more`, office, {
      assignments: [id('review', '-', 'BTC-TU'), id('drafting', 'FT1', 'BTC-TU'), id('propaganda', '-', 'BTG-TU')],
    });
    expect(more.status, JSON.stringify(more.body)).toBe(202);
    expect(more.body.requested).toBe(3);
    const applied = await eventually(async () => {
      const p = await progress();
      return p.changes?.[0]?.applied ? p : undefined;
    }, 30_000, 'the later launch carried out');
    expect(applied.changes[0]).toMatchObject({ kind: 'launch', started: 2, alreadyStarted: 1 });
    expect(applied.extra).toBe(2);

    // The same request again: everything is running already.
    const again = await api.call('POST', `/api/plans/${planId}/launch-more`, office, { units: ['BTC-TU', 'BTG-TU'], tasks: ['FT1'] });
    expect(again.status).toBe(202);
    const second = await eventually(async () => {
      const p = await progress();
      return p.changes?.[1]?.applied ? p : undefined;
    }, 30_000, 'the second later launch carried out');
    // What BTC-TU and BTG-TU lead that touches FT1: the three already running, and what the
    // first request left out (the monthly report duty) starts now.
    expect(second.changes[1].started + second.changes[1].alreadyStarted).toBe(again.body.requested);
    expect(second.changes[1].alreadyStarted).toBeGreaterThanOrEqual(3);
    // A periodic duty (the monthly report) has no row of its own: its report periods do
    // (`<duty id>:<period>`). So the read model is counted in assignments: a period row counts
    // as its duty, once.
    const ids = await eventually(async () => {
      const assignments = [...new Set((await planRows()).map((r) => r.split(':').slice(0, 4).join(':')))];
      return assignments.length === 1 + 2 + second.changes[1].started ? assignments : undefined;
    }, 60_000, 'the read model after the second later launch');
    expect(ids).toEqual(expect.arrayContaining([id('review', '-', 'BTC-TU'), id('drafting', 'FT1', 'BTC-TU'), id('propaganda', '-', 'BTG-TU')]));
    // Each assignment (and duty) has exactly one workflow execution: nothing was started twice.
    for (const running of ids) {
      const executions = worker.client.workflow.list({ query: `WorkflowId = '${running}'` });
      let n = 0;
      for await (const _ of executions) n++;
      expect(n, running).toBe(1);
    }
  });

  it('answers bad amendment and launch requests with 4xx naming the field, and writes nothing', async () => {
    const notRunning = await api.call('GET', `/api/plans/${planId}/amendment`, office);
    expect(notRunning.status).toBe(409);
    expect(notRunning.body.reason).toBe('IS_RUNNING');
    expect((await api.call('GET', '/api/plans/not-a-uuid/amendment', office)).status).toBe(400);
    const other = ownSeedPlan('AMEND-OTHER');
    const lone = await api.call('POST', '/api/plans', office, { definition: other.text });
    expect(lone.body.amendment).toBeUndefined();
    const none = await api.call('POST', `/api/plans/${lone.body.id}/amendment`, office, { reason: 'Điều chỉnh' });
    expect(none.status).toBe(409);
    expect(none.body.reason).toBe('NOT_RUNNING');
    const noReason = await api.call('POST', `/api/plans/${lone.body.id}/amendment`, office, {});
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const nul = await api.call('POST', `/api/plans/${lone.body.id}/amendment`, office, { reason: 'Điều\u0000chỉnh' });
    expect(nul.status).toBe(400);
    const badUnits = await api.call('POST', `/api/plans/${planId}/launch-more`, office, { units: 'BTC-TU' });
    expect(badUnits.status).toBe(400);
    const unknown = await api.call('POST', `/api/plans/${planId}/launch-more`, office, { tasks: ['FT9'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([{ field: 'tasks', reason: `FT9 is not in plan ${key}` }]);
    expect((await api.call('POST', `/api/plans/${lone.body.id}/launch-more`, office, {})).body.reason).toBe('NOT_LAUNCHED');
    expect((await worker.db.query(`SELECT amended_at FROM plan_versions WHERE id = $1`, [lone.body.id]))[0].amended_at).toBeNull();
    expect((await progress()).changes).toHaveLength(2);
  });

  it('shows an amendment (one obligation added, one removed, one deadline moved) and applies exactly that', async () => {
    const next: PlanDefinition = structuredClone(seed.plan);
    next.obligations = next.obligations.filter((o) => o.id !== 'III.2-BTC');
    const btg = next.obligations.find((o) => o.id === 'III.5-BTG')!;
    btg.deadline = 'cuối tháng 12/2027';
    next.obligations.push({ ...structuredClone(btg), id: 'III.5-BTG-SK', kind: 'review', title: 'Sơ kết công tác tuyên truyền', deadline: 'cuối tháng 06/2027' });

    const imported = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(next) });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const amendmentKey = imported.body.key as string;
    expect(amendmentKey).toBe(key.replace('@v1', '@v2'));
    // Importing shows the difference at once; nothing is applied yet.
    expect(imported.body.amendment).toMatchObject({ plan: amendmentKey, amends: key, inForce: key, appliedAt: null });
    const { diff } = imported.body.amendment;
    expect(diff.obligations).toEqual({ added: ['III.5-BTG-SK'], removed: ['III.2-BTC'], changed: ['III.5-BTG'] });
    expect(diff.assignments.added.map((a: { id: string }) => a.id)).toEqual([id('review', '-', 'BTG-TU')]);
    expect(diff.assignments.removed.map((a: { id: string }) => a.id)).toEqual([id('review', '-', 'BTC-TU')]);
    expect(diff.assignments.deadlineChanged).toEqual([
      expect.objectContaining({ id: id('propaganda', '-', 'BTG-TU'), from: expect.objectContaining({ nominal: '2020-12-31' }), to: expect.objectContaining({ nominal: '2027-12-31' }) }),
    ]);
    expect((await api.call('GET', `/api/plans/${imported.body.id}/amendment`, office)).body.diff).toEqual(diff);
    expect(await row(id('review', '-', 'BTG-TU'))).toBeUndefined();
    expect(await btgCell(id('propaganda', '-', 'BTG-TU'))).toMatchObject({ effectiveDeadline: '2020-12-31', status: 'overdue' });

    // Only the Standing Office confirms; a stale preview is refused.
    expect((await api.call('POST', `/api/plans/${imported.body.id}/amendment`, btgHead, { reason: 'Tự điều chỉnh' })).status).toBe(403);
    const stale = await api.call('POST', `/api/plans/${imported.body.id}/amendment`, office, { reason: 'Điều chỉnh', inForce: `${key}x` });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('STALE_PREVIEW');

    const reason = 'Điều chỉnh theo Kết luận của Ban Thường vụ';
    const applied = await api.call('POST', `/api/plans/${imported.body.id}/amendment`, office, { reason, inForce: key });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.change).toMatchObject({ changeId: amendmentKey, kind: 'amendment' });
    const again = await api.call('POST', `/api/plans/${imported.body.id}/amendment`, office, { reason });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('ALREADY_APPLIED');

    const record = await eventually(async () => (await progress()).changes?.find((c: { changeId: string; applied: boolean }) => c.changeId === amendmentKey && c.applied), 30_000, 'the amendment carried out');
    expect(record).toMatchObject({ started: 1, alreadyStarted: 0, cancelled: 1, shifted: 1 });

    // The read model: the new review is open, the removed one cancelled naming the amendment,
    // the moved deadline in force with the original kept.
    const added = await eventually(async () => row(id('review', '-', 'BTG-TU')), 30_000, 'the added assignment');
    expect(added).toMatchObject({ lifecycle: 'open', nominal: '2027-06-30' });
    const removed = await eventually(async () => {
      const r = await row(id('review', '-', 'BTC-TU'));
      return r?.lifecycle === 'cancelled' ? r : undefined;
    }, 30_000, 'the removed assignment cancelled');
    expect(removed.lifecycle).toBe('cancelled');
    const [cancelEvent] = (await worker.db.query(`SELECT payload FROM assignment_events WHERE assignment_id = $1 AND type = 'cancelled'`, [id('review', '-', 'BTC-TU')])) as { payload: { reason: string } }[];
    expect(cancelEvent.payload.reason).toBe(`Điều chỉnh kế hoạch ${amendmentKey}: ${reason}`);
    const moved = await eventually(async () => {
      const r = await row(id('propaganda', '-', 'BTG-TU'));
      return r?.effective === '2027-12-31' ? r : undefined;
    }, 30_000, 'the moved deadline');
    expect(moved.original_due_at.toISOString()).toBe('2020-12-31T16:59:59.000Z');
    // Everything else as it was.
    expect(await row(id('drafting', 'FT1', 'BTC-TU'))).toMatchObject({ lifecycle: 'open', nominal: '2020-01-31' });

    // The dashboard: the added review is in Ban Tuyên giáo's row, the moved duty no longer overdue.
    expect(await btgCell(id('review', '-', 'BTG-TU'))).toMatchObject({ effectiveDeadline: '2027-06-30' });
    expect(await btgCell(id('propaganda', '-', 'BTG-TU'))).toMatchObject({ effectiveDeadline: '2027-12-31', status: 'not-due' });

    // The histories: the Update on the plan, the signals on the assignments.
    const planHistory = await worker.client.workflow.getHandle(`plan:${key}`).fetchHistory();
    const accepted = planHistory.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name)).toEqual(['launchMore', 'launchMore', 'amendPlan']);
    expect(patchesOf(planHistory.events!)).toContain('amend-plan-changes');
    const signals = async (workflowId: string) =>
      ((await worker.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
        .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
        .filter(Boolean);
    expect(await signals(id('review', '-', 'BTC-TU'))).toContain('cancel');
    expect(await signals(id('propaganda', '-', 'BTG-TU'))).toContain('amendDeadline');
    expect(patchesOf((await worker.client.workflow.getHandle(id('propaganda', '-', 'BTG-TU')).fetchHistory()).events!)).toContain('amend-deadline');
    // Ban Tuyên giáo delivers on the moved deadline: done on time against the deadline in force.
    const propaganda = id('propaganda', '-', 'BTG-TU');
    const delivered = await api.call('POST', `/api/assignments/${encodeURIComponent(propaganda)}/reports`, btgHead, { version: 1, text: 'Định hướng tuyên truyền', attachments: [] });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(201);
    const final = await worker.client.workflow.getHandle(propaganda).result();
    expect(final).toMatchObject({ lifecycle: 'done', deadline: { effective: '2027-12-31' }, originalDeadline: { effective: '2020-12-31' } });
    recordHistory('plan-launched-more-then-amended', `plan:${key}`);
    recordHistory('assignment-deadline-moved-by-amendment', propaganda);
    recordHistory('assignment-cancelled-by-amendment', id('review', '-', 'BTC-TU'));
  });

  it('lets the Standing Office read and confirm a further amendment on its web page', async () => {
    const v2 = (await api.call('GET', '/api/plans', office)).body.find((p: { key: string }) => p.key === key.replace('@v1', '@v2'));
    const next: PlanDefinition = structuredClone((await api.call('GET', `/api/plans/${v2.id}`, office)).body.definition);
    next.obligations.find((o) => o.id === 'II.2.b')!.deadline = 'cuối tháng 03/2027';
    const imported = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(next) });
    expect(imported.status).toBe(201);
    // Against the version in force (v2), not the launched one: only the drafting deadlines move.
    expect(imported.body.amendment).toMatchObject({ amends: key, inForce: v2.key });
    expect(imported.body.amendment.diff.obligations).toEqual({ added: [], removed: [], changed: ['II.2.b'] });

    const web = webSession(api.baseUrl);
    expect((await web.post('/login', { username: officeUsername, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    expect((await web.get('/plans')).text).toContain(`/plans/${imported.body.id}/amendment`);
    const page = await web.get(`/plans/${imported.body.id}/amendment`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Thời hạn thay đổi (2)');
    expect(page.text).toContain('31/01/2020 → <strong>31/03/2027</strong>');
    const formPage = `/plans/${imported.body.id}/amendment`;
    const empty = await web.post(formPage, { reason: ' ', inForce: v2.key }, formPage);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Cần ghi lý do điều chỉnh');
    const confirmed = await web.post(formPage, { reason: 'Gia hạn chung theo Thông báo của Thường trực', inForce: v2.key }, formPage);
    expect(confirmed.status, confirmed.text.slice(0, 500)).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/plans/${planId}`);
    const record = await eventually(async () => (await progress()).changes?.find((c: { changeId: string; applied: boolean }) => c.changeId === imported.body.key && c.applied), 30_000, 'the web amendment carried out');
    // FT1 runs; BT1 was never launched, so only one deadline moves.
    expect(record).toMatchObject({ started: 0, cancelled: 0, shifted: 1 });
    await eventually(async () => ((await row(id('drafting', 'FT1', 'BTC-TU')))?.effective === '2027-03-31' ? true : undefined), 30_000, 'the drafting deadline moved');
    expect((await web.get(formPage)).text).toContain('Đã áp dụng lúc');
    // The dashboard lists both amendments with who applied them, why, and what they did.
    const dashboard = (await web.get(`/plans/${planId}`)).text;
    expect(dashboard).toContain('Điều chỉnh đã áp dụng');
    expect(dashboard).toContain(`${v2.key}</a>`);
    expect(dashboard).toContain('Điều chỉnh theo Kết luận của Ban Thường vụ');
    expect(dashboard).toContain('thêm 1, hủy 1, đổi hạn 1, chuyển giao 0');
    expect(dashboard).toContain('Gia hạn chung theo Thông báo của Thường trực');
  });
});
