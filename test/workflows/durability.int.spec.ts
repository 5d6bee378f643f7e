import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  SIDE_EFFECT_ERRORS,
  WORKFLOW_TYPES,
  assignmentStateQuery,
  cancelSignal,
  decideExtensionUpdate,
  decideUpdate,
  requestExtensionUpdate,
  submitUpdate,
  type AssignmentWorkflowInput,
  type NoticeRequest,
} from '@dieu-hanh/workflows';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { NoticeActivities, noticeMessageId } from '../../apps/worker/src/activities/notice.activities';
import { Mailer } from '../../apps/worker/src/notices/mailer';
import { createDataSource } from '@dieu-hanh/persistence';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { tcpProxy } from './faults';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { DEPUTY, DRAFTER, OFFICE, testSpec, today } from './fixtures';

/** Short retry ceilings, so a test sees a side effect give up and record it within seconds. */
const FAST_EFFECTS = { maximumAttempts: 2, pauseSeconds: 1 };

/** A spec whose notices go to units of this test only (tests share one database). */
function ownSpec(kind: AssignmentSpec['kind'], options: Parameters<typeof testSpec>[1] = {}): AssignmentSpec {
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const spec = testSpec(kind, options);
  return { ...spec, id: `${kind}:DUR-${tag}:FT1:UNIT-A`, noticeUnits: { standingOffice: `VP-${tag}`, standingCommittee: `TT-${tag}` } };
}

async function addPerson(h: WorkerHarness, unit: string, roles: string[] = ['standing-office']): Promise<string> {
  const email = `${unit.toLowerCase()}-${randomUUID().slice(0, 6)}@example.vn`;
  await h.db.query(`INSERT INTO users (username, display_name, password_hash, unit_code, roles, email) VALUES ($1, $1, 'x', $2, $3, $4)`, [
    `u-${email}`,
    unit,
    roles,
    email,
  ]);
  return email;
}

const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = Date.now();
  const value = await work();
  return { ms: Date.now() - started, value };
};

const refusalOf = (err: unknown) => (err instanceof WorkflowUpdateFailedError ? (err.cause as ApplicationFailure | undefined)?.type : `not refused: ${String(err)}`);

describe('Updates answer from state while PostgreSQL or SMTP are down (hole 2)', () => {
  let h: WorkerHarness;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let smtp: TestSmtp;

  beforeAll(async () => {
    const url = new URL(inject('databaseUrl'));
    proxy = await tcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    smtp = await startSmtp({ startDown: true }); // down until a test brings it up
    h = await startWorker({ smtpUrl: smtp.url, workerDatabaseUrl: url.toString() });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await h?.close();
    await smtp?.down();
    await proxy?.close();
  });

  const start = (spec: AssignmentSpec) => {
    const input: AssignmentWorkflowInput = { spec, effects: FAST_EFFECTS };
    return h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [input] });
  };
  const row = async (id: string) =>
    ((await h.db.query(`SELECT lifecycle, submission_count, state FROM assignments WHERE id = $1`, [id])) as { lifecycle: string; submission_count: number; state: { sideEffectFailures?: { code: string }[] } }[])[0];

  it('with SMTP down, a submit answers within 1 s; the mail goes out exactly once when SMTP is back', async () => {
    const spec = ownSpec('review');
    const office = await addPerson(h, spec.noticeUnits.standingOffice);
    const handle = await start(spec);
    await eventually(async () => ((await row(spec.id)) ? true : undefined), 30_000, 'the assignment in the read model');

    const { ms } = await timed(() => handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo rà soát', attachments: [], actor: DRAFTER }] }));
    expect(ms, `submit answered after ${ms} ms`).toBeLessThan(1000);
    // The notice is recorded in-app although its e-mail cannot go; the failure shows in the state.
    const key = `${spec.id}:submitted:v1`;
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM notifications WHERE key = $1`, [key])).length ? true : undefined), 30_000, 'the in-app notice');
    const failed = await eventually(async () => {
      const s = await handle.query(assignmentStateQuery);
      return s.sideEffectFailures?.length ? s.sideEffectFailures : undefined;
    }, 60_000, 'the recorded e-mail failure');
    expect(failed[0]).toMatchObject({ effect: 'notice', key, code: SIDE_EFFECT_ERRORS.SMTP_UNAVAILABLE, willRetry: true });
    expect(smtp.received).toHaveLength(0);

    await smtp.up();
    const id = noticeMessageId(key, spec.noticeUnits.standingOffice);
    await eventually(async () => (smtp.countOf(id) >= 1 ? true : undefined), 60_000, 'the e-mail after SMTP came back');
    await handle.result();
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.countOf(id)).toBe(1);
    expect(smtp.received.find((m) => m.messageId === id)?.to).toEqual([office]);
    // The Standing Office was also told, once, that the e-mail was late.
    const alarms = await h.db.query(`SELECT recipient_unit FROM notifications WHERE assignment_id = $1 AND kind = 'side-effect-failed'`, [spec.id]);
    expect(alarms).toEqual([{ recipient_unit: spec.noticeUnits.standingOffice }]);
    expect((await row(spec.id)).lifecycle).toBe('done');
    await smtp.down();
  });

  it('with PostgreSQL unreachable for the worker, a submit answers within 1 s; the read model catches up afterwards', async () => {
    const spec = ownSpec('review');
    const handle = await start(spec);
    await eventually(async () => ((await row(spec.id)) ? true : undefined), 30_000, 'the assignment in the read model');

    await proxy.cut();
    try {
      const { ms, value } = await timed(() =>
        handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo khi mất cơ sở dữ liệu', attachments: [], actor: DRAFTER }] }),
      );
      expect(ms, `submit answered after ${ms} ms`).toBeLessThan(1000);
      expect(value).toEqual({ version: 1 });
      const failures = await eventually(async () => {
        const s = await handle.query(assignmentStateQuery);
        return s.sideEffectFailures?.length ? s.sideEffectFailures : undefined;
      }, 60_000, 'the recorded projection failure');
      expect(failures[0]).toMatchObject({ effect: 'projection', code: SIDE_EFFECT_ERRORS.UNAVAILABLE, willRetry: true });
      expect((await row(spec.id)).submission_count).toBe(0);
    } finally {
      await proxy.restore();
    }
    const caughtUp = await eventually(async () => {
      const r = await row(spec.id);
      return r.lifecycle === 'done' ? r : undefined;
    }, 60_000, 'the read model after PostgreSQL came back');
    expect(caughtUp.submission_count).toBe(1);
    expect(caughtUp.state.sideEffectFailures?.[0].code).toBe(SIDE_EFFECT_ERRORS.UNAVAILABLE);
    const types = (await h.db.query(`SELECT type FROM assignment_events WHERE assignment_id = $1 ORDER BY seq`, [spec.id])) as { type: string }[];
    expect(types.map((t) => t.type)).toContain('side-effect-failed');
    await handle.result();
  });

  it('a NUL byte that slipped past the API reaches the read model (as U+FFFD) instead of jamming the workflow', async () => {
    const spec = ownSpec('review');
    const handle = await start(spec);
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'abc\u0000def', attachments: [], actor: DRAFTER }] });
    const r = await eventually(async () => {
      const x = (await h.db.query(`SELECT lifecycle, submission_count, state->'submissions'->0->>'text' AS text FROM assignments WHERE id = $1`, [spec.id]))[0];
      return x?.submission_count === 1 ? x : undefined;
    }, 30_000, 'the submission in the read model');
    expect(r).toEqual({ lifecycle: 'done', submission_count: 1, text: 'abc\uFFFDdef' });
    const [event] = await h.db.query(`SELECT payload->>'text' AS text FROM assignment_events WHERE assignment_id = $1 AND type = 'submitted'`, [spec.id]);
    expect(event.text).toBe('abc\uFFFDdef');
    await handle.result();
  });

  it('data PostgreSQL refuses fails for good, is recorded and told to the Standing Office, and the workflow keeps answering', async () => {
    // A deadline date PostgreSQL's date type refuses (22008): no retry can ever write it.
    const spec = ownSpec('review');
    spec.deadline = { ...spec.deadline, nominal: '2031-02-31' };
    const handle = await start(spec);
    const failures = await eventually(async () => {
      const s = await handle.query(assignmentStateQuery);
      return s.sideEffectFailures?.length ? s.sideEffectFailures : undefined;
    }, 30_000, 'the recorded projection failure');
    expect(failures[0]).toMatchObject({ effect: 'projection', code: SIDE_EFFECT_ERRORS.BAD_DATA, willRetry: false });
    const alarm = await eventually(async () => {
      const rows = await h.db.query(`SELECT recipient_unit, body FROM notifications WHERE assignment_id = $1 AND kind = 'side-effect-failed'`, [spec.id]);
      return rows.length ? rows : undefined;
    }, 30_000, 'the alarm to the Standing Office');
    expect(alarm[0].recipient_unit).toBe(spec.noticeUnits.standingOffice);
    expect(alarm[0].body).toContain(SIDE_EFFECT_ERRORS.BAD_DATA);
    const { ms } = await timed(() => handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Vẫn nộp được', attachments: [], actor: DRAFTER }] }));
    expect(ms).toBeLessThan(1000);
    expect((await handle.result()).lifecycle).toBe('done');
  });
});

describe('e-mail notices: every recipient, each mail exactly once (hole 2)', () => {
  let h: WorkerHarness;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let smtp: TestSmtp;
  let notices: NoticeActivities;
  let mailer: Mailer;
  let activityDb: ReturnType<typeof createDataSource>;

  beforeAll(async () => {
    h = await startWorker();
    const url = new URL(inject('databaseUrl'));
    proxy = await tcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    activityDb = await createDataSource(url.toString()).initialize();
    smtp = await startSmtp();
    mailer = new Mailer(smtp.url, 'Điều hành <test@localhost>');
    // The activity itself, with its real database (through a proxy the test can cut) and a real SMTP server.
    notices = new NoticeActivities(activityDb, mailer, 'http://localhost:3000');
  });
  afterAll(async () => {
    mailer?.close();
    await proxy?.restore().catch(() => undefined);
    await activityDb?.destroy();
    await proxy?.close();
    await smtp?.down();
    await h?.close();
  });

  const threeUnitNotice = (tag: string): NoticeRequest => ({
    key: `dur:${tag}:escalation`,
    assignmentId: `review:DUR-${tag}:FT1:LEAD-${tag}`,
    planId: 'TEST@v1',
    leadUnit: `LEAD-${tag}`,
    noticeUnits: { standingOffice: `VP-${tag}`, standingCommittee: `TT-${tag}` },
    audience: ['lead-unit', 'standing-office', 'standing-committee'],
    kind: 'escalation',
    level: 2,
    subject: 'Cảnh báo quá hạn',
    body: 'Quá hạn.',
  });
  const rowsOf = async (key: string) =>
    (await h.db.query(`SELECT recipient_unit, emailed_at IS NOT NULL AS emailed FROM notifications WHERE key = $1 ORDER BY recipient_unit`, [key])) as {
      recipient_unit: string;
      emailed: boolean;
    }[];

  it('one SMTP refusal in the middle of the list holds back neither the in-app notices nor the later e-mails; the retry sends only the unsent one', async () => {
    const tag = randomUUID().slice(0, 8).toUpperCase();
    const notice = threeUnitNotice(tag);
    const [lead, office, committee] = [await addPerson(h, `LEAD-${tag}`), await addPerson(h, `VP-${tag}`), await addPerson(h, `TT-${tag}`)];
    smtp.refuseRecipient(office);
    const err = await notices.sendNotice(notice).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: SIDE_EFFECT_ERRORS.SMTP_UNAVAILABLE, nonRetryable: false });
    expect(await rowsOf(notice.key)).toEqual([
      { recipient_unit: `LEAD-${tag}`, emailed: true },
      { recipient_unit: `TT-${tag}`, emailed: true },
      { recipient_unit: `VP-${tag}`, emailed: false },
    ]);
    smtp.acceptRecipient(office);
    await notices.sendNotice(notice);
    await notices.sendNotice(notice); // a replayed or duplicated activity changes nothing
    for (const [unit, address] of [[`LEAD-${tag}`, lead], [`VP-${tag}`, office], [`TT-${tag}`, committee]]) {
      const id = noticeMessageId(notice.key, unit);
      expect(smtp.countOf(id), `${unit}`).toBe(1);
      expect(smtp.received.find((m) => m.messageId === id)?.to).toEqual([address]);
    }
    expect((await rowsOf(notice.key)).every((r) => r.emailed)).toBe(true);
  });

  it('a mail whose emailed_at write fails is not sent again', async () => {
    const tag = randomUUID().slice(0, 8).toUpperCase();
    const notice = { ...threeUnitNotice(tag), audience: ['lead-unit' as const] };
    await addPerson(h, `LEAD-${tag}`);
    // PostgreSQL goes away while the SMTP server takes the message: the mail is out, the write after it fails.
    smtp.onReceive(() => proxy.cut());
    const err = await notices.sendNotice(notice).catch((e: unknown) => e);
    smtp.onReceive(undefined);
    await proxy.restore();
    expect(err).toMatchObject({ type: SIDE_EFFECT_ERRORS.UNAVAILABLE, nonRetryable: false });
    const id = noticeMessageId(notice.key, `LEAD-${tag}`);
    expect(smtp.countOf(id)).toBe(1);
    // The activity's retry: nothing goes out again, and the row now says e-mailed.
    await eventually(async () => notices.sendNotice(notice).then(() => true), 20_000, 'the retried activity');
    expect(smtp.countOf(id)).toBe(1);
    expect(await rowsOf(notice.key)).toEqual([{ recipient_unit: `LEAD-${tag}`, emailed: true }]);
  });
});

describe('extension decisions and cancellation (holes 6 and 8)', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });
  const start = (spec: AssignmentSpec) =>
    h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec, effects: FAST_EFFECTS }] });
  const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('a grant cannot shorten the deadline or name a date that does not exist, and two concurrent grants record one', async () => {
    const spec = ownSpec('review', { dueInSeconds: 3600 });
    const handle = await start(spec);
    const impossible = await handle
      .executeUpdate(requestExtensionUpdate, { args: [{ requestId: 'x0', reason: 'r', proposedDate: '2031-02-31', actor: DRAFTER }] })
      .catch((e: unknown) => e);
    expect(refusalOf(impossible)).toBe('INVALID');
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ requestId: 'x1', reason: 'Chờ số liệu', proposedDate: later(40), actor: DRAFTER }] });
    // The Standing Office of this plan decides (the validator checks the unit, not only the role).
    const office = { ...OFFICE, unit: spec.noticeUnits.standingOffice };
    const decide = (date?: string, comment = 'Đồng ý') => handle.executeUpdate(decideExtensionUpdate, { args: [{ requestId: 'x1', granted: true, comment, date, actor: office }] });

    expect(refusalOf(await decide('2020-01-01').catch((e: unknown) => e))).toBe('INVALID');
    expect(refusalOf(await decide('2031-02-31').catch((e: unknown) => e))).toBe('INVALID');

    const outcomes = await Promise.allSettled([decide(later(50), 'một'), decide(later(60), 'hai')]);
    const granted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(granted).toHaveLength(1);
    expect(refused.map((o) => refusalOf(o.reason))).toEqual(['ALREADY_DECIDED']);
    const state = await handle.query(assignmentStateQuery);
    const [winner] = state.extensions.filter((x) => x.status === 'granted');
    expect(state.deadline.nominal).toBe(winner.grantedDate);
    expect(state.deadline.nominal > spec.deadline.nominal).toBe(true);
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo', attachments: [], actor: DRAFTER }] });
    expect((await handle.result()).lifecycle).toBe('done');
    // A replay fixture of the patched path (side-effect loop, decision recorded before the calendar answers).
    recordHistory('assignment-effects-loop-extension-granted', spec.id);
  });

  it('cancelling a drafting assignment closes its open approval, which leaves the inbox; a late "request changes" cannot reopen it', async () => {
    const spec = ownSpec('drafting', { chain: true });
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() }] });
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM approvals WHERE id = $1 AND current_step = 'sign-off'`, [approvalId])).length ? true : undefined), 30_000);

    // The cancel and a "request changes" race: whichever reaches its workflow first, the assignment stays cancelled.
    const late = approval.executeUpdate(decideUpdate, {
      args: [{ approvalId: approvalId!, version: 1, step: 'sign-off', decision: 'request-changes', comment: 'Sửa', actor: DEPUTY, today: today() }],
    });
    await handle.signal(cancelSignal, { reason: 'Kế hoạch thay thế', actor: OFFICE });
    await late.catch(() => undefined);
    expect((await handle.result()).lifecycle).toBe('cancelled');
    const [assignment] = await eventually(async () => {
      const rows = await h.db.query(`SELECT lifecycle FROM assignments WHERE id = $1 AND lifecycle = 'cancelled'`, [spec.id]);
      return rows.length ? rows : undefined;
    }, 30_000, 'the assignment cancelled in the read model');
    expect(assignment.lifecycle).toBe('cancelled');
    // The approval is closed either way, so it leaves approvers' inboxes (the inbox's own condition).
    await approval.result().catch(() => undefined);
    const inInbox = await eventually(async () => {
      const rows = await h.db.query(`SELECT outcome FROM approvals ap WHERE ap.id = $1 AND (ap.outcome IS NULL OR ap.current_step IS NOT NULL)`, [approvalId]);
      return rows.length === 0 ? rows : undefined;
    }, 30_000, 'the approval out of the inbox');
    expect(inInbox).toHaveLength(0);
  });

  it('cancelling a drafting assignment cancels its approval, which records outcome "cancelled"; decisions after that are refused', async () => {
    const spec = ownSpec('drafting', { chain: true });
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM approvals WHERE id = $1 AND outcome IS NULL`, [approvalId])).length ? true : undefined), 30_000, 'the approval in the inbox');
    await handle.signal(cancelSignal, { reason: 'Kế hoạch thay thế', actor: OFFICE });
    expect((await handle.result()).lifecycle).toBe('cancelled');
    await expect(approval.result()).rejects.toThrow();
    expect((await approval.describe()).status.name).toBe('CANCELLED');
    const row = await eventually(async () => {
      const [r] = await h.db.query(`SELECT outcome, current_step FROM approvals WHERE id = $1`, [approvalId]);
      return r?.outcome ? r : undefined;
    }, 30_000, 'the approval closed in the read model');
    expect(row).toEqual({ outcome: 'cancelled', current_step: null });
    const refused = await approval
      .executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'approve', comment: '', actor: OFFICE, today: today() }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
  });

  it('when the plan cancels an assignment (workflow cancellation), its approval closes as cancelled too', async () => {
    const spec = ownSpec('drafting', { chain: true });
    const handle = await start(spec);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    await eventually(async () => ((await h.db.query(`SELECT 1 FROM approvals WHERE id = $1`, [approvalId])).length ? true : undefined), 30_000);
    await handle.cancel();
    expect((await handle.result()).lifecycle).toBe('cancelled');

    const row = await eventually(async () => {
      const [r] = await h.db.query(`SELECT outcome FROM approvals WHERE id = $1`, [approvalId]);
      return r?.outcome ? r : undefined;
    }, 30_000, 'the approval closed in the read model');
    expect(row).toEqual({ outcome: 'cancelled' });
  });
});
