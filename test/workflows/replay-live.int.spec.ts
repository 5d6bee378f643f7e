import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_TYPES, decideExtensionUpdate, decideUpdate, requestExtensionUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { startWorker, type WorkerHarness } from '../support/harness';
import { DEPUTY, DRAFTER, OFFICE, testSpec, today } from './fixtures';

/**
 * Histories written by the current code must replay against it: what a worker does after a
 * restart or a cache eviction (the fault suite's worker kill). Recorded fixtures cannot catch a
 * race that only shows when several handlers and the side-effect loop await at once, so these
 * run such a life on the real server and replay it at once. (A local-activity side-effect path
 * raced with the extension handler's local activity this way: its commands came in another
 * order on replay.)
 */
describe('a life lived now replays against the code that lived it', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const replay = async (workflowId: string) => {
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    let failure: unknown;
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, workflowId).catch((err) => (failure = err));
    return failure;
  };

  it('an extension requested, granted while the side effects run, then a submission', async () => {
    const spec = testSpec('concretisation', { dueInSeconds: 3600 });
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ requestId: 'r1', reason: 'Chờ số liệu của các sở', proposedDate: '2099-01-10', actor: DRAFTER }] });
    await handle.executeUpdate(decideExtensionUpdate, { args: [{ requestId: 'r1', granted: true, comment: 'Đồng ý', actor: OFFICE }] });
    await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], actor: DRAFTER, cites: spec.mustCite }] });
    expect((await handle.result()).lifecycle).toBe('done');
    expect(await replay(spec.id)).toBeUndefined();
  });

  it('a draft through a two-step approval', async () => {
    const spec = testSpec('drafting', { chain: true, dueInSeconds: 3600 });
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    for (const [step, actor] of [['vptu-review', OFFICE], ['sign-off', DEPUTY]] as const) {
      await approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step, decision: 'approve', comment: 'Đồng ý', actor, today: today() }] });
    }
    expect((await handle.result()).lifecycle).toBe('done');
    expect(await replay(spec.id)).toBeUndefined();
    expect(await replay(approvalId!)).toBeUndefined();
  });
});
