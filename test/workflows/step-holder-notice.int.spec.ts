import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, decideUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { DRAFTER, OFFICE, testSpec, today } from './fixtures';

/** Issue 10: the person holding a waiting approval step is told, as each step opens, and only the role holding it. */
describe('approval step holders are told a draft waits for them', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const noticeOf = (key: string) =>
    eventually(async () => {
      const rows = (await h.db.query(`SELECT recipient_unit, recipient_roles, kind FROM notifications WHERE key = $1`, [key])) as { recipient_unit: string; recipient_roles: string[]; kind: string }[];
      return rows.length ? rows : undefined;
    }, 30_000, `notice ${key}`);

  it('notifies the first step’s role when the draft arrives, and the next step’s role once the first approves', async () => {
    const spec = testSpec('drafting', { chain: true });
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const [review, sign] = spec.approvalChain!;
    expect(await noticeOf(`${approvalId}:step:${review.step}`)).toEqual([{ recipient_unit: review.unit, recipient_roles: [review.role], kind: 'approval-needed' }]);
    await h.client.workflow
      .getHandle(approvalId!)
      .executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: review.step, decision: 'approve', comment: '', actor: OFFICE, today: today() }] });
    expect(await noticeOf(`${approvalId}:step:${sign.step}`)).toEqual([{ recipient_unit: sign.unit, recipient_roles: [sign.role], kind: 'approval-needed' }]);
    await handle.terminate('test done');
  });
});
