import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, answerDifficultyUpdate, approvalStateQuery, assignmentStateQuery, decideExtensionUpdate, decideUpdate, requestCommentsUpdate, requestExtensionUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { EscalationPolicySchema, assignmentStatus, createWorkingCalendar, waitDeadline, type EscalationPolicyInput } from '@dieu-hanh/domain';
import type { ApprovalStepSpec, AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { planWaits, waitedOnRows } from '../../apps/api/src/reports/waited-on';
import { ESCALATION_PAGE_SIZE, escalationGroups } from '../../apps/api/src/web/dashboard/plan-dashboard.service';
import { recordHistory } from '../support/histories';
import { DEPUTY, DRAFTER, OFFICE, testSpec, today } from './fixtures';

/** A step ladder in seconds: reminder to the approver, then approver + Standing Office, then the Standing Committee twice. */
const STEP_POLICY: EscalationPolicyInput = {
  reminders: [{ beforeSeconds: 2, notify: ['waited-on'] }],
  ladder: [
    { afterSeconds: 0, notify: ['waited-on', 'standing-office'] },
    { afterSeconds: 3, notify: ['standing-committee'] },
    { afterSeconds: 12, notify: ['standing-committee'] },
  ],
};

/** Level 1 to the Standing Office at the deadline, repeated every 3 s three times, with a 6 s summary. */
const REPEATING: EscalationPolicyInput = {
  ladder: [{ afterSeconds: 0, notify: ['standing-office'] }],
  repeat: { everySeconds: 3, times: 3 },
  summary: { everySeconds: 6 },
};
/** The same, with a second level 9 s after the deadline. */
const CLIMBING: EscalationPolicyInput = {
  ladder: [
    { afterSeconds: 0, notify: ['standing-office'] },
    { afterSeconds: 9, notify: ['standing-office'] },
  ],
  summary: { everySeconds: 6 },
};

function withStepDeadline(spec: AssignmentSpec, deadline: ApprovalStepSpec['deadline']): AssignmentSpec {
  return {
    ...spec,
    approvalChain: spec.approvalChain!.map((step, i) => (i === 0 ? { ...step, deadline, escalationPolicy: EscalationPolicySchema.parse(STEP_POLICY) } : step)),
  };
}

describe('deadlines for what waits on a person, on the real Temporal dev server', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const start = (spec: AssignmentSpec) =>
    h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });

  it('counts a step deadline in working days from the moment the step opens, on the Vietnamese calendar', async () => {
    const spec = withStepDeadline(testSpec('drafting', { chain: true }), { workingDays: 5 });
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    const wait = await eventually(async () => (await approval.query(approvalStateQuery)).stepWaits?.[0], 15_000, 'the step wait');
    expect(wait).toMatchObject({ kind: 'approval-step', ref: 'vptu-review', unit: 'VPTU', role: 'standing-office', level: 0 });
    expect(wait.closedAt).toBeUndefined();
    // The same instant the calendar gives for 5 working days after the opening's local day.
    expect(wait.deadline).toEqual(waitDeadline(wait.since, { workingDays: 5 }, createWorkingCalendar()));
    expect(Date.parse(wait.deadline!.dueAt) - Date.parse(wait.since)).toBeGreaterThan(5 * 86_400_000);
    // Who is waited on, since and until when, in the read model too.
    const row = await eventually(async () => {
      const [r] = (await h.db.query(`SELECT step_unit, step_since, step_due_at, step_level FROM approvals WHERE id = $1`, [approvalId])) as {
        step_unit: string;
        step_since: Date | null;
        step_due_at: Date | null;
        step_level: number | null;
      }[];
      return r?.step_due_at ? r : undefined;
    }, 15_000, 'the approval row with its step deadline');
    expect(row.step_unit).toBe('VPTU');
    expect(row.step_since!.toISOString()).toBe(new Date(wait.since).toISOString());
    expect(row.step_due_at!.getTime()).toBe(Date.parse(wait.deadline!.dueAt));
    expect(row.step_level).toBe(0);
    await handle.terminate('test done');
  });

  it('reminds the approver, climbs the step ladder after its deadline, and stops when the step is decided', async () => {
    const spec = withStepDeadline(testSpec('drafting', { chain: true }), { seconds: 4 });
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const stepNotices = () =>
      h.db.query(`SELECT key, recipient_unit, kind, level FROM notifications WHERE key LIKE $1 ORDER BY created_at, level, recipient_unit`, [
        `${approvalId}:step:%`,
      ]) as Promise<{ key: string; recipient_unit: string; kind: string; level: number }[]>;
    const rows = await eventually(async () => {
      const r = await stepNotices();
      return r.some((n) => n.level === 2) ? r : undefined;
    }, 30_000, 'the step ladder up to level 2');
    // The step's unit VPTU is also the Standing Office here: one row for it at level 1.
    // The ladder (the step holder's "a draft waits for you" notice, approval-needed, is not part of it).
    expect(rows.filter((r) => r.kind !== 'approval-needed').map((r) => `${r.kind}:${r.level}:${r.recipient_unit}`)).toEqual(['reminder:0:VPTU', 'escalation:1:VPTU', 'escalation:2:TTTU']);
    const approval = h.client.workflow.getHandle(approvalId!);
    expect((await approval.query(approvalStateQuery)).stepWaits?.[0]).toMatchObject({ level: 2 });

    // Decided: the step's ladder stops (its level 3, due 12 s after the deadline, never fires).
    const state = await approval.executeUpdate(decideUpdate, {
      args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() }],
    });
    expect(state.stepIndex).toBe(1);
    expect(state.stepWaits?.[0]).toMatchObject({ level: 2 });
    expect(state.stepWaits?.[0].closedAt).toBeDefined();
    const deadline = Date.parse(state.stepWaits![0].deadline!.dueAt);
    await new Promise((r) => setTimeout(r, Math.max(0, deadline + 14_000 - Date.now())));
    expect((await stepNotices()).filter((n) => n.level === 3)).toHaveLength(0);
    await handle.terminate('test done');
    await approval.result().catch(() => undefined);
    recordHistory('approval-step-deadline-ladder-then-decided', approvalId!);
  });

  it('repeats the top level of a step ladder until the policy\'s bound, not for ever (repeat.until)', async () => {
    // Level 1 at the deadline, repeated every 2 s until 5 s after it: at +0, +2, +4; nothing at +6 or later.
    const policy = EscalationPolicySchema.parse({ ladder: [{ afterSeconds: 0, notify: ['waited-on'] }], repeat: { everySeconds: 2, until: { afterSeconds: 5 } } });
    const base = testSpec('drafting', { chain: true });
    const spec: AssignmentSpec = { ...base, approvalChain: base.approvalChain!.map((step, i) => (i === 0 ? { ...step, deadline: { seconds: 3 }, escalationPolicy: policy } : step)) };
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    const wait = await eventually(async () => (await approval.query(approvalStateQuery)).stepWaits?.[0], 15_000, 'the step wait');
    const dueAt = Date.parse(wait.deadline!.dueAt);
    // Well past the bound and past where a fourth repeat would have fired.
    await new Promise((r) => setTimeout(r, Math.max(0, dueAt + 10_000 - Date.now())));
    const escalations = (await h.db.query(`SELECT level, created_at FROM notifications WHERE key LIKE $1 AND kind = 'escalation' ORDER BY created_at`, [
      `${approvalId}:step:%`,
    ])) as { level: number; created_at: Date }[];
    expect(escalations.map((e) => e.level)).toEqual([1, 1, 1]);
    expect(escalations.every((e) => e.created_at.getTime() <= dueAt + 5_000 + 3_000)).toBe(true);
    await handle.terminate('test done');
  });

  it('escalates a reported difficulty the body the report went to has not answered, and stops once it is answered', async () => {
    const spec: AssignmentSpec = {
      ...testSpec('review'),
      submitTo: 'TTTU',
      responseDeadlines: { difficultyAnswer: { limit: { seconds: 3 }, policy: EscalationPolicySchema.parse(STEP_POLICY) } },
    };
    const handle = await start(spec);
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo tháng', attachments: [], actor: DRAFTER, difficulties: 'Thiếu kinh phí triển khai' }] });
    const waitNotices = () =>
      h.db.query(`SELECT recipient_unit, kind, level FROM notifications WHERE key LIKE $1 ORDER BY created_at, level, recipient_unit`, [`${spec.id}:wait:difficulty:v1:%`]) as Promise<
        { recipient_unit: string; kind: string; level: number }[]
      >;
    const rows = await eventually(async () => {
      const r = await waitNotices();
      return r.some((n) => n.level === 2) ? r : undefined;
    }, 30_000, 'the difficulty answer ladder up to level 2');
    // Waited on: Thường trực (TTTU, the report's submitTo), then the Standing Office with it, then the Standing Committee.
    expect(rows.map((r) => `${r.kind}:${r.level}:${r.recipient_unit}`)).toEqual(['reminder:0:TTTU', 'escalation:1:TTTU', 'escalation:1:VPTU', 'escalation:2:TTTU']);
    const state = await handle.query(assignmentStateQuery);
    // The report itself is done (on time); the difficulty waits on TTTU.
    expect(state.lifecycle).toBe('done');
    const waiting = state.waits?.[0];
    expect(waiting).toMatchObject({ kind: 'difficulty-answer', ref: 'v1', unit: 'TTTU', level: 2 });
    expect(Date.parse(waiting!.deadline!.dueAt) - Date.parse(waiting!.since)).toBe(3000);

    // Only the body the report went to answers.
    const refusal = (p: Promise<unknown>) => p.then(() => 'answered', (e: { cause?: { type?: string } }) => e.cause?.type);
    expect(await refusal(handle.executeUpdate(answerDifficultyUpdate, { args: [{ version: 1, text: 'Đã chỉ đạo', actor: OFFICE }] }))).toBe('NOT_AUTHORISED');
    const answered = await handle.executeUpdate(answerDifficultyUpdate, { args: [{ version: 1, text: 'Giao Sở Tài chính bố trí kinh phí', actor: DEPUTY }] });
    expect(answered.submissions[0].difficultyAnswer).toMatchObject({ text: 'Giao Sở Tài chính bố trí kinh phí', by: { unit: 'TTTU' } });
    expect(answered.waits?.[0].closedAt).toBeDefined();
    // A second answer: refused by the validator, or finding the report's workflow already ended.
    const again = await handle.executeUpdate(answerDifficultyUpdate, { args: [{ version: 1, text: 'Lần hai', actor: DEPUTY }] }).then(
      () => 'answered',
      (e: { cause?: { type?: string }; message?: string }) => e.cause?.type ?? (/completed/i.test(String(e.message)) ? 'closed' : e.message),
    );
    expect(['ALREADY_ANSWERED', 'closed']).toContain(again);
    // Answered: the report's workflow ends, and the ladder's level 3 (12 s after the deadline) never fires.
    expect((await handle.result()).lifecycle).toBe('done');
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(waiting!.deadline!.dueAt) + 14_000 - Date.now())));
    expect((await waitNotices()).filter((n) => n.level === 3)).toHaveLength(0);
    const told = await eventually(async () => {
      const r = (await h.db.query(`SELECT recipient_unit FROM notifications WHERE key = $1`, [`${spec.id}:difficulty-answered:v1`])) as { recipient_unit: string }[];
      return r.length ? r : undefined;
    }, 15_000, 'the answer told to the reporting unit');
    expect(told.map((r) => r.recipient_unit)).toEqual([spec.leadUnit]);
    recordHistory('assignment-difficulty-answer-escalated', spec.id);
  });

  it('closes an unanswered difficulty when the plan closes first, so it no longer waits on anyone', async () => {
    const spec: AssignmentSpec = {
      ...testSpec('review'),
      submitTo: 'TTTU',
      responseDeadlines: { difficultyAnswer: { limit: { workingDays: 5 }, policy: EscalationPolicySchema.parse(STEP_POLICY) } },
    };
    const handle = await start(spec);
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo tháng', attachments: [], actor: DRAFTER, difficulties: 'Thiếu kinh phí' }] });
    await eventually(async () => ((await handle.query(assignmentStateQuery)).waits?.length ? true : undefined), 15_000, 'the difficulty wait');
    await handle.cancel();
    await handle.result().catch(() => undefined);
    const row = await eventually(async () => {
      const r = await h.db.getRepository(AssignmentEntity).findOneBy({ id: spec.id });
      return r?.state.submissions[0]?.difficultyClosedAt ? r : undefined;
    }, 15_000, 'the difficulty closed in the read model');
    expect(row.lifecycle).toBe('done');
    expect(row.state.waits?.[0].closedAt).toBeDefined();
  });

  it('escalates an extension request the Standing Office has not decided, and stops once it is decided', async () => {
    const spec: AssignmentSpec = {
      ...testSpec('review'),
      responseDeadlines: { extensionDecision: { limit: { seconds: 3 }, policy: EscalationPolicySchema.parse(STEP_POLICY) } },
    };
    const handle = await start(spec);
    const proposed = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ requestId: 'x1', reason: 'Chờ số liệu quý I', proposedDate: proposed, actor: DRAFTER }] });
    const waitNotices = () =>
      h.db.query(`SELECT recipient_unit, kind, level FROM notifications WHERE key LIKE $1 ORDER BY created_at, level, recipient_unit`, [
        `${spec.id}:wait:extension:x1:%`,
      ]) as Promise<{ recipient_unit: string; kind: string; level: number }[]>;
    const rows = await eventually(async () => {
      const r = await waitNotices();
      return r.some((n) => n.level === 2) ? r : undefined;
    }, 30_000, 'the extension decision ladder up to level 2');
    // Waited on: the Standing Office (VPTU); then the Standing Committee.
    // The ladder (the step holder's "a draft waits for you" notice, approval-needed, is not part of it).
    expect(rows.filter((r) => r.kind !== 'approval-needed').map((r) => `${r.kind}:${r.level}:${r.recipient_unit}`)).toEqual(['reminder:0:VPTU', 'escalation:1:VPTU', 'escalation:2:TTTU']);
    const waiting = (await handle.query(assignmentStateQuery)).waits?.[0];
    expect(waiting).toMatchObject({ kind: 'extension-decision', ref: 'x1', unit: 'VPTU', level: 2 });
    expect(Date.parse(waiting!.deadline!.dueAt) - Date.parse(waiting!.since)).toBe(3000);

    const decided = await handle.executeUpdate(decideExtensionUpdate, { args: [{ requestId: 'x1', granted: false, comment: 'Không gia hạn', actor: OFFICE }] });
    expect(decided.waits?.[0]).toMatchObject({ level: 2 });
    expect(decided.waits?.[0].closedAt).toBeDefined();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(waiting!.deadline!.dueAt) + 14_000 - Date.now())));
    expect((await waitNotices()).filter((n) => n.level === 3)).toHaveLength(0);
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo rà soát', attachments: [], actor: DRAFTER }] });
    expect((await handle.result()).lifecycle).toBe('done');
    recordHistory('assignment-extension-decision-escalated', spec.id);
  });

  it('counts a unit that submitted on time as on time while its approver is late, and the step\'s lateness against the approver\'s unit', async () => {
    const base = withStepDeadline(testSpec('drafting', { chain: true, dueInSeconds: 6 }), { seconds: 2 });
    const spec: AssignmentSpec = { ...base, planId: `TIMELY-${base.id.split(':')[1]}@v1` };
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo đúng hạn', attachments: [], actor: DRAFTER }] });
    const calendar = createWorkingCalendar();
    const unitName = (code: string) => `đơn vị ${code}`;
    // Past the unit's own deadline, the approver's step escalated and still undecided.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(spec.deadline.dueAt) + 2000 - Date.now())));
    const assignmentRow = (lifecycle: string) =>
      eventually(async () => {
        const r = await h.db.getRepository(AssignmentEntity).findOneBy({ id: spec.id });
        return r?.lifecycle === lifecycle ? r : undefined;
      }, 10_000, `the assignment ${lifecycle} in the read model`);
    const waitedOn = (ready: (rows: ReturnType<typeof waitedOnRows>) => boolean) =>
      eventually(async () => {
        const rows = waitedOnRows(await planWaits(h.db, spec.planId), unitName, new Date(), calendar);
        return ready(rows) ? rows : undefined;
      }, 10_000, 'the step wait in the read model');
    // The unit submitted on time: while the approvers hold it, its own clock is stopped (not due), whatever the step does.
    expect(assignmentStatus((await assignmentRow('awaiting-approval')).state, new Date(), calendar)).toBe('not-due');
    const lateStep = await waitedOn((rows) => rows.length > 0);
    expect(lateStep).toEqual([{ unit: 'VPTU', name: 'đơn vị VPTU', total: 1, onTime: 0, late: 0, overdue: 1, waiting: 0 }]);

    const approval = h.client.workflow.getHandle(approvalId!);
    await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() }] });
    await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'sign-off', decision: 'approve', comment: '', actor: DEPUTY, today: today() }] });
    expect((await handle.result()).lifecycle).toBe('done');
    expect(assignmentStatus((await assignmentRow('done')).state, new Date(), calendar)).toBe('done-on-time');
    const afterwards = await waitedOn((rows) => rows[0]?.late === 1);
    expect(afterwards).toEqual([{ unit: 'VPTU', name: 'đơn vị VPTU', total: 1, onTime: 0, late: 1, overdue: 0, waiting: 0 }]);
  });

  it('gives a recipient with 50 overdue items one summary per period instead of a notice per item per repeat; a new level still notifies at once', async () => {
    const planId = `SUM-${randomUUID().slice(0, 8)}@v1`;
    const item = (i: number, policy: EscalationPolicyInput): AssignmentSpec => ({
      ...testSpec('review', { dueInSeconds: 4, policy, id: `review:${planId}:T${i}:UNIT-A` }),
      planId,
      title: `Nhiệm vụ ${String(i).padStart(2, '0')}`,
    });
    const specs = [...Array.from({ length: 49 }, (_, i) => item(i + 1, REPEATING)), item(50, CLIMBING)];
    await Promise.all(specs.map((spec) => h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] })));
    const summary = await h.client.workflow.start(WORKFLOW_TYPES.overdueSummary, {
      workflowId: `summary:${planId}`,
      taskQueue: h.taskQueue,
      args: [{ planId, rule: { everySeconds: 6 }, noticeTime: '08:00' }],
    });

    const notices = () =>
      h.db.query(
        `SELECT key, recipient_unit, assignment_id, kind, level, subject, body, created_at FROM notifications WHERE plan_key = $1 ORDER BY created_at`,
        [planId],
      ) as Promise<{ key: string; recipient_unit: string; assignment_id: string; kind: string; level: number; subject: string; body: string; created_at: Date }[]>;
    // Every timer of every item fired (the repeats 3, 6 and 9 s after the deadline, the second level at 9 s) ...
    await eventually(async () => {
      const states = await Promise.all(specs.map((spec) => h.client.workflow.getHandle(spec.id).query(assignmentStateQuery)));
      return states.every((st) => st.fired.length === st.schedule.length) ? true : undefined;
    }, 90_000, 'every timer fired');
    // Each item's first escalation notice written (a loaded machine writes them late) ...
    await eventually(async () => {
      const r = await notices();
      return new Set(r.filter((n) => n.kind === 'escalation').map((n) => n.assignment_id)).size === 50 && r.some((n) => n.level === 2) ? true : undefined;
    }, 90_000, 'a notice for each item');
    const settled = new Date();
    // ... and a period ended after that.
    const rows = await eventually(async () => {
      const r = await notices();
      return r.some((n) => n.kind === 'summary' && n.created_at > settled) ? r : undefined;
    }, 30_000, 'a summary after every item was notified');
    expect((await h.client.workflow.getHandle(specs[0].id).query(assignmentStateQuery)).fired).toEqual([0, 1, 2, 3]);
    // ... but each item notified once per level: 50 at level 1, 1 at level 2, no repeat notices.
    const perItem = rows.filter((n) => n.kind === 'escalation');
    expect(perItem.filter((n) => n.level === 1)).toHaveLength(50);
    expect(new Set(perItem.filter((n) => n.level === 1).map((n) => n.assignment_id)).size).toBe(50);
    const levelTwo = perItem.filter((n) => n.level === 2);
    expect(levelTwo.map((n) => n.assignment_id)).toEqual([specs[49].id]);
    // The second level went out on its own, as a per-item notice, not only inside a summary.
    expect(levelTwo[0]).toMatchObject({ recipient_unit: 'VPTU', subject: 'Cảnh báo quá hạn (cấp 2): Nhiệm vụ 50' });

    // One summary per period for the recipient, listing every item still overdue with counts by level.
    const summaries = rows.filter((n) => n.kind === 'summary');
    expect(summaries.every((n) => n.recipient_unit === 'VPTU')).toBe(true);
    expect(new Set(summaries.map((n) => n.key)).size).toBe(summaries.length);
    const last = summaries.at(-1)!;
    expect(last.subject).toMatch(/^Tổng hợp nhiệm vụ quá hạn tuần \d{2}\/\d{4} \(50 nhiệm vụ\)$/);
    expect(last.body).toContain('50 nhiệm vụ còn quá hạn (cấp 2: 1; cấp 1: 49).');
    for (const spec of specs) expect(last.body).toContain(spec.title);
    // Periods 6 s apart: far fewer summaries than the 150 repeat notices they replace.
    const elapsed = Date.now() - Date.parse(specs[0].deadline.dueAt);
    expect(summaries.length).toBeLessThanOrEqual(Math.ceil(elapsed / 6000) + 2);

    // The dashboard's escalation table: one row per item at its highest level, not a row per notice.
    const first = await escalationGroups(h.db, planId, undefined, 1);
    expect(first.total).toBe(50);
    expect(first.groups).toHaveLength(ESCALATION_PAGE_SIZE);
    // Highest level first: the one item that reached level 2 heads the table.
    expect(first.groups.filter((g) => g.level === 2).map((g) => g.assignmentId)).toEqual([specs[49].id]);
    expect(first.groups[0]!.assignmentId).toBe(specs[49].id);

    await Promise.all(specs.map((spec) => h.client.workflow.getHandle(spec.id).terminate('test done')));
    await summary.terminate('test done');
  });

  it('lists in the periodic summary every wait past its deadline to the unit it waits on: approval steps, extension decisions, difficulty answers, coordinating units\' comments', async () => {
    const planId = `SUMW-${randomUUID().slice(0, 8)}@v1`;
    const policy = EscalationPolicySchema.parse(STEP_POLICY);
    const soon = { limit: { seconds: 2 }, policy };
    // A draft waiting on VPTU's step and on UNIT-B's comments; its own deadline an hour away.
    const drafted = withStepDeadline({ ...testSpec('drafting', { chain: true, id: `drafting:${planId}:T1:UNIT-A` }), planId, title: 'Dự thảo kế hoạch', coordinatingUnits: ['UNIT-B'] }, { seconds: 2 });
    const draft: AssignmentSpec = { ...drafted, responseDeadlines: { coordinationComment: soon } };
    // An extension request waiting on the Standing Office (VPTU).
    const extended: AssignmentSpec = { ...testSpec('review', { id: `review:${planId}:T2:UNIT-A` }), planId, title: 'Báo cáo xin gia hạn', responseDeadlines: { extensionDecision: soon } };
    // A report done, its difficulty waiting on Thường trực (TTTU) for an answer.
    const reported: AssignmentSpec = { ...testSpec('review', { id: `review:${planId}:T3:UNIT-A` }), planId, title: 'Báo cáo có khó khăn', submitTo: 'TTTU', responseDeadlines: { difficultyAnswer: soon } };
    const [d, x, r] = await Promise.all([draft, extended, reported].map(start));
    await d.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    await d.executeUpdate(requestCommentsUpdate, { args: [{ requestId: 'r1', units: ['UNIT-B'], question: 'Đề nghị góp ý', actor: DRAFTER }] });
    const proposed = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await x.executeUpdate(requestExtensionUpdate, { args: [{ requestId: 'x1', reason: 'Chờ số liệu', proposedDate: proposed, actor: DRAFTER }] });
    await r.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo tháng', attachments: [], actor: DRAFTER, difficulties: 'Thiếu kinh phí' }] });
    const summary = await h.client.workflow.start(WORKFLOW_TYPES.overdueSummary, {
      workflowId: `summary:${planId}`,
      taskQueue: h.taskQueue,
      args: [{ planId, rule: { everySeconds: 3 }, noticeTime: '08:00' }],
    });

    // Every wait past its deadline in the read model, then a period after that.
    await eventually(async () => {
      const rows = (await h.db.query(`SELECT state FROM assignments WHERE plan_key = $1`, [planId])) as { state: { waits?: { kind: string }[] } }[];
      const [step] = (await h.db.query(`SELECT step_due_at FROM approvals WHERE assignment_id = $1 AND outcome IS NULL`, [draft.id])) as { step_due_at: Date | null }[];
      return rows.flatMap((row) => row.state.waits ?? []).length === 3 && step?.step_due_at ? true : undefined;
    }, 30_000, 'the waits in the read model');
    const settled = new Date(Date.now() + 2500);
    const latest = await eventually(async () => {
      const rows = (await h.db.query(`SELECT recipient_unit, subject, body, created_at FROM notifications WHERE plan_key = $1 AND kind = 'summary' ORDER BY created_at`, [planId])) as {
        recipient_unit: string;
        subject: string;
        body: string;
        created_at: Date;
      }[];
      const last = new Map(rows.filter((n) => n.created_at > settled).map((n) => [n.recipient_unit, n] as const));
      return ['VPTU', 'UNIT-B', 'TTTU'].every((u) => last.has(u)) ? last : undefined;
    }, 40_000, 'a summary to each unit waited on');

    // Each wait listed to the unit waited on, as what it waits for.
    expect(latest.get('VPTU')!.body).toMatch(/\[cấp \d\] Chờ phê duyệt: Dự thảo kế hoạch /);
    expect(latest.get('VPTU')!.body).toMatch(/\[cấp \d\] Chờ quyết định gia hạn: Báo cáo xin gia hạn /);
    expect(latest.get('UNIT-B')!.body).toMatch(/\[cấp \d\] Chờ ý kiến đơn vị phối hợp: Dự thảo kế hoạch /);
    expect(latest.get('UNIT-B')!.subject).toMatch(/\(1 việc chờ đơn vị xử lý\)$/);
    // A done report's unanswered difficulty still waits, on TTTU.
    expect(latest.get('TTTU')!.body).toMatch(/\[cấp \d\] Chờ trả lời khó khăn, vướng mắc: Báo cáo có khó khăn /);
    // The waited-on unit gets the wait once, not also as an overdue assignment (none of them is past its own deadline).
    expect(latest.get('VPTU')!.subject).toMatch(/\(2 việc chờ đơn vị xử lý\)$/);
    expect(latest.get('VPTU')!.body).not.toContain('] Dự thảo kế hoạch');

    await Promise.all([d, x, r].map((handle) => handle.terminate('test done')));
    await summary.terminate('test done');
  });
});
