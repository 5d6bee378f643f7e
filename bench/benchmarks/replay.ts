import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_TYPES, decideExtensionUpdate, requestExtensionUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { withWorkers, type BenchContext } from '../support/context';
import { historyOf, simpleSpec, submission } from '../support/lives';
import { bySize, progress, type BenchResult, type BenchSize } from '../support/report';
import { DRAFTER, OFFICE } from '../../test/workflows/fixtures';

/**
 * Target 7: replay of a long history. One assignment is driven through extension requests
 * and refusals (each pair a few Updates, projections and notices) until its history has
 * the wanted number of events, then replayed against today's workflow code.
 */
export async function replayBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const wanted = bySize(size, { small: 150, medium: 2_000, full: 10_000 });
  const worker = await ctx.worker({ taskQueue: 'replay', bundle: ctx.bundles.current });
  const spec = simpleSpec();
  const far = new Date(Date.parse(spec.deadline.dueAt) + 60 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const bar = progress('replay (building history)', wanted);
  let length = 0;
  let pairs = 0;
  await withWorkers([worker], async () => {
    const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: 'replay', args: [{ spec }] });
    while (length < wanted - 12) {
      // Ten pairs between looks at the history length.
      for (let i = 0; i < 10; i++, pairs++) {
        const requestId = randomUUID();
        await handle.executeUpdate(requestExtensionUpdate, { args: [{ requestId, reason: 'Cần thêm thời gian', proposedDate: far, actor: DRAFTER }] });
        await handle.executeUpdate(decideExtensionUpdate, { args: [{ requestId, granted: false, comment: 'Không', actor: OFFICE }] });
      }
      const now = (await historyOf(ctx.client, spec.id)).length;
      bar.tick(now - length);
      length = now;
    }
    await handle.executeUpdate(submitUpdate, { args: [submission(spec)] });
    await handle.result();
  });
  bar.done();
  const history = await ctx.client.workflow.getHandle(spec.id).fetchHistory();
  const events = history.events?.length ?? 0;
  const megabytes = Buffer.byteLength(JSON.stringify(history)) / 2 ** 20;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const began = performance.now();
    await Worker.runReplayHistory({ workflowBundle: ctx.bundles.current }, history, spec.id);
    times.push((performance.now() - began) / 1000);
  }
  const best = Math.min(...times);
  return {
    figures: { events, megabytes, pairs, replaySeconds: times },
    tables: [
      {
        title: `Replay of one assignment history (${pairs} extension requests refused, then submitted)`,
        columns: ['events', 'history MB (JSON)', 'replay 1st s', 'replay best of 3 s', 'events/s', 'target s'],
        rows: [[events, megabytes, times[0], best, events / best, 2]],
        notes: ['Target (10,000 events): < 2 s. Each replay includes creating the replay worker.'],
      },
    ],
  };
}
