import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { WORKFLOW_TYPES, decideExtensionUpdate, planProgressQuery, requestExtensionUpdate, submitUpdate, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { withWorkers, type BenchContext } from '../support/context';
import { simpleSpec, submission } from '../support/lives';
import { bySize, progress, until, type BenchResult, type BenchSize, type Cell } from '../support/report';
import { bigSeedPlan } from '../../test/workflows/big-plan';
import { store } from './fanout';
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
  // An assignment's history carries its state in every projection, so it grows faster than its
  // events: 2,000 events are about 17 MB, and 10,000 would pass the server's 50 MB history limit.
  // The 10,000 events are measured on the other long history the product has: a plan's launch.
  const wanted = bySize(size, { small: 150, medium: 2_000, full: 2_000 });
  const planWanted = bySize(size, { small: 300, medium: 3_000, full: 10_000 });
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
  const bundle = ctx.bundles.current;
  const assignment = await measureReplay(bundle, history, workflowId);
  const plan = await buildPlanHistory(ctx, planWanted);
  const planReplay = await measureReplay(bundle, plan.history, plan.workflowId);
  const row = (label: string, r: ReplayFigures): Cell[] => [label, r.events, r.megabytes, r.withCreation[0], r.best, r.creation, r.replayOnly, r.events / r.replayOnly, r.events >= 10_000 ? (r.replayOnly < 2 ? 'met' : `missed (${r.replayOnly.toFixed(1)} s)`) : ''];
  return {
    figures: { pairs, assignment, plan: { ...planReplay, children: plan.children } },
    tables: [
      {
        title: 'Replay of one history against today\'s workflow code',
        columns: ['history', 'events', 'MB (JSON)', 'new worker each: 1st s', 'best of 3 s', 'worker alone s (best of 3)', 'replay alone s (best of 2)', 'events/s (replay alone)', 'target: 10,000 events < 2 s'],
        rows: [row(`assignment: ${pairs} extension requests refused, then submitted`, assignment), row(`plan: launch of ${plan.children} assignments, one run`, planReplay)],
        notes: [
          '"New worker each" is Worker.runReplayHistory (a replay worker created for the one history);',
          '"worker alone" creates and shuts down a replay worker with no history; "replay alone" is the 2nd and 3rd history of one runReplayHistories call.',
        ],
      },
    ],
  };
}

interface ReplayFigures {
  events: number;
  megabytes: number;
  withCreation: number[];
  best: number;
  creation: number;
  replayOnly: number;
}

async function measureReplay(bundle: BenchContext['bundles']['current'], history: History, workflowId: string): Promise<ReplayFigures> {
  const events = history.events?.length ?? 0;
  const megabytes = Buffer.byteLength(historyToJSON(history)) / 2 ** 20;

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
  return { events, megabytes, withCreation, best: Math.min(...withCreation), creation: Math.min(...creation), replayOnly: Math.min(...inOneWorker.slice(1)) };
}

/** Children one plan run starts here: under the server's 2,000 pending children per workflow. */
const MAX_CHILDREN_PER_RUN = 1_900;

/**
 * A plan workflow's history of up to `wanted` events: a synthetic plan launched in one run
 * (about 3 events per assignment started: the child's initiation, its start, and the workflow
 * tasks and page activities around them). Replayed while the plan still runs, as the auditors'
 * verifier replays a running workflow.
 */
async function buildPlanHistory(ctx: BenchContext, wanted: number): Promise<{ history: History; workflowId: string; children: number }> {
  const worker = await ctx.worker({ taskQueue: 'replay-plan', bundle: ctx.bundles.current, options: { maxCachedWorkflows: 500 } });
  // Temporal Server allows 2,000 pending children per workflow (limit.numPendingChildExecutions),
  // which is why a plan continues as new every 1,000 starts: one run's history ends near 3 × 1,900.
  const big = bigSeedPlan(`RPL${randomUUID().slice(0, 4).toUpperCase()}`, Math.min(Math.ceil(wanted / 3), MAX_CHILDREN_PER_RUN - 100));
  const key = await store(ctx, big.plan);
  const workflowId = `plan:${key}`;
  const bar = progress('replay (building a plan history)', wanted);
  let length = 0;
  let children = 0;
  let runId = '';
  await withWorkers([worker], async () => {
    const input: PlanWorkflowInput = { planId: key, startsPerRun: MAX_CHILDREN_PER_RUN };
    const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId, taskQueue: 'replay-plan', args: [input] });
    runId = handle.firstExecutionRunId;
    await until(async () => {
      const now = (await handle.describe()).historyLength;
      bar.tick(now - length);
      length = now;
      const progressNow = await handle.query(planProgressQuery).catch(() => undefined);
      children = progressNow?.started ?? 0;
      return progressNow && progressNow.total > 0 && progressNow.started >= progressNow.total ? true : undefined;
    }, 30 * 60_000, `a plan history of ${wanted} events`, 1000);
  });
  bar.done();
  // The seed's own units and the synthetic ones stay under one run's starts: this is that run.
  const history = await ctx.client.workflow.getHandle(workflowId, runId).fetchHistory();
  await ctx.client.workflow.getHandle(workflowId).terminate('bench: history built').catch(() => undefined);
  return { history, workflowId, children };
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
