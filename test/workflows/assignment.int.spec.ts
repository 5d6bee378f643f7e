import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  WORKFLOW_TYPES,
  assignmentStateQuery,
  approvalStateQuery,
  approvalWorkflowId,
  decideExtensionUpdate,
  decideUpdate,
  requestExtensionUpdate,
  submitUpdate,
} from '@dieu-hanh/workflows';
import type { AssignmentSpec, DecisionRequest } from '@dieu-hanh/domain/assignment';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { DEPUTY, DRAFTER, OFFICE, OUTSIDER, STAND_IN, SECONDS_POLICY, testSpec, today } from './fixtures';

type Event = Record<string, { activityType?: { name?: string }; markerName?: string } | undefined>;
const kinds = (events: Event[]) =>
  events.map((e) => {
    const key = Object.keys(e).find((k) => k.endsWith('EventAttributes') && e[k] != null) ?? '';
    const attrs = e[key];
    return `${key.replace(/EventAttributes$/, '')}${attrs?.activityType?.name ? `:${attrs.activityType.name}` : ''}${attrs?.markerName ? `:${attrs.markerName}` : ''}`;
  });

describe('assignment workflows on the real Temporal dev server', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const start = (spec: AssignmentSpec) =>
    h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
  const notices = async (id: string) =>
    (await h.db.query(`SELECT key, recipient_unit, kind, level, created_at FROM notifications WHERE assignment_id = $1 ORDER BY created_at, level`, [id])) as {
      key: string;
      recipient_unit: string;
      kind: string;
      level: number;
      created_at: Date;
    }[];

  it('fires the reminder, then each escalation in order and on time, and nothing after completion', async () => {
    // Timers 6 s apart and a 3 s tolerance: a late timer on a loaded machine still
    // cannot pass for its neighbour. Times are the workflow's own (its timer-fired
    // events), not when a notice row happened to be written.
    const spacing = 6000;
    const tolerance = 3000;
    const spec = testSpec('concretisation', {
      dueInSeconds: 8,
      policy: {
        reminders: [{ beforeSeconds: 6, notify: ['lead-unit'] }],
        ladder: [
          { afterSeconds: 0, notify: ['lead-unit-head'] },
          { afterSeconds: 6, notify: ['standing-office'] },
          { afterSeconds: 12, notify: ['standing-committee'] },
        ],
      },
    });
    const planned = spec.schedule.map((e) => Date.parse(e.at));
    expect(planned.slice(1).map((t, i) => t - planned[i])).toEqual([spacing, spacing, spacing]);
    const handle = await start(spec);
    const seen = await eventually(async () => {
      const rows = await notices(spec.id);
      return rows.filter((r) => r.kind === 'escalation').length >= 2 ? rows : undefined;
    }, 45_000, 'two escalations');
    expect(seen.map((r) => `${r.kind}:${r.level}:${r.recipient_unit}`).slice(0, 3)).toEqual([
      'reminder:0:UNIT-A',
      'escalation:1:UNIT-A',
      'escalation:2:VPTU',
    ]);
    const fired = await eventually(async () => {
      const rows = (await h.db.query(`SELECT payload FROM assignment_events WHERE assignment_id = $1 AND type = 'timer-fired' ORDER BY seq`, [spec.id])) as {
        payload: { index: number; at: string };
      }[];
      return rows.length >= 3 ? rows.map((r) => r.payload) : undefined;
    }, 20_000, 'three timer-fired events in the read model');
    // In order, each no earlier than planned and well before the next was due.
    expect(fired.map((e) => e.index)).toEqual([0, 1, 2]);
    for (const e of fired) {
      const late = Date.parse(e.at) - planned[e.index];
      expect(late, `timer ${e.index} fired ${late} ms after its time`).toBeGreaterThanOrEqual(0);
      expect(late, `timer ${e.index} fired ${late} ms after its time`).toBeLessThan(tolerance);
    }

    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], actor: DRAFTER, cites: '99-KH/TEST' }] });
    const final = await handle.result();
    expect(final.lifecycle).toBe('done');
    recordHistory('assignment-escalated-then-done', spec.id);
    // Past the moment the third escalation would have fired.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(spec.schedule[3].at) + 2000 - Date.now())));
    const after = await notices(spec.id);
    expect(after.filter((r) => r.kind === 'escalation' && r.level === 3)).toHaveLength(0);
    const [row] = await h.db.query(`SELECT lifecycle, escalation_level FROM assignments WHERE id = $1`, [spec.id]);
    expect(row).toEqual({ lifecycle: 'done', escalation_level: 2 });
  });

  it('refuses a concretisation plan that does not cite the parent plan, and changes nothing', async () => {
    const spec = testSpec('concretisation');
    const handle = await start(spec);
    const err = await handle
      .executeUpdate(submitUpdate, { args: [{ version: 1, text: 'x', attachments: [], actor: DRAFTER, cites: 'WRONG' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'MUST_CITE' });
    expect((await handle.query(assignmentStateQuery)).submissions).toHaveLength(0);
    await handle.terminate('test done');
  });

  it('an extension grant re-arms every timer on the new date and keeps the original deadline', async () => {
    const spec = testSpec('review', { dueInSeconds: 4 });
    const handle = await start(spec);
    const proposed = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ requestId: 'x1', reason: 'Chờ số liệu quý I', proposedDate: proposed, actor: DRAFTER }] });
    const refused = await handle
      .executeUpdate(decideExtensionUpdate, { args: [{ requestId: 'x1', granted: true, comment: '', actor: DRAFTER }] })
      .catch((e: unknown) => e);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'NOT_AUTHORISED' });
    const state = await handle.executeUpdate(decideExtensionUpdate, { args: [{ requestId: 'x1', granted: true, comment: 'Đồng ý', actor: OFFICE }] });
    expect(state.deadline.nominal).toBe(proposed);
    expect(state.originalDeadline.dueAt).toBe(spec.deadline.dueAt);
    expect(state.fired).toEqual([]);
    expect(Date.parse(state.schedule[0].at)).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    // The old timers (due in a few seconds) must not fire any more.
    await new Promise((r) => setTimeout(r, 6000));
    expect((await notices(spec.id)).filter((r) => r.kind === 'escalation')).toHaveLength(0);
    await handle.terminate('test done');
  });

  it('send-back reopens drafting with a new deadline; a refused decision changes nothing; a delegate is named with the delegator', async () => {
    const spec = testSpec('drafting', { chain: true, dueInSeconds: 30 });
    const handle = await start(spec);
    const v1 = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo 1', attachments: [], actor: DRAFTER }] });
    expect(v1.approvalId).toBe(approvalWorkflowId(spec.id, 1));
    const approval1 = h.client.workflow.getHandle(v1.approvalId!);

    const decide = (approval: typeof approval1, request: DecisionRequest) => approval.executeUpdate(decideUpdate, { args: [request] });

    const outsider = await decide(approval1, { approvalId: v1.approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OUTSIDER, today: today() }).catch((e: unknown) => e);
    expect((outsider as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'NOT_AUTHORISED' });
    expect((await approval1.query(approvalStateQuery)).decisions).toHaveLength(0);

    await decide(approval1, { approvalId: v1.approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() });
    const stale = await decide(approval1, { approvalId: v1.approvalId!, version: 2, step: 'sign-off', decision: 'approve', comment: '', actor: DEPUTY, today: today() }).catch((e: unknown) => e);
    expect((stale as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'STALE_VERSION' });
    await decide(approval1, { approvalId: v1.approvalId!, version: 1, step: 'sign-off', decision: 'request-changes', comment: 'Bổ sung giải pháp', actor: DEPUTY, today: today() });

    const reopened = await eventually(async () => {
      const s = await handle.query(assignmentStateQuery);
      return s.lifecycle === 'open' && s.submissions[0].outcome ? s : undefined;
    });
    expect(reopened.submissions[0]).toMatchObject({ outcome: 'request-changes', comment: 'Bổ sung giải pháp' });
    expect(Math.abs(Date.parse(reopened.deadline.dueAt) - Date.now() - 60_000)).toBeLessThan(10_000);

    const v2 = await handle.executeUpdate(submitUpdate, { args: [{ version: 2, text: 'Dự thảo 2', attachments: [], actor: DRAFTER }] });
    const approval2 = h.client.workflow.getHandle(v2.approvalId!);
    await decide(approval2, { approvalId: v2.approvalId!, version: 2, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() });
    const signed = await decide(approval2, {
      approvalId: v2.approvalId!,
      version: 2,
      step: 'sign-off',
      decision: 'approve',
      comment: 'Ký thay',
      actor: STAND_IN,
      delegation: { from: DEPUTY, validFrom: today(), validTo: today() },
      today: today(),
    });
    expect(signed).toMatchObject({ outcome: 'approve' });
    const final = await handle.result();
    expect(final.lifecycle).toBe('done');
    recordHistory('drafting-send-back-then-approved', spec.id);
    recordHistory('approval-delegated-sign-off', v2.approvalId!);
    expect(final.submissions[1]).toMatchObject({ version: 2, outcome: 'approve', decidedBy: { name: 'stand-in' }, onBehalfOf: { name: 'deputy' } });
    const closed = await decide(approval2, { approvalId: v2.approvalId!, version: 2, step: 'sign-off', decision: 'approve', comment: '', actor: DEPUTY, today: today() }).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(Error);
  });

  it('climbs the SLA ladder of an approval step: reminder, Standing Office, Standing Committee', async () => {
    const base = testSpec('drafting', { chain: true });
    const spec = { ...base, approvalChain: base.approvalChain!.map((step, i) => (i === 0 ? { ...step, slaSeconds: 2 } : step)) };
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const rows = await eventually(async () => {
      const r = await h.db.query(`SELECT recipient_unit, kind, level FROM notifications WHERE key LIKE $1 ORDER BY created_at, level`, [`${approvalId}:sla:%`]);
      return r.length === 3 ? r : undefined;
    }, 15_000, 'the SLA ladder');
    // Half-time reminder to the step's unit, then the Standing Office, then the Standing Committee.
    expect(rows).toEqual([
      { recipient_unit: 'VPTU', kind: 'reminder', level: 0 },
      { recipient_unit: 'VPTU', kind: 'escalation', level: 1 },
      { recipient_unit: 'TTTU', kind: 'escalation', level: 2 },
    ]);
    // Still decidable after the escalation, and the chain goes on.
    const state = await h.client.workflow.getHandle(approvalId!).executeUpdate(decideUpdate, {
      args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() }],
    });
    expect(state.stepIndex).toBe(1);
    await handle.terminate('test done');
    // Its parent gone, the approval is cancelled (parent close policy) and closes as such.
    const approval = h.client.workflow.getHandle(approvalId!);
    await approval.result().catch(() => undefined);
    expect((await approval.describe()).status.name).toBe('CANCELLED');
    recordHistory('approval-sla-ladder-then-cancelled', approvalId!);
  });

  it('runs a policy proposal through the approval chain the plan gives it (III.4: the Standing Committee\'s opinion)', async () => {
    const spec = testSpec('policy-proposal', { chain: true });
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Đề xuất chính sách thu hút đầu tư', attachments: [], actor: DRAFTER }] });
    expect(approvalId).toBe(approvalWorkflowId(spec.id, 1));
    expect((await handle.query(assignmentStateQuery)).lifecycle).toBe('awaiting-approval');
    const approval = h.client.workflow.getHandle(approvalId!);
    await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() }] });
    await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'sign-off', decision: 'approve', comment: 'Trình HĐND tỉnh', actor: DEPUTY, today: today() }] });
    const final = await handle.result();
    expect(final).toMatchObject({ kind: 'policy-proposal', lifecycle: 'done' });
    expect(final.submissions[0]).toMatchObject({ outcome: 'approve', comment: 'Trình HĐND tỉnh' });
  });

  it('loses nothing when the worker is killed and restarted in the middle', async () => {
    const spec = testSpec('propaganda', { dueInSeconds: 5, policy: { ...SECONDS_POLICY, ladder: [{ afterSeconds: 0, notify: ['lead-unit-head'] }, { afterSeconds: 3, notify: ['standing-office'] }] } });
    const handle = await start(spec);
    await eventually(async () => ((await notices(spec.id)).length >= 1 ? true : undefined), 20_000, 'the reminder');
    await h.stopWorker();
    await new Promise((r) => setTimeout(r, 6000)); // both escalations fall due while no worker runs
    await h.restartWorker();
    const rows = await eventually(async () => {
      const r = await notices(spec.id);
      return r.some((n) => n.level === 2) ? r : undefined;
    }, 30_000, 'the escalations after restart');
    expect(rows.map((r) => `${r.kind}:${r.level}`)).toEqual(['reminder:0', 'escalation:2']);
    // Missed while down: the first escalation is recorded without a notice, the latest one is sent.
    const state = await handle.query(assignmentStateQuery);
    expect(state.fired).toEqual([0, 1, 2]);
    expect(state.escalationLevel).toBe(2);
    await handle.terminate('test done');
  });

  // Issue 12 (patch perf-fewer-events): search attributes are set only when they change, and the
  // timer of the next due time survives state changes that do not move it. Patch
  // perf2-batched-effects: the projection and the in-app notices queued with it go in one
  // activity (`recordEffects`), never one activity each (this harness has no mailer, so no e-mail
  // is left to `sendNotice`), and it is the one patch marker a new history records.
  it('perf-fewer-events, perf2-batched-effects: drafting -> two approvals -> done with one timer armed, unchanged search attributes not re-sent, one activity per round of side effects', async () => {
    const spec = testSpec('drafting', { chain: true, dueInSeconds: 3600 });
    const handle = await start(spec);
    // The opening state reaches the read model before anyone acts.
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM assignments WHERE id = $1`, [spec.id])) as unknown[]).length > 0 || undefined, 30_000, 'the opened assignment');
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    for (const [step, actor] of [['vptu-review', OFFICE], ['sign-off', DEPUTY]] as const) {
      await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step, decision: 'approve', comment: 'Đồng ý', actor, today: today() }] });
    }
    expect((await handle.result()).lifecycle).toBe('done');

    const [row] = (await h.db.query(`SELECT lifecycle, seq FROM assignments WHERE id = $1`, [spec.id])) as { lifecycle: string; seq: number }[];
    expect(row.lifecycle).toBe('done');
    const events = (await h.db.query(`SELECT type FROM assignment_events WHERE assignment_id = $1 ORDER BY seq`, [spec.id])) as { type: string }[];
    expect(events.map((e) => e.type)).toEqual(['opened', 'submitted', 'approval-opened', 'approval-closed']);
    const notices = (await h.db.query(`SELECT DISTINCT key FROM notifications WHERE assignment_id = $1 ORDER BY key`, [spec.id])) as { key: string }[];
    expect(notices.map((n) => n.key)).toEqual(expect.arrayContaining([`${spec.id}:submitted:v1`, `${spec.id}:decided:v1`]));

    const history = kinds(((await handle.fetchHistory()).events ?? []) as unknown as Event[]);
    // Each patch marker comes with an upsert of its own (TemporalChangeVersion); besides those, one
    // upsert per distinct set of values (opened, awaiting approval, done), fewer than the projections.
    const projections = history.filter((k) => k === 'activityTaskScheduled:recordEffects').length;
    const patchUpserts = history.filter((k) => k === 'markerRecorded:core_patch').length;
    const dataUpserts = history.filter((k) => k === 'upsertWorkflowSearchAttributes').length - patchUpserts;
    expect(projections).toBeGreaterThanOrEqual(2);
    expect(history.filter((k) => k === 'activityTaskScheduled:projectAssignment' || k === 'activityTaskScheduled:sendNotice')).toEqual([]);
    const approvalHistory = kinds(((await approval.fetchHistory()).events ?? []) as unknown as Event[]);
    expect(approvalHistory.filter((k) => k === 'activityTaskScheduled:projectApproval' || k === 'activityTaskScheduled:sendNotice')).toEqual([]);
    expect(approvalHistory.filter((k) => k === 'activityTaskScheduled:recordEffects').length).toBeGreaterThanOrEqual(1);
    // perf2-batched-effects stands for every patch before it: one marker per new history, not one per patch.
    expect(patchUpserts).toBe(1);
    expect(approvalHistory.filter((k) => k === 'markerRecorded:core_patch')).toHaveLength(1);
    expect(dataUpserts).toBe(3);
    // Armed once for the reminder; the submission and the approval did not move it.
    expect(history.filter((k) => k === 'timerStarted')).toHaveLength(1);
    expect(history.filter((k) => k === 'timerCanceled')).toHaveLength(0);
    // The fixture of perf-fewer-events alone (assignment-perf-fewer-events-drafting-approved) stays as recorded.
    recordHistory('assignment-perf2-batched-effects-drafting-approved', spec.id);
    recordHistory('approval-perf2-batched-effects-two-steps', approvalId!);
  });
});
