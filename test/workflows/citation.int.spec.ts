import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, submitUpdate } from '@dieu-hanh/workflows';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { DRAFTER, testSpec } from './fixtures';

describe('citing a plan whose number the plan file marks as assumed', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes the real number instead of the placeholder and flags the mismatch for the Standing Office; refuses what is not a number', async () => {
    const spec = { ...testSpec('concretisation'), mustCite: 'CHUA-RO-SO-KH/TU', mustCiteAssumed: true };
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    const submit = (cites: string) => handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], actor: DRAFTER, cites }] });
    const refused = await submit('kế hoạch của tỉnh').then(() => undefined, (err: { cause?: { type?: string; message?: string } }) => err.cause);
    expect(refused).toMatchObject({ type: 'MUST_CITE', message: expect.stringContaining('phải dẫn số kế hoạch') });
    expect(await submit('12-KH/TU')).toMatchObject({ version: 1 });
    const notice = await eventually(async () => {
      const rows = (await h.db.query(`SELECT recipient_unit, subject, body FROM notifications WHERE assignment_id = $1 AND kind = 'citation-mismatch'`, [spec.id])) as { recipient_unit: string; subject: string; body: string }[];
      return rows.length ? rows : undefined;
    }, 30_000, 'the citation notice');
    expect(notice).toEqual([{ recipient_unit: 'VPTU', subject: `Số kế hoạch cần cập nhật: ${spec.title}`, body: expect.stringContaining('dẫn Kế hoạch số 12-KH/TU; tệp kế hoạch đang ghi số giả định CHUA-RO-SO-KH/TU') }]);
    await handle.result();
    recordHistory('assignment-cites-real-number', spec.id, handle.firstExecutionRunId);
  });
});
