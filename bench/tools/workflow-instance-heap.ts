/**
 * What one workflow instance costs in the SDK's reusable V8 context before it runs: the modules it
 * evaluates for itself (every module of the bundle not shared through `preloadModules`) and its
 * Activator. Creates N assignment workflows from a bundle file, without a server, and prints the
 * heap growth per workflow. Uses the SDK's internal classes (1.24), so it may need care on upgrades.
 *   node --expose-gc -r ./scripts/register.js bench/tools/workflow-instance-heap.ts <bundle.js> [n] [LIST=1 lists the per-workflow modules]
 * A bundle: bundleWorkflowCode({ workflowsPath, preloadModules: WORKFLOW_PRELOAD_MODULES }).code written to a file.
 */
import { readFileSync } from 'node:fs';
import { TypedSearchAttributes } from '@temporalio/common';
import { parseWorkflowCode } from '@temporalio/worker/lib/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';

async function main(): Promise<void> {
  const code = readFileSync(process.argv[2], 'utf8');
  const n = Number(process.argv[3] ?? 500);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const creator = await ReusableVMWorkflowCreator.create(parseWorkflowCode(code), 5000, new Set(['recordEffects', 'reschedule', 'waitSchedule']), undefined);
  const keep: unknown[] = [];
  const create = (i: number) =>
    creator.createWorkflow({
      info: {
        workflowId: `w${i}`,
        runId: `r${i}`,
        workflowType: 'assignmentWorkflow',
        searchAttributes: {},
        typedSearchAttributes: new TypedSearchAttributes(),
        taskQueue: 'q',
        namespace: 'default',
        firstExecutionRunId: `r${i}`,
        attempt: 1,
        startTime: new Date(),
        runStartTime: new Date(),
        historyLength: 3,
        historySize: 100,
        continueAsNewSuggested: false,
        unsafe: { isReplaying: false, now: Date.now },
        priority: {},
      },
      randomnessSeed: [1, 2],
      now: Date.now(),
      showStackTraceSources: false,
    } as never);
  keep.push(await create(-1));
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) keep.push(await create(i));
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  console.log(`${n} workflows created (not yet activated): heap +${((after - before) / n / 1024).toFixed(1)} KB each`);
  if (process.env.LIST) {
    const { context } = creator as never as { context: { __TEMPORAL_ACTIVATOR__: { moduleCache: Map<string, unknown> } } };
    console.log(`modules each workflow evaluates for itself:\n${[...context.__TEMPORAL_ACTIVATOR__.moduleCache.keys()].join('\n')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
