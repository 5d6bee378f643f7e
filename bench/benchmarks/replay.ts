import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { WORKFLOW_TYPES, decideExtensionUpdate, requestExtensionUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { withWorkers, type BenchContext } from '../support/context';
import { simpleSpec, submission } from '../support/lives';
import { bySize, progress, type BenchResult, type BenchSize } from '../support/report';
import { DRAFTER, OFFICE } from '../../test/workflows/fixtures';

type History = temporal.api.history.v1.IHistory;

/**
 * Target 7: replay of a long history. One assignment is driven through extension requests
 * and refusals (each pair a few Updates, projections and notices) until its history has
 * the wanted number of events, then replayed against today's workflow code (the bundle
 * built once, as the worker and the auditors' replay verifier use it).
 *
 * Three figures, because the auditors' tools pay them differently:
 *  - a new replay worker per history (`Worker.runReplayHistory`, what the bench measured before);
 *  - creating a replay worker with nothing to replay (the fixed cost: loading the bundle into a V8 context);
 *  - one replay worker for several histories (`Worker.runReplayHistories`): the 2nd and 3rd
 *    results are replay alone, with no worker creation.
 * BENCH_REPLAY_HISTORY=<file.json> keeps the built history there and reuses it on the next run.
 */
export async function replayBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const wanted = bySize(size, { small: 150, medium: 2_000, full: 10_000 });
  const saved = process.env.BENCH_REPLAY_HISTORY;
  let history: History;
  let pairs: number;
  let workflowId: string;
  if (saved && existsSync(saved)) {
    const file = JSON.parse(readFileSync(saved, 'utf8')) as { workflowId: string; pairs: number; history: unknown };
    ({ workflowId, pairs } = file);
    history = historyFromJSON(file.history);
  } else {
    ({ history, pairs, workflowId } = await buildHistory(ctx, wanted));
    if (saved) writeFileSync(saved, JSON.stringify({ workflowId, pairs, history: JSON.parse(historyToJSON(history)) }));
  }
  const events = history.events?.length ?? 0;
  const megabytes = Buffer.byteLength(historyToJSON(history)) / 2 ** 20;
  const bundle = ctx.bundles.current;

  // A new replay worker for each replay, three times.
  const withCreation: number[] = [];
  for (let i = 0; i < 3; i++) {
    const began = performance.now();
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
    withCreation.push((performance.now() - began) / 1000);
  }
  // The replay worker alone: created, run and shut down with no history.
  const creation: number[] = [];
  for (let i = 0; i < 3; i++) {
    const began = performance.now();
    for await (const _ of Worker.runReplayHistories({ workflowBundle: bundle }, [])) void _;
    creation.push((performance.now() - began) / 1000);
  }
  // One replay worker, the same history three times: from the 2nd on, replay alone.
  const inOneWorker: number[] = [];
  let began = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, [0, 1, 2].map(() => ({ workflowId, history })))) {
    if (result.error) throw result.error;
    const now = performance.now();
    inOneWorker.push((now - began) / 1000);
    began = now;
  }
  const replayOnly = Math.min(...inOneWorker.slice(1));
  const best = Math.min(...withCreation);
  return {
    figures: { events, megabytes, pairs, replaySeconds: withCreation, creationSeconds: creation, inOneWorkerSeconds: inOneWorker },
    tables: [
      {
        title: `Replay of one assignment history (${pairs} extension requests refused, then submitted)`,
        columns: ['events', 'history MB (JSON)', 'new worker each: 1st s', 'best of 3 s', 'worker alone s (best of 3)', 'replay alone s (best of 2)', 'events/s (replay alone)', 'target s'],
        rows: [[events, megabytes, withCreation[0], best, Math.min(...creation), replayOnly, events / replayOnly, 2]],
        notes: [
          'Target (10,000 events): < 2 s. "New worker each" is Worker.runReplayHistory (a replay worker created for the one history);',
          '"worker alone" creates and shuts down a replay worker with no history; "replay alone" is the 2nd and 3rd history of one runReplayHistories call.',
        ],
      },
    ],
  };
}

async function buildHistory(ctx: BenchContext, wanted: number): Promise<{ history: History; pairs: number; workflowId: string }> {
  const worker = await ctx.worker({ taskQueue: 'replay', bundle: ctx.bundles.current });
  const spec = simpleSpec();
  const far = new Date(Date.parse(spec.deadline.dueAt) + 60 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const bar = progress('replay (building history)', wanted);
  let length = 0;
  let pairs = 0;
  await withWorkers([worker], async () => {
    const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: 'replay', args: [{ spec }] });
    while (length < wanted - 12) {
      // Ten pairs between looks at the history length (describe: the length without fetching the history).
      for (let i = 0; i < 10; i++, pairs++) {
        const requestId = randomUUID();
        await handle.executeUpdate(requestExtensionUpdate, { args: [{ requestId, reason: 'Cần thêm thời gian', proposedDate: far, actor: DRAFTER }] });
        await handle.executeUpdate(decideExtensionUpdate, { args: [{ requestId, granted: false, comment: 'Không', actor: OFFICE }] });
      }
      const now = (await handle.describe()).historyLength;
      bar.tick(now - length);
      length = now;
    }
    await handle.executeUpdate(submitUpdate, { args: [submission(spec)] });
    await handle.result();
  });
  bar.done();
  const history = await ctx.client.workflow.getHandle(spec.id).fetchHistory();
  return { history, pairs, workflowId: spec.id };
}
