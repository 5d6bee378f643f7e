import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, assignmentStateQuery, cancelSignal, giveCommentUpdate, requestCommentsUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { EscalationPolicySchema, createWorkingCalendar, waitDeadline, type EscalationPolicyInput } from '@dieu-hanh/domain';
import type { AssignmentSpec, WaitRule } from '@dieu-hanh/domain/assignment';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { DRAFTER, actor, testSpec } from './fixtures';

/** A reminder to the unit waited on, then that unit and the Standing Office, then the Standing Committee. */
const COMMENT_POLICY: EscalationPolicyInput = {
  reminders: [{ beforeSeconds: 2, notify: ['waited-on'] }],
  ladder: [
    { afterSeconds: 0, notify: ['waited-on', 'standing-office'] },
    { afterSeconds: 3, notify: ['standing-committee'] },
  ],
};

const SO_B = actor('chuyen-vien-b', 'UNIT-B', ['drafter']);
const SO_C = actor('chuyen-vien-c', 'UNIT-C', ['unit-head']);
const OTHER = actor('chuyen-vien-d', 'UNIT-D', ['drafter']);

/** A drafting assignment of UNIT-A coordinated by UNIT-B and UNIT-C, with the plan's default time for comments. */
function coordinated(limit: WaitRule['limit']): AssignmentSpec {
  return {
    ...testSpec('drafting', { chain: true }),
    coordinatingUnits: ['UNIT-B', 'UNIT-C'],
    responseDeadlines: { coordinationComment: { limit, policy: EscalationPolicySchema.parse(COMMENT_POLICY), assumed: true } },
  };
}

const refusal = async (promise: Promise<unknown>) => {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string }).type;
};

describe('comments of coordinating units (xin ý kiến), on the real Temporal dev server', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const start = (spec: AssignmentSpec) => h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });

  it('fans a request out to the units named, takes each unit\'s comments once, and shows them in state, read model and notices', async () => {
    const spec = coordinated({ workingDays: 5 });
    const handle = await start(spec);
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo kế hoạch', attachments: [], actor: DRAFTER }] });
    const ask = (who: typeof DRAFTER, units: string[], requestId = `r-${randomUUID().slice(0, 6)}`) =>
      handle.executeUpdate(requestCommentsUpdate, { args: [{ requestId, units, question: 'Đề nghị góp ý mục tiêu năm 2020', actor: who }] });
    // Only the lead unit asks, and only its coordinating units.
    expect(await refusal(ask(SO_B, ['UNIT-C']))).toBe('NOT_AUTHORISED');
    expect(await refusal(ask(DRAFTER, ['UNIT-B', 'UNIT-D']))).toBe('INVALID');
    const asked = await ask(DRAFTER, ['UNIT-B', 'UNIT-C'], 'r1');
    expect(asked.commentRequests).toEqual([expect.objectContaining({ requestId: 'r1', units: ['UNIT-B', 'UNIT-C'], version: 1, limit: { workingDays: 5 }, comments: [] })]);

    const comment = (who: typeof DRAFTER, text = 'Đề nghị bổ sung chỉ tiêu chuyển đổi số') => handle.executeUpdate(giveCommentUpdate, { args: [{ requestId: 'r1', text, actor: who }] });
    expect(await refusal(comment(OTHER))).toBe('NOT_AUTHORISED');
    expect(await refusal(comment(DRAFTER))).toBe('NOT_AUTHORISED');
    const answered = await comment(SO_B);
    expect(answered.commentRequests![0].comments).toEqual([expect.objectContaining({ unit: 'UNIT-B', text: 'Đề nghị bổ sung chỉ tiêu chuyển đổi số', by: SO_B })]);
    expect(await refusal(comment(SO_B, 'lần nữa'))).toBe('ALREADY_ANSWERED');

    // One wait per unit, counted in working days from the request: UNIT-B's closed by its answer, UNIT-C's open.
    const waits = await eventually(async () => {
      const w = (await handle.query(assignmentStateQuery)).waits ?? [];
      return w.length === 2 ? w : undefined;
    }, 15_000, 'two comment waits');
    const of = (unit: string) => waits.find((w) => w.unit === unit)!;
    expect(of('UNIT-B')).toMatchObject({ kind: 'coordination-comment', ref: 'r1:UNIT-B' });
    expect(of('UNIT-B').closedAt).toBeDefined();
    expect(of('UNIT-C')).toMatchObject({ kind: 'coordination-comment', ref: 'r1:UNIT-C', level: 0 });
    expect(of('UNIT-C').closedAt).toBeUndefined();
    expect(of('UNIT-C').deadline).toEqual(waitDeadline(of('UNIT-C').since, { workingDays: 5 }, createWorkingCalendar()));

    // The read model carries the comments beside the drafts; each unit asked was told.
    await eventually(async () => {
      const [row] = (await h.db.query(`SELECT state FROM assignments WHERE id = $1`, [spec.id])) as { state: { commentRequests?: { comments: unknown[] }[] } }[];
      return row?.state.commentRequests?.[0]?.comments.length === 1 ? row : undefined;
    }, 15_000, 'the comment in the read model');
    const notices = await eventually(async () => {
      const r = (await h.db.query(`SELECT recipient_unit, kind FROM notifications WHERE key LIKE $1 ORDER BY recipient_unit, kind`, [`${spec.id}:comment%`])) as { recipient_unit: string; kind: string }[];
      return r.length >= 3 ? r : undefined;
    }, 15_000, 'comment notices');
    expect(notices.map((n) => `${n.kind}:${n.recipient_unit}`)).toEqual(['comment:UNIT-A', 'comment-request:UNIT-B', 'comment-request:UNIT-C']);
    await handle.terminate('test done');
  });

  it('takes the lead unit\'s own deadline where the plan sets no time or policy for comments, and still opens the wait', async () => {
    const spec: AssignmentSpec = { ...testSpec('drafting', { chain: true }), coordinatingUnits: ['UNIT-B'] };
    const handle = await start(spec);
    const ask = (limit?: { workingDays: number }) =>
      handle.executeUpdate(requestCommentsUpdate, { args: [{ requestId: limit ? 'r2' : 'r1', units: ['UNIT-B'], question: 'Góp ý?', ...(limit ? { limit } : {}), actor: DRAFTER }] });
    expect(await refusal(ask())).toBe('INVALID');
    await ask({ workingDays: 3 });
    const wait = await eventually(async () => (await handle.query(assignmentStateQuery)).waits?.[0], 15_000, 'the comment wait');
    expect(wait).toMatchObject({ kind: 'coordination-comment', ref: 'r2:UNIT-B', unit: 'UNIT-B' });
    expect(wait.deadline).toEqual(waitDeadline(wait.since, { workingDays: 3 }, createWorkingCalendar()));
    await handle.terminate('test done');
  });

  it('reminds and escalates a unit that has not answered by the deadline, and leaves the unit that answered alone', async () => {
    const spec = coordinated({ seconds: 4 });
    const handle = await start(spec);
    await handle.executeUpdate(requestCommentsUpdate, { args: [{ requestId: 'r1', units: ['UNIT-B', 'UNIT-C'], question: 'Xin ý kiến dự thảo', actor: DRAFTER }] });
    await handle.executeUpdate(giveCommentUpdate, { args: [{ requestId: 'r1', text: 'Thống nhất', actor: SO_B }] });
    const ladder = () =>
      h.db.query(`SELECT recipient_unit, kind, level FROM notifications WHERE key LIKE $1 ORDER BY created_at, level, recipient_unit`, [`${spec.id}:wait:comment:%`]) as Promise<
        { recipient_unit: string; kind: string; level: number }[]
      >;
    const rows = await eventually(async () => {
      const r = await ladder();
      return r.some((n) => n.level === 2) ? r : undefined;
    }, 30_000, 'the comment ladder up to level 2');
    expect(rows.map((r) => `${r.kind}:${r.level}:${r.recipient_unit}`)).toEqual(['reminder:0:UNIT-C', 'escalation:1:UNIT-C', 'escalation:1:VPTU', 'escalation:2:TTTU']);
    const wait = (await handle.query(assignmentStateQuery)).waits?.find((w) => w.unit === 'UNIT-C');
    expect(wait).toMatchObject({ kind: 'coordination-comment', level: 2 });
    // Answered late: the wait closes at its level.
    const state = await handle.executeUpdate(giveCommentUpdate, { args: [{ requestId: 'r1', text: 'Góp ý muộn', actor: SO_C }] });
    expect(state.waits?.find((w) => w.unit === 'UNIT-C')?.closedAt).toBeDefined();
    // Closed by a cancellation, so the recorded history ends as a completed workflow (a replay fixture).
    await handle.signal(cancelSignal, { reason: 'test done', actor: DRAFTER });
    expect((await handle.result()).lifecycle).toBe('cancelled');
    recordHistory('assignment-coordination-comments-escalated', spec.id);
  });
});
