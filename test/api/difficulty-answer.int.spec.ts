import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, submitUpdate } from '@dieu-hanh/workflows';
import { EscalationPolicySchema, createWorkingCalendar, formatVietnameseDate, waitDeadline } from '@dieu-hanh/domain';
import type { AssignmentSpec, AssignmentState } from '@dieu-hanh/domain/assignment';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { webSession, type WebSession } from '../support/web-session';
import { actor, testSpec } from '../workflows/fixtures';

/**
 * Issue 13, III.6: a reported difficulty waits on the body the report went to, in its inbox
 * with who, since and until when, until that body answers it on the assignment page; the
 * answer then shows to the reporting unit and the difficulty leaves the inbox.
 */
describe('answers to reported difficulties, on the pages', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  const s = Date.now().toString(36).toUpperCase();
  const units = { lead: `DV-${s}`, board: `TT-${s}`, office: `VP-${s}` };
  const login = async (username: string): Promise<WebSession> => {
    const session = webSession(api.baseUrl);
    expect((await session.post('/login', { username, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    return session;
  };
  const spec: AssignmentSpec = {
    ...testSpec('review', { dueInSeconds: 30 * 86_400 }),
    title: `Báo cáo tháng ${s}`,
    leadUnit: units.lead,
    submitTo: units.board,
    noticeUnits: { standingOffice: units.office, standingCommittee: units.board },
    responseDeadlines: {
      difficultyAnswer: { limit: { workingDays: 5 }, policy: EscalationPolicySchema.parse({ ladder: [{ afterWorkingDays: 0, notify: ['waited-on'] }] }) },
    },
  };

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: `da-reporter-${s}`, displayName: 'Nguyễn Văn Báo', unitCode: units.lead, roles: ['drafter'] });
    await api.createUser({ username: `da-board-${s}`, displayName: 'Trần Văn Thường', unitCode: units.board, roles: ['approver'] });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('lists the difficulty in the receiving body\'s inbox until it answers on the assignment page; the reporting unit sees the answer', async () => {
    const handle = await worker.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: worker.taskQueue, args: [{ spec }] });
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Báo cáo tháng 3', attachments: [], actor: actor('reporter', units.lead, ['drafter']), difficulties: 'Thiếu kinh phí triển khai' }] });
    const row = await eventually(async () => {
      const [r] = (await worker.db.query(`SELECT state FROM assignments WHERE id = $1`, [spec.id])) as { state: AssignmentState }[];
      return r?.state.waits?.length ? r.state : undefined;
    }, 30_000, 'the difficulty wait in the read model');
    expect(row.lifecycle).toBe('done');
    const due = formatVietnameseDate(waitDeadline(row.waits![0].since, { workingDays: 5 }, createWorkingCalendar()).effective);

    const board = await login(`da-board-${s}`);
    const inbox = (await board.get('/?queue=difficulties&pageSize=100&sort=-updated')).text;
    expect(inbox).toContain(spec.title);
    expect(inbox).toContain('Thiếu kinh phí triển khai');
    expect(inbox.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(`chờ ${units.board} (Trần Văn Thường)`);
    expect(inbox).toContain(`hạn ${due}`);

    const page = `/assignments/${encodeURIComponent(spec.id)}`;
    expect((await board.get(page)).text).toContain('id="difficulty-answer-form"');
    // Someone of the reporting unit sees no form, and cannot answer by posting one.
    const reporter = await login(`da-reporter-${s}`);
    expect((await reporter.get(page)).text).not.toContain('id="difficulty-answer-form"');
    expect((await reporter.post(`${page}/difficulty-answer`, { version: '1', text: 'Tự trả lời' }, page)).status).toBe(403);

    const answered = await board.post(`${page}/difficulty-answer`, { version: '1', text: 'Giao Sở Tài chính bố trí kinh phí' }, page);
    expect(answered.status).toBe(303);
    const seen = await eventually(async () => {
      const text = (await reporter.get(page)).text;
      return text.includes('id="difficulty-answer-1"') ? text : undefined;
    }, 15_000, 'the answer on the reporting unit\'s page');
    expect(seen).toContain('Giao Sở Tài chính bố trí kinh phí');
    expect(seen).toContain('Trần Văn Thường');
    expect((await board.get('/?queue=difficulties&pageSize=100&sort=-updated')).text).not.toContain(spec.title);
    // Answered: the report's workflow ends.
    expect((await handle.result()).lifecycle).toBe('done');
  });
});
